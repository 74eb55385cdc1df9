package io.tributary.prometheus.remoteread;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32C;

/**
 * Splits a streamed remote-read answer (storage/remote/chunked.go) into its frames: each is an unsigned varint
 * length, the big-endian CRC32-Castagnoli of the message, then the protobuf message. A stream that ends inside a
 * frame, or a frame whose checksum does not match, is an {@link IOException}, so that the request is retried
 * rather than read with a hole.
 */
final class StreamedFrameReader {
    /** Prometheus keeps frames near 1 MB (--storage.remote.read-max-bytes-in-frame); far more is corruption. */
    static final int MAX_FRAME_BYTES = 256 << 20;

    private final InputStream in;
    private final CRC32C crc = new CRC32C();
    private byte[] buffer = new byte[64 << 10];
    private int length;

    StreamedFrameReader(InputStream in) {
        this.in = in;
    }

    /** Reads the next frame into {@link #frame()}; false at the end of the stream, between frames. */
    boolean next() throws IOException {
        long size = 0;
        for (int shift = 0; ; shift += 7) {
            int b = in.read();
            if (b < 0) {
                if (shift == 0) {
                    return false;
                }
                throw new EOFException("remote-read stream cut off inside a frame header");
            }
            if (shift > 28) {
                throw new IOException("remote-read frame length is not a 32-bit varint");
            }
            size |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        if (size > MAX_FRAME_BYTES) {
            throw new IOException("remote-read frame of " + size + " bytes exceeds " + MAX_FRAME_BYTES);
        }
        byte[] checksum = in.readNBytes(4);
        length = (int) size;
        if (buffer.length < length) {
            buffer = new byte[Math.max(length, buffer.length * 2)];
        }
        int read = checksum.length == 4 ? in.readNBytes(buffer, 0, length) : 0;
        if (checksum.length < 4 || read < length) {
            throw new EOFException("remote-read stream cut off inside a frame of " + length + " bytes");
        }
        crc.reset();
        crc.update(buffer, 0, length);
        long expected = ((checksum[0] & 0xffL) << 24)
                | ((checksum[1] & 0xffL) << 16)
                | ((checksum[2] & 0xffL) << 8)
                | (checksum[3] & 0xffL);
        if (crc.getValue() != expected) {
            throw new IOException("remote-read frame of " + length + " bytes fails its CRC32C check");
        }
        return true;
    }

    /** The current frame's message bytes: {@code frame()[0, length())}; reused by the next call. */
    byte[] frame() {
        return buffer;
    }

    int length() {
        return length;
    }
}
