package io.tributary.python;

/**
 * A read position in a schema text for the hand-written parsers: skips whitespace, reads words, numbers and
 * punctuation, and turns "expected X here" into a {@link SchemaSyntaxError} that names what it found instead.
 */
final class SchemaTextCursor {

    private final String notation;
    private final String text;
    private int pos;

    SchemaTextCursor(String notation, String text) {
        this.notation = notation;
        this.text = text;
    }

    int position() {
        return pos;
    }

    String text() {
        return text;
    }

    void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    /** True if only whitespace is left. */
    boolean atEnd() {
        skipSpace();
        return pos >= text.length();
    }

    /** Consumes {@code c} (after whitespace) if it is next. */
    boolean tryChar(char c) {
        skipSpace();
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    void expectChar(char c, String expected) {
        if (!tryChar(c)) {
            throw expected(expected);
        }
    }

    /** The letters, digits and underscores next (after whitespace), consumed; empty if there are none. */
    String readWord() {
        skipSpace();
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        return text.substring(start, pos);
    }

    /** Consumes the word {@code keyword} (any case) if it is next as a whole word. */
    boolean tryKeyword(String keyword) {
        int start = pos;
        if (readWord().equalsIgnoreCase(keyword)) {
            return true;
        }
        pos = start;
        return false;
    }

    int readUnsignedInt(String what) {
        skipSpace();
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        if (start == pos) {
            throw expected(what);
        }
        try {
            return Integer.parseInt(text.substring(start, pos));
        } catch (NumberFormatException tooLong) {
            throw errorAt(start, what + " too large: " + text.substring(start, pos));
        }
    }

    /** Consumes and returns the raw characters up to (not including) the first of {@code stops} or the end. */
    String readUntilAny(String stops) {
        int start = pos;
        while (pos < text.length() && stops.indexOf(text.charAt(pos)) < 0) {
            pos++;
        }
        return text.substring(start, pos);
    }

    /** An error saying {@code expected} was expected at the current position, and what is there instead. */
    IllegalArgumentException expected(String expected) {
        skipSpace();
        return errorAt(pos, "expected " + expected + " but found " + found());
    }

    IllegalArgumentException errorAt(int offset, String problem) {
        return SchemaSyntaxError.at(notation, text, offset, problem);
    }

    private String found() {
        if (pos >= text.length()) {
            return "the end of the text";
        }
        int start = pos;
        int end = pos;
        while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
            end++;
        }
        return "'" + text.substring(start, Math.max(end, start + 1)) + "'";
    }
}
