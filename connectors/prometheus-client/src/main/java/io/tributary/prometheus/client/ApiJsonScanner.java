package io.tributary.prometheus.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * A streaming reader of the JSON that Prometheus' HTTP API writes, working on bytes. A general JSON parser spends
 * most of a range query's decoding on tokens it then throws away: it turns every sample value into text before
 * that text becomes a double. This reader takes samples straight from its buffer ({@link #readSecondsAsMillis},
 * {@link #readSampleValue}) and offers just the structural steps a caller that knows the shape needs. Anything
 * malformed, cut off or unexpected is an {@link IOException} that says what was wanted and where.
 */
final class ApiJsonScanner {
    private static final int BUFFER_BYTES = 64 * 1024;
    /** Deeper nesting than this in a skipped value is refused rather than recursed into. */
    private static final int MAX_SKIP_DEPTH = 256;
    /** Largest digit count whose integer value is always exactly a double. */
    private static final int EXACT_DIGITS = 15;

    private final InputStream in;
    private byte[] buffer;
    private int position;
    private int limit;
    /** Bytes dropped from the front of the buffer so far, for offsets in messages. */
    private long discarded;

    /** Reads {@code body} as it arrives, so that decoding overlaps the server's encoding. */
    ApiJsonScanner(InputStream body) {
        this.in = body;
        this.buffer = new byte[BUFFER_BYTES];
    }

    /** Reads the first {@code length} bytes of {@code body}. */
    ApiJsonScanner(byte[] body, int length) {
        this.in = null;
        this.buffer = body;
        this.limit = length;
    }

    /** Consumes {@code expected} (after whitespace) or fails. */
    void expect(char expected) throws IOException {
        if (!consumeIf(expected)) {
            throw unexpected("'" + expected + "'");
        }
    }

    /** Consumes {@code c} (after whitespace) if it comes next. */
    boolean consumeIf(char c) throws IOException {
        if (peek() == c) {
            position++;
            return true;
        }
        return false;
    }

    /** True if the next value is JSON {@code null}; consumes it. */
    boolean consumeNull() throws IOException {
        if (peek() != 'n') {
            return false;
        }
        readLiteral();
        return true;
    }

    /** Reads one member's value, given its name. */
    interface MemberReader {
        void read(String name) throws IOException;
    }

    /** Reads one element of an array. */
    interface ElementReader {
        void read() throws IOException;
    }

    /** Reads an object, handing each member's name to {@code member}, which reads (or skips) its value. */
    void readObject(MemberReader member) throws IOException {
        expect('{');
        if (consumeIf('}')) {
            return;
        }
        do {
            String name = readString();
            expect(':');
            member.read(name);
        } while (consumeIf(','));
        expect('}');
    }

    /** Reads an array, calling {@code element} once per element. */
    void readArray(ElementReader element) throws IOException {
        expect('[');
        if (consumeIf(']')) {
            return;
        }
        do {
            element.read();
        } while (consumeIf(','));
        expect(']');
    }

    /** Fails unless only whitespace is left. */
    void expectEnd() throws IOException {
        if (peek() != -1) {
            throw new IOException("trailing content after the JSON body at offset " + offset());
        }
    }

    /** The next string; fails if the next value is not one. */
    String readString() throws IOException {
        expect('"');
        int end = position;
        while (true) {
            if (end == limit) {
                int scanned = end - position;
                if (!fill()) {
                    throw unexpectedEnd("the end of a string");
                }
                end = position + scanned;
                continue;
            }
            byte b = buffer[end];
            if (b == '"') {
                String text = decode(position, end - position);
                position = end + 1;
                return text;
            }
            if (b == '\\') {
                return readEscapedString(end);
            }
            end++;
        }
    }

    /**
     * A JSON number of seconds, as milliseconds: whole seconds and up to three decimals exactly (how Prometheus
     * writes timestamps), anything else through a double.
     */
    long readSecondsAsMillis() throws IOException {
        if (peek() == -1) {
            throw unexpectedEnd("a timestamp");
        }
        int end = numberEnd();
        int start = position;
        position = end;
        long millis = exactMillis(start, end);
        return millis != NOT_EXACT ? millis : Math.round(parseNumber(start, end) * 1000);
    }

    /** A JSON number that must be a whole number (a bucket's boundary rule, for one). */
    long readWholeNumber() throws IOException {
        if (peek() == -1) {
            throw unexpectedEnd("a whole number");
        }
        int end = numberEnd();
        int start = position;
        double number = parseNumber(start, end);
        position = end;
        if (number != Math.rint(number) || Math.abs(number) > (1L << 53)) {
            throw new IOException(
                    "not a whole number: '" + new String(buffer, start, end - start, StandardCharsets.ISO_8859_1)
                            + "' before offset " + offset());
        }
        return (long) number;
    }

    /** What {@link #exactMillis} answers for a number it cannot convert exactly. */
    private static final long NOT_EXACT = Long.MIN_VALUE;

    /**
     * The seconds written in {@code buffer[start, end)} as milliseconds, when they are an optional minus, 1 to 15
     * digits and optionally a point and 1 to 3 decimals; {@link #NOT_EXACT} for anything else.
     */
    private long exactMillis(int start, int end) {
        int i = start;
        boolean negative = i < end && buffer[i] == '-';
        if (negative) {
            i++;
        }
        int wholeStart = i;
        long whole = 0;
        for (; i < end && isDigit(buffer[i]); i++) {
            whole = whole * 10 + (buffer[i] - '0');
        }
        int wholeDigits = i - wholeStart;
        long fraction = 0;
        int decimals = 0;
        if (i < end && buffer[i] == '.') {
            for (i++; i < end && isDigit(buffer[i]) && decimals < 3; i++, decimals++) {
                fraction = fraction * 10 + (buffer[i] - '0');
            }
            if (decimals == 0) {
                return NOT_EXACT;
            }
        }
        if (i != end || wholeDigits == 0 || wholeDigits > EXACT_DIGITS) {
            return NOT_EXACT;
        }
        for (; decimals < 3; decimals++) {
            fraction *= 10;
        }
        long result = whole * 1000 + fraction;
        return negative ? -result : result;
    }

    /**
     * A sample value: a JSON string holding a float as Go formats it ({@code "2148941824"}, {@code "0.5"},
     * {@code "NaN"}, {@code "+Inf"}, {@code "-Inf"}).
     */
    double readSampleValue() throws IOException {
        if (peek() != '"') {
            throw unexpected("a sample value in quotes");
        }
        int end = position + 1;
        while (end < limit && buffer[end] != '"' && buffer[end] != '\\') {
            end++;
        }
        if (end < limit && buffer[end] == '"') {
            int start = position + 1;
            position = end + 1;
            return parseSampleValue(buffer, start, end - start);
        }
        String text = readString();
        try {
            return parseSampleValue(text);
        } catch (NumberFormatException e) {
            throw new IOException("not a sample value: \"" + text + "\" before offset " + offset());
        }
    }

    /** Longest sample pair the fast path takes: {@code [}, 15 digits, {@code .}, 3 decimals, {@code ,"}, value, {@code "]}. */
    private static final int COMPACT_SAMPLE_BYTES = 64;

    /**
     * Reads one {@code [seconds,"value"]} pair as Prometheus writes it (no spaces, whole seconds or up to three
     * decimals) straight from the buffer into {@code millis[index]} and {@code values[index]}. Returns false,
     * having consumed nothing, for anything else (spaces, exponents, a pair split across reads), which the caller
     * then reads token by token.
     */
    boolean readCompactSample(long[] millis, double[] values, int index) throws IOException {
        if (limit - position < COMPACT_SAMPLE_BYTES && in != null) {
            fill();
        }
        byte[] b = buffer;
        int i = position;
        int end = Math.min(limit, i + COMPACT_SAMPLE_BYTES);
        if (i >= end || b[i] != '[') {
            return false;
        }
        int timeStart = i + 1;
        for (i = timeStart; i < end && (isDigit(b[i]) || b[i] == '.'); i++) {
            // the seconds run up to the comma
        }
        long time = exactMillis(timeStart, i);
        if (time == NOT_EXACT) {
            return false;
        }
        if (i + 1 >= end || b[i] != ',' || b[i + 1] != '"') {
            return false;
        }
        int valueStart = i + 2;
        int valueEnd = valueStart;
        while (valueEnd < end && b[valueEnd] != '"' && b[valueEnd] != '\\') {
            valueEnd++;
        }
        if (valueEnd + 1 >= end || b[valueEnd] != '"' || b[valueEnd + 1] != ']') {
            return false;
        }
        values[index] = parseSampleValue(b, valueStart, valueEnd - valueStart);
        millis[index] = time;
        position = valueEnd + 2;
        return true;
    }

    /** Skips one value of any kind: string, number, literal, array or object. */
    void skipValue() throws IOException {
        skipValue(0);
    }

    private void skipValue(int depth) throws IOException {
        if (depth > MAX_SKIP_DEPTH) {
            throw new IOException("JSON nested deeper than " + MAX_SKIP_DEPTH + " at offset " + offset());
        }
        int next = peek();
        if (next == '"') {
            readString();
        } else if (next == '{') {
            readObject(name -> skipValue(depth + 1));
        } else if (next == '[') {
            readArray(() -> skipValue(depth + 1));
        } else if (next == '-' || isDigit(next)) {
            int end = numberEnd();
            parseNumber(position, end);
            position = end;
        } else if (next >= 'a' && next <= 'z') {
            readLiteral();
        } else {
            throw unexpected("a JSON value");
        }
    }

    private void readLiteral() throws IOException {
        int end = tokenEnd(b -> b >= 'a' && b <= 'z');
        String word = new String(buffer, position, end - position, StandardCharsets.ISO_8859_1);
        if (!word.equals("true") && !word.equals("false") && !word.equals("null")) {
            throw unexpected("a JSON value");
        }
        position = end;
    }

    /** The next byte (0-255) after whitespace, not consumed; -1 at the end of the body. */
    int peek() throws IOException {
        while (true) {
            if (position == limit && !fill()) {
                return -1;
            }
            int b = buffer[position] & 0xFF;
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return b;
            }
            position++;
        }
    }

    /** The end (exclusive) of the number starting at {@link #position}, the whole number in the buffer. */
    private int numberEnd() throws IOException {
        return tokenEnd(b -> isDigit(b) || b == '.' || b == '-' || b == '+' || b == 'e' || b == 'E');
    }

    /**
     * The end (exclusive) of the run of bytes from {@link #position} that {@code part} accepts, reading more of the
     * body until the run ends, so that the whole token is in the buffer.
     */
    private int tokenEnd(IntPredicate part) throws IOException {
        int end = position;
        while (true) {
            if (end == limit) {
                int scanned = end - position;
                if (!fill()) {
                    return end;
                }
                end = position + scanned;
            } else if (part.test(buffer[end])) {
                end++;
            } else {
                return end;
            }
        }
    }

    private double parseNumber(int start, int end) throws IOException {
        String text = new String(buffer, start, end - start, StandardCharsets.ISO_8859_1);
        try {
            if (text.isEmpty() || !(text.charAt(0) == '-' || isDigit(text.charAt(0)))) {
                throw new NumberFormatException();
            }
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IOException("not a JSON number: '" + text + "' at offset " + (discarded + start));
        }
    }

    private String readEscapedString(int firstEscape) throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        text.write(buffer, position, firstEscape - position);
        position = firstEscape;
        while (true) {
            int b = nextByte("the end of a string");
            if (b == '"') {
                return text.toString(StandardCharsets.UTF_8);
            }
            if (b != '\\') {
                text.write(b);
                continue;
            }
            int escaped = nextByte("an escape sequence");
            switch (escaped) {
                case '"', '\\', '/' -> text.write(escaped);
                case 'b' -> text.write('\b');
                case 'f' -> text.write('\f');
                case 'n' -> text.write('\n');
                case 'r' -> text.write('\r');
                case 't' -> text.write('\t');
                case 'u' -> writeUtf8(text, readUnicodeEscape());
                default -> throw new IOException("bad escape '\\" + (char) escaped + "' at offset " + (offset() - 1));
            }
        }
    }

    /** A {@code \\uXXXX} escape's code point, joining a surrogate pair written as two escapes. */
    private int readUnicodeEscape() throws IOException {
        char high = (char) readHex4();
        if (!Character.isHighSurrogate(high)) {
            return Character.isLowSurrogate(high) ? 0xFFFD : high;
        }
        while (limit - position < 6 && fill()) {
            // a surrogate pair's second half may still be on its way
        }
        if (limit - position >= 6 && buffer[position] == '\\' && buffer[position + 1] == 'u') {
            position += 2;
            char low = (char) readHex4();
            return Character.isLowSurrogate(low) ? Character.toCodePoint(high, low) : 0xFFFD;
        }
        return 0xFFFD;
    }

    private int readHex4() throws IOException {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(nextByte("a \\u escape"), 16);
            if (digit < 0) {
                throw new IOException("bad \\u escape at offset " + (offset() - 1));
            }
            value = value * 16 + digit;
        }
        return value;
    }

    private static void writeUtf8(ByteArrayOutputStream out, int codePoint) {
        byte[] bytes = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
    }

    private int nextByte(String wanted) throws IOException {
        if (position == limit && !fill()) {
            throw unexpectedEnd(wanted);
        }
        return buffer[position++] & 0xFF;
    }

    /** Strings are almost always ASCII: those become Latin-1 strings without a decoder. */
    private String decode(int start, int length) {
        for (int i = start; i < start + length; i++) {
            if (buffer[i] < 0) {
                return new String(buffer, start, length, StandardCharsets.UTF_8);
            }
        }
        return new String(buffer, start, length, StandardCharsets.ISO_8859_1);
    }

    /**
     * Reads more of the body, keeping the unread bytes from {@link #position} on (moved to the front); grows the
     * buffer when one token fills it. False at the end of the body.
     */
    private boolean fill() throws IOException {
        if (in == null) {
            return false;
        }
        int unread = limit - position;
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, unread);
            discarded += position;
            position = 0;
            limit = unread;
        }
        if (limit == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        int read = in.read(buffer, limit, buffer.length - limit);
        if (read <= 0) {
            return false;
        }
        limit += read;
        return true;
    }

    private long offset() {
        return discarded + position;
    }

    private IOException unexpected(String wanted) throws IOException {
        int next = peek();
        if (next == -1) {
            return unexpectedEnd(wanted);
        }
        return new IOException(
                "unexpected JSON: wanted " + wanted + ", found '" + (char) next + "' at offset " + offset());
    }

    private IOException unexpectedEnd(String wanted) {
        return new IOException("the body ended at offset " + offset() + " where " + wanted + " was wanted");
    }

    private static boolean isDigit(int b) {
        return b >= '0' && b <= '9';
    }

    /**
     * Prometheus writes values with Go's {@code FormatFloat(v, 'f', -1, 64)}, so most are plain integers (byte
     * counts, counters): those of up to 15 digits are converted exactly without allocating; the rest, and
     * {@code NaN}, {@code +Inf}, {@code -Inf}, take the general path.
     *
     * @throws IOException if the text is not a number
     */
    static double parseSampleValue(byte[] text, int offset, int length) throws IOException {
        int i = offset;
        int end = offset + length;
        boolean negative = length > 0 && text[i] == '-';
        if (negative) {
            i++;
        }
        int digits = end - i;
        if (digits > 0 && digits <= EXACT_DIGITS) {
            long value = 0;
            for (; i < end; i++) {
                int digit = text[i] - '0';
                if (digit < 0 || digit > 9) {
                    return parseSampleValueText(text, offset, length);
                }
                value = value * 10 + digit;
            }
            return negative ? -(double) value : (double) value;
        }
        return parseSampleValueText(text, offset, length);
    }

    private static double parseSampleValueText(byte[] text, int offset, int length) throws IOException {
        String value = new String(text, offset, length, StandardCharsets.UTF_8);
        try {
            return parseSampleValue(value);
        } catch (NumberFormatException e) {
            throw new IOException("not a sample value: \"" + value + "\"");
        }
    }

    static double parseSampleValue(String text) {
        switch (text) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                return Double.parseDouble(text);
        }
    }
}
