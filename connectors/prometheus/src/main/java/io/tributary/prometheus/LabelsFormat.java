package io.tributary.prometheus;

import java.util.Map;
import java.util.TreeMap;

/** How the {@code labels} column holds a series' labels (option {@code labelsFormat}). */
enum LabelsFormat {
    /** {@code MAP<STRING,STRING>}: one Spark map per row. */
    MAP,
    /**
     * {@code STRING}: the labels as one JSON object, keys sorted, built once per series. The same text on every row
     * of a series is cheap to write (Parquet dictionary-encodes it) and reads back with
     * {@code from_json(labels, 'map<string,string>')}.
     */
    JSON;

    /**
     * The labels other than {@code skipped} as a JSON object with sorted keys: {@code {"instance":"a:9100","job":"node"}}.
     * Quotes, backslashes and control characters are escaped; other characters are kept as they are (UTF-8 once
     * in Spark).
     */
    static String toJson(Map<String, String> labels, String skipped) {
        StringBuilder json = new StringBuilder(16 * labels.size() + 2).append('{');
        for (Map.Entry<String, String> label : new TreeMap<>(labels).entrySet()) {
            if (label.getKey().equals(skipped)) {
                continue;
            }
            if (json.length() > 1) {
                json.append(',');
            }
            appendString(json, label.getKey());
            json.append(':');
            appendString(json, label.getValue());
        }
        return json.append('}').toString();
    }

    private static void appendString(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"':
                    json.append("\\\"");
                    break;
                case '\\':
                    json.append("\\\\");
                    break;
                case '\n':
                    json.append("\\n");
                    break;
                case '\r':
                    json.append("\\r");
                    break;
                case '\t':
                    json.append("\\t");
                    break;
                case '\b':
                    json.append("\\b");
                    break;
                case '\f':
                    json.append("\\f");
                    break;
                default:
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
            }
        }
        json.append('"');
    }
}
