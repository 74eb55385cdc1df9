package io.tributary.python;

/**
 * Builds the {@link IllegalArgumentException} every schema notation throws, so that all of them say the same things in
 * the same order: which notation was being read, what was wrong or expected, the character offset (and line and column
 * when the text has several lines) and the text around that offset with a {@code >>>} marker at the offset.
 */
final class SchemaSyntaxError {

    /** Characters of context shown on each side of the offset. */
    private static final int CONTEXT = 25;

    private SchemaSyntaxError() {}

    static IllegalArgumentException at(String notation, String text, int offset, String problem) {
        return at(notation, text, offset, problem, null);
    }

    static IllegalArgumentException at(String notation, String text, int offset, String problem, Throwable cause) {
        int clamped = Math.max(0, Math.min(offset, text.length()));
        return new IllegalArgumentException(
                "Invalid declared schema (" + notation + "): " + problem + " at " + position(text, clamped) + ": "
                        + snippet(text, clamped),
                cause);
    }

    private static String position(String text, int offset) {
        if (text.indexOf('\n') < 0) {
            return "offset " + offset;
        }
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return "offset " + offset + " (line " + line + ", column " + (offset - lineStart + 1) + ")";
    }

    private static String snippet(String text, int offset) {
        int from = Math.max(0, offset - CONTEXT);
        int to = Math.min(text.length(), offset + CONTEXT);
        String before = (from > 0 ? "..." : "") + text.substring(from, offset);
        String after = text.substring(offset, to) + (to < text.length() ? "..." : "");
        // One line, so the message stays readable in logs and in Spark's task failure summary.
        return (before + ">>>" + after).replaceAll("[\\r\\n\\t]", " ");
    }

    /** The first line of a Spark error message, without the SQLSTATE and the position Spark appends its own way. */
    static String sparkMessage(Throwable e) {
        String message = String.valueOf(e.getMessage()).strip();
        int newline = message.indexOf('\n');
        String first = newline < 0 ? message : message.substring(0, newline);
        return first.replaceAll("\\s*\\(line \\d+, pos \\d+\\)", "")
                .replaceAll("\\s*SQLSTATE: \\w+", "")
                .strip();
    }
}
