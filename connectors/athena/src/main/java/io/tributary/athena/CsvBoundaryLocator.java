package io.tributary.athena;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import software.amazon.awssdk.services.s3.S3Client;

/** Reads just enough bytes around an offset of the result CSV, with ranged GETs, to find the next record start. */
final class CsvBoundaryLocator {
    static final int FIRST_WINDOW = 64 << 10;
    /** Past this much ambiguous data give up rather than read on: only adversarial CSV-in-CSV values get here. */
    static final int MAX_WINDOW = 32 << 20;

    private final S3Client s3;
    private final S3Location file;
    private final long fileSize;
    private final int columns;

    CsvBoundaryLocator(S3Client s3, S3Location file, long fileSize, int columns) {
        this.s3 = s3;
        this.file = file;
        this.fileSize = fileSize;
        this.columns = columns;
    }

    /** The offset of the first record starting at or after {@code offset}; {@code fileSize} if none does. */
    long recordStartAtOrAfter(long offset) {
        if (offset <= 0) {
            return 0;
        }
        if (offset >= fileSize) {
            return fileSize;
        }
        long windowStart = offset - 1;
        for (int window = FIRST_WINDOW; ; window *= 2) {
            int length = (int) Math.min(window, fileSize - windowStart);
            boolean endOfFile = windowStart + length == fileSize;
            byte[] bytes = S3Ranges.read(s3, file, windowStart, length);
            int found = CsvRecordBoundary.find(bytes, length, endOfFile, columns);
            if (found != CsvRecordBoundary.UNRESOLVED) {
                return windowStart + found;
            }
            if (window >= MAX_WINDOW) {
                throw new IllegalStateException("Cannot find a record boundary within " + (MAX_WINDOW >> 20)
                        + " MB after byte " + offset + " of " + file
                        + ": its values look like CSV themselves. Use a larger '"
                        + AthenaSourceOptions.CSV_SPLIT_SIZE + "' or fetchMode=unload");
            }
        }
    }

    /** Ranged GETs. */
    static final class S3Ranges {
        private S3Ranges() {}

        static InputStream open(S3Client s3, S3Location file, long start, long endExclusive) {
            AthenaClientMetrics.S3_BYTES.inc(endExclusive - start);
            return s3.getObject(
                    r -> r.bucket(file.bucket()).key(file.key()).range("bytes=" + start + "-" + (endExclusive - 1)));
        }

        static byte[] read(S3Client s3, S3Location file, long start, int length) {
            try (InputStream in = open(s3, file, start, start + length)) {
                byte[] bytes = in.readNBytes(length);
                if (bytes.length != length) {
                    throw new IllegalStateException("Short read of " + file + " at byte " + start + ": wanted " + length
                            + " bytes, got " + bytes.length + "; did the file change while reading?");
                }
                return bytes;
            } catch (IOException e) {
                throw new UncheckedIOException("Reading " + file + " at byte " + start, e);
            }
        }
    }
}
