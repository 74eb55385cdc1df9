package io.tributary.athena;

/**
 * Finds where the first record at or after some byte offset starts in Athena's result CSV, reading only bytes near
 * that offset, so each partition can start at a record boundary without scanning the file from its beginning.
 *
 * <p>Whether a newline ends a record depends on the parity of the quotes before it, which is unknown mid-file. Both
 * parities are followed at once; Athena's quoting (every non-null value quoted, quotes doubled, NULL empty, a fixed
 * number of fields per record) makes the wrong one break a rule, usually within a few bytes. A window that ends
 * with both still possible asks for more bytes; at the end of the file only one parity can hold.
 */
final class CsvRecordBoundary {
    /** More bytes are needed to tell the two parities apart. */
    static final int UNRESOLVED = -1;

    private CsvRecordBoundary() {}

    /**
     * @param window the file's bytes from {@code offset - 1} on ({@code offset > 0})
     * @param length how many bytes of {@code window} are valid
     * @param endOfFile whether the window reaches the end of the file
     * @param columns fields per record
     * @return the index in {@code window} (at least 1) where the first record at or after {@code offset} starts, or
     *     {@link #UNRESOLVED}; {@code length} when no record starts before the end of the file
     * @throws IllegalStateException when neither parity fits: the bytes are not Athena CSV with that many columns
     */
    static int find(byte[] window, int length, boolean endOfFile, int columns) {
        Parity even = new Parity(false, columns);
        Parity odd = new Parity(true, columns);
        for (int i = 0; i < length; i++) {
            if (window[i] == '"' && i + 1 == length && !endOfFile) {
                break; // a quote's meaning depends on the byte after it
            }
            if (even.alive) {
                even.step(window, length, i);
            }
            if (odd.alive) {
                odd.step(window, length, i);
            }
            if (!even.alive && !odd.alive) {
                throw new IllegalStateException("The result file is not Athena CSV with " + columns
                        + " columns near this offset: no quoting fits");
            }
            Parity survivor = !even.alive ? odd : !odd.alive ? even : null;
            if (survivor != null && survivor.firstRecordStart > 0) {
                return survivor.firstRecordStart;
            }
        }
        if (endOfFile) {
            even.finish();
            odd.finish();
            Parity survivor = even.alive && !odd.alive ? even : odd.alive && !even.alive ? odd : null;
            if (survivor == null) {
                throw new IllegalStateException(
                        "The result file is not Athena CSV with " + columns + " columns near its end");
            }
            return survivor.firstRecordStart > 0 ? survivor.firstRecordStart : length;
        }
        return UNRESOLVED;
    }

    /** One hypothesis about whether the window's first byte lies inside a quoted value. */
    private static final class Parity {
        private final int columns;
        private boolean insideQuotes;
        private boolean alive = true;
        private int firstRecordStart;
        /** Commas seen in the current record, or -1 before the first record boundary (a partial record). */
        private int commas = -1;

        Parity(boolean insideQuotes, int columns) {
            this.insideQuotes = insideQuotes;
            this.columns = columns;
        }

        void step(byte[] window, int length, int i) {
            byte b = window[i];
            if (b == '"') {
                if (insideQuotes) {
                    // Closing quote, or the first of a doubled pair: what follows must be a quote, a separator or the
                    // end.
                    if (i + 1 < length) {
                        byte next = window[i + 1];
                        alive = next == '"' || next == ',' || next == '\n';
                    }
                } else if (i > 0) {
                    // Opening quote, or the second of a doubled pair: what precedes is a separator or that first quote.
                    byte previous = window[i - 1];
                    alive = previous == ',' || previous == '\n' || previous == '"';
                }
                insideQuotes = !insideQuotes;
            } else if (!insideQuotes) {
                if (b == ',') {
                    if (commas >= 0) {
                        commas++;
                    }
                } else if (b == '\n') {
                    if (commas >= 0 && commas + 1 != columns) {
                        alive = false;
                    }
                    commas = 0;
                    if (firstRecordStart == 0 && i + 1 >= 1) {
                        firstRecordStart = i + 1;
                    }
                } else {
                    alive = false; // outside quotes Athena writes only commas and newlines
                }
            }
        }

        void finish() {
            if (insideQuotes || (commas > 0 && commas + 1 != columns)) {
                alive = false;
            }
        }
    }
}
