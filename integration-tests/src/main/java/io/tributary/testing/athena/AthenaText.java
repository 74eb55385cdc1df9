package io.tributary.testing.athena;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Blob;
import java.sql.SQLException;
import java.sql.Struct;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How Athena prints values and names types, for DuckDB's JDBC values and type names. */
final class AthenaText {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS");

    private AthenaText() {}

    /** Athena's type name in ColumnInfo for a DuckDB type name. */
    static String athenaType(String duckType) {
        String t = duckType.toUpperCase(Locale.ROOT);
        if (t.endsWith("]")) {
            return "array";
        } else if (t.startsWith("MAP")) {
            return "map";
        } else if (t.startsWith("STRUCT")) {
            return "row";
        } else if (t.startsWith("DECIMAL")) {
            return "decimal";
        }
        switch (t) {
            case "BOOLEAN":
                return "boolean";
            case "TINYINT":
                return "tinyint";
            case "SMALLINT":
                return "smallint";
            case "INTEGER":
                return "integer";
            case "BIGINT":
                return "bigint";
            case "FLOAT":
                return "float";
            case "DOUBLE":
                return "double";
            case "DATE":
                return "date";
            case "TIME":
                return "time";
            case "TIMESTAMP":
                return "timestamp";
            case "TIMESTAMP WITH TIME ZONE":
                return "timestamp with time zone";
            case "BLOB":
                return "varbinary";
            case "JSON":
                return "json";
            default:
                return "varchar";
        }
    }

    /** Athena's text for a non-null top-level value. */
    static String format(Object value) {
        try {
            return text(value, false);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(Object value, boolean nested) throws SQLException {
        if (value == null) {
            return "null";
        } else if (value instanceof Timestamp) {
            return TIMESTAMP.format(((Timestamp) value).toLocalDateTime());
        } else if (value instanceof LocalDateTime) {
            return TIMESTAMP.format((LocalDateTime) value);
        } else if (value instanceof OffsetDateTime) {
            return TIMESTAMP.format(((OffsetDateTime) value).withOffsetSameInstant(ZoneOffset.UTC)) + " UTC";
        } else if (value instanceof java.sql.Date) {
            return ((java.sql.Date) value).toLocalDate().toString();
        } else if (value instanceof LocalDate) {
            return value.toString();
        } else if (value instanceof BigDecimal) {
            return ((BigDecimal) value).toPlainString();
        } else if (value instanceof Blob) {
            return hex(bytes((Blob) value));
        } else if (value instanceof byte[]) {
            return hex((byte[]) value);
        } else if (value instanceof Array) {
            List<String> items = new ArrayList<>();
            for (Object item : (Object[]) ((Array) value).getArray()) {
                items.add(text(item, true));
            }
            return "[" + String.join(", ", items) + "]";
        } else if (value instanceof Struct) {
            return entries(((org.duckdb.DuckDBStruct) value).getMap());
        } else if (value instanceof Map) {
            return entries((Map<?, ?>) value);
        }
        return value.toString();
    }

    /** Athena prints maps and rows alike: {@code {key=value, ...}}. */
    private static String entries(Map<?, ?> map) throws SQLException {
        List<String> items = new ArrayList<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            items.add(text(entry.getKey(), true) + "=" + text(entry.getValue(), true));
        }
        return "{" + String.join(", ", items) + "}";
    }

    private static byte[] bytes(Blob blob) throws SQLException {
        try (InputStream in = blob.getBinaryStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** varbinary: lower-case hex bytes separated by spaces. */
    static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder(bytes.length * 3);
        for (int i = 0; i < bytes.length; i++) {
            if (i > 0) {
                text.append(' ');
            }
            text.append(Character.forDigit((bytes[i] >> 4) & 0xf, 16)).append(Character.forDigit(bytes[i] & 0xf, 16));
        }
        return text.toString();
    }

    /** One CSV field as Athena writes it: NULL empty and unquoted, everything else quoted with quotes doubled. */
    static void appendCsvField(StringBuilder line, String value) {
        if (value != null) {
            line.append('"').append(value.replace("\"", "\"\"")).append('"');
        }
    }
}
