package io.tributary.athena;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A Parquet file read straight from S3 with ranged GETs, so UNLOAD output needs no Hadoop S3A configuration. Reads
 * go through a window of at least {@link #WINDOW} bytes: Parquet reads a footer, then whole column chunks.
 */
final class S3InputFile implements InputFile {
    static final int WINDOW = 8 << 20;

    private final S3Client s3;
    private final S3Location file;
    private final long length;

    S3InputFile(S3Client s3, S3Location file, long length) {
        this.s3 = s3;
        this.file = file;
        this.length = length;
    }

    @Override
    public long getLength() {
        return length;
    }

    @Override
    public SeekableInputStream newStream() {
        return new Stream();
    }

    @Override
    public String toString() {
        return file.toString();
    }

    private final class Stream extends SeekableInputStream {
        private long position;
        private byte[] window = new byte[0];
        private long windowStart;

        @Override
        public long getPos() {
            return position;
        }

        @Override
        public void seek(long newPos) {
            position = newPos;
        }

        /** Makes the window hold byte {@code position} and returns how many bytes from there it holds. */
        private int available(int wanted) {
            if (position >= length) {
                return 0;
            }
            if (position < windowStart || position >= windowStart + window.length) {
                int size = (int) Math.min(Math.max(wanted, WINDOW), length - position);
                window = CsvBoundaryLocator.S3Ranges.read(s3, file, position, size);
                windowStart = position;
            }
            return (int) (windowStart + window.length - position);
        }

        @Override
        public int read() {
            if (available(1) == 0) {
                return -1;
            }
            return window[(int) (position++ - windowStart)] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int len) {
            if (len == 0) {
                return 0;
            }
            int n = Math.min(available(len), len);
            if (n == 0) {
                return -1;
            }
            System.arraycopy(window, (int) (position - windowStart), bytes, offset, n);
            position += n;
            return n;
        }

        @Override
        public void readFully(byte[] bytes) throws IOException {
            readFully(bytes, 0, bytes.length);
        }

        @Override
        public void readFully(byte[] bytes, int offset, int len) throws IOException {
            while (len > 0) {
                int n = read(bytes, offset, len);
                if (n < 0) {
                    throw new EOFException("End of " + file + " at byte " + position);
                }
                offset += n;
                len -= n;
            }
        }

        @Override
        public int read(ByteBuffer buffer) {
            int len = buffer.remaining();
            if (len == 0) {
                return 0;
            }
            int n = Math.min(available(len), len);
            if (n == 0) {
                return -1;
            }
            buffer.put(window, (int) (position - windowStart), n);
            position += n;
            return n;
        }

        @Override
        public void readFully(ByteBuffer buffer) throws IOException {
            while (buffer.hasRemaining()) {
                if (read(buffer) < 0) {
                    throw new EOFException("End of " + file + " at byte " + position);
                }
            }
        }

        @Override
        public void close() {
            window = new byte[0];
        }
    }
}
