package io.tributary.python;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Byzer notebook cell taken apart: its {@code #%} annotations and its Python code. This is a parsed view only;
 * what the annotation values mean (data mode, where to run, caching) is decided by whoever runs the cell.
 *
 * <p>A cell looks like this (the seed's hello world):
 * <pre>
 * #%python
 * #%input=command
 * #%schema=st(field(hello,string))
 * #%env=source /opt/miniconda3/bin/activate ray1.8.0
 *
 * context.build_result([{"hello":"world"}])
 * </pre>
 *
 * <p>Rules:
 * <ul>
 *   <li>Annotations are the {@code #%key=value} lines in the cell's header: the lines before the first line of code,
 *       among blank lines and other {@code #} comments. Key and value are trimmed; a value may contain {@code =}.
 *       The keys input, output, schema, dataMode, runIn, cache, env and mode are stored in that spelling whatever
 *       case the cell used; other keys are kept as written. {@link #annotations()} keeps the cell's order.</li>
 *   <li>{@code #%python} marks the cell's language; it may stand anywhere in the header (the seed puts
 *       {@code #%env=...} first in some cells) and may be left out. Another language ({@code #%sql}) is an error.</li>
 *   <li>{@code #%%} lines (IDE cell separators) are ordinary comments.</li>
 *   <li>Errors ({@link IllegalArgumentException}, naming the line): a key given twice (ignoring case; both line
 *       numbers are named), an empty key or value, {@code #%key=value} or {@code #%python} after the code has begun
 *       (it would otherwise be silently ignored), and a cell with no code.</li>
 * </ul>
 *
 * <p>Line numbers: {@link #code()} is the cell with every annotation line replaced by an empty line (its line ending
 * kept) and nothing else changed, so when it is compiled as is, line N of a Python traceback is line N of the cell.
 */
public record ByzerCell(String code, Map<String, String> annotations) {

    /** Byzer's annotation keys, in the spelling the runner looks them up by. */
    private static final Map<String, String> KNOWN_KEYS = Stream.of(
                    "input", "output", "schema", "dataMode", "runIn", "cache", "env", "mode")
            .collect(Collectors.toMap(k -> k.toLowerCase(Locale.ROOT), Function.identity()));

    private static final String PYTHON = "python";

    public ByzerCell {
        Objects.requireNonNull(code, "code");
        annotations =
                Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(annotations, "annotations")));
    }

    /** The input table ({@code #%input}), if annotated. */
    public Optional<String> input() {
        return Optional.ofNullable(annotations.get("input"));
    }

    /** The output view name ({@code #%output}), if annotated. */
    public Optional<String> output() {
        return Optional.ofNullable(annotations.get("output"));
    }

    /** The declared output schema text ({@code #%schema}), if annotated; see {@link DeclaredSchemaParser}. */
    public Optional<String> schema() {
        return Optional.ofNullable(annotations.get("schema"));
    }

    /** The Python environment line ({@code #%env}), if annotated. */
    public Optional<String> env() {
        return Optional.ofNullable(annotations.get("env"));
    }

    /**
     * Parses a whole cell.
     *
     * @throws IllegalArgumentException if the cell breaks one of the rules above; the message names the line
     */
    public static ByzerCell parse(String cellText) {
        Objects.requireNonNull(cellText, "cellText");
        Map<String, String> annotations = new LinkedHashMap<>();
        Map<String, Integer> lineByKey = new HashMap<>();
        StringBuilder code = new StringBuilder(cellText.length());
        int firstCodeLine = 0;
        int lineNumber = 0;
        int start = 0;
        while (start < cellText.length()) {
            lineNumber++;
            int contentEnd = start;
            while (contentEnd < cellText.length()
                    && cellText.charAt(contentEnd) != '\n'
                    && cellText.charAt(contentEnd) != '\r') {
                contentEnd++;
            }
            int end = lineEnd(cellText, contentEnd);
            String line = cellText.substring(start, contentEnd).strip();
            boolean annotation = line.startsWith("#%") && !line.startsWith("#%%");
            if (annotation && firstCodeLine == 0) {
                readAnnotation(line.substring(2), lineNumber, annotations, lineByKey);
                code.append(cellText, contentEnd, end); // the line ending only: line numbers stay the cell's
            } else {
                if (annotation && looksLikeAnnotation(line.substring(2))) {
                    throw new IllegalArgumentException("Byzer cell line " + lineNumber + ": '" + line
                            + "' comes after the code, which starts at line " + firstCodeLine
                            + "; #% annotations must come before the first line of code");
                }
                if (firstCodeLine == 0 && !line.isEmpty() && !line.startsWith("#")) {
                    firstCodeLine = lineNumber;
                }
                code.append(cellText, start, end);
            }
            start = end;
        }
        if (firstCodeLine == 0) {
            throw new IllegalArgumentException("Byzer cell has no Python code: its " + lineNumber
                    + " line(s) hold only annotations, comments or blank lines");
        }
        return new ByzerCell(code.toString(), annotations);
    }

    /** The index after the line ending that starts at {@code contentEnd} ({@code \n}, {@code \r\n} or {@code \r}). */
    private static int lineEnd(String text, int contentEnd) {
        if (contentEnd < text.length() && text.charAt(contentEnd) == '\r') {
            contentEnd++;
        }
        if (contentEnd < text.length() && text.charAt(contentEnd) == '\n') {
            contentEnd++;
        }
        return contentEnd;
    }

    /** Reads one header line's text after {@code #%}: a language marker or {@code key=value}. */
    private static void readAnnotation(
            String body, int lineNumber, Map<String, String> annotations, Map<String, Integer> lineByKey) {
        int equals = body.indexOf('=');
        if (equals < 0) {
            String language = body.strip();
            if (!isName(language)) {
                throw new IllegalArgumentException("Byzer cell line " + lineNumber + ": '#%" + body + "' is neither"
                        + " a language marker (#%python) nor an annotation (#%key=value)");
            }
            if (!language.equalsIgnoreCase(PYTHON)) {
                throw new IllegalArgumentException("Byzer cell line " + lineNumber + ": the cell is marked as '"
                        + language + "' (#%" + language + "); only Python cells (#%python) run here");
            }
            remember(PYTHON, "#%python", lineNumber, lineByKey);
            return;
        }
        String key = body.substring(0, equals).strip();
        String value = body.substring(equals + 1).strip();
        if (!isName(key)) {
            throw new IllegalArgumentException("Byzer cell line " + lineNumber + ": '" + key + "' is not an"
                    + " annotation name; expected #%key=value with a key of letters, digits, '_', '.' or '-'");
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException(
                    "Byzer cell line " + lineNumber + ": annotation '" + key + "' has no value after '='");
        }
        String canonical = KNOWN_KEYS.getOrDefault(key.toLowerCase(Locale.ROOT), key);
        remember(canonical, "annotation '" + key + "'", lineNumber, lineByKey);
        annotations.put(canonical, value);
    }

    private static void remember(String key, String what, int lineNumber, Map<String, Integer> lineByKey) {
        Integer earlier = lineByKey.putIfAbsent(key.toLowerCase(Locale.ROOT), lineNumber);
        if (earlier != null) {
            throw new IllegalArgumentException("Byzer cell: " + what + " appears twice, on line " + earlier
                    + " and line " + lineNumber + " (keys are compared ignoring case); keep one");
        }
    }

    /** True for {@code name} or {@code name=...}, the shapes a misplaced annotation has. */
    private static boolean looksLikeAnnotation(String body) {
        int equals = body.indexOf('=');
        String key = (equals < 0 ? body : body.substring(0, equals)).strip();
        return isName(key);
    }

    private static boolean isName(String text) {
        if (text.isEmpty() || !(Character.isLetter(text.charAt(0)) || text.charAt(0) == '_')) {
            return false;
        }
        return text.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-');
    }
}
