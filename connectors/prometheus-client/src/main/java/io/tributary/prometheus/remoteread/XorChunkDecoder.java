package io.tributary.prometheus.remoteread;

import java.io.IOException;

/**
 * Decodes one Prometheus XOR chunk (tsdb/chunkenc/xor.go, the Gorilla encoding). Layout: a big-endian 16-bit
 * sample count, then a bit stream, most significant bit first: sample 0 as a signed varint timestamp and the raw
 * 64 value bits; sample 1 as an unsigned varint timestamp delta and an XOR'd value; every later sample as a
 * delta-of-delta timestamp (prefix {@code 0}: 0; {@code 10}: 14 bits; {@code 110}: 17 bits; {@code 1110}: 20 bits;
 * {@code 1111}: 64 bits) and an XOR'd value ({@code 0}: same value; {@code 10}: meaningful bits within the
 * previous leading/trailing zero window; {@code 11}: 5 bits of leading zeros, 6 bits of meaningful-bit count (0
 * meaning 64), then the bits). Varints are read from the bit stream, which is byte-aligned only at the start.
 */
final class XorChunkDecoder {
    private byte[] data;
    private int position;
    private int limit;
    /** The low {@code available} bits are the next bits of the stream. */
    private long window;

    private int available;
    private long valueBits;
    private int leading;
    private int trailing;

    /** Decodes {@code data[offset, offset+length)} into {@code samples}. */
    void decode(byte[] bytes, int offset, int length, RawSeriesCollector samples) throws IOException {
        if (length < 2) {
            throw new IOException("XOR chunk of " + length + " bytes has no sample count");
        }
        int count = ((bytes[offset] & 0xff) << 8) | (bytes[offset + 1] & 0xff);
        this.data = bytes;
        this.position = offset + 2;
        this.limit = offset + length;
        this.window = 0;
        this.available = 0;
        if (count == 0) {
            return;
        }
        long timestamp = readSignedVarint();
        valueBits = readBits(64);
        // The writer starts without a zero window, so the first XOR'd value always sets one (control bits 11).
        leading = -1;
        trailing = 0;
        samples.add(timestamp, Double.longBitsToDouble(valueBits));
        if (count == 1) {
            return;
        }
        long delta = readUnsignedVarint();
        timestamp += delta;
        readValue();
        samples.add(timestamp, Double.longBitsToDouble(valueBits));
        for (int i = 2; i < count; i++) {
            delta += readDeltaOfDelta();
            timestamp += delta;
            readValue();
            samples.add(timestamp, Double.longBitsToDouble(valueBits));
        }
    }

    private long readDeltaOfDelta() throws IOException {
        int prefix = 0;
        while (prefix < 4 && readBits(1) == 1) {
            prefix++;
        }
        int size;
        switch (prefix) {
            case 0:
                return 0;
            case 1:
                size = 14;
                break;
            case 2:
                size = 17;
                break;
            case 3:
                size = 20;
                break;
            default:
                return readBits(64);
        }
        long bits = readBits(size);
        // Two's complement in `size` bits, except that +2^(size-1) is also allowed (xor.go's bitRange).
        return bits > (1L << (size - 1)) ? bits - (1L << size) : bits;
    }

    private void readValue() throws IOException {
        if (readBits(1) == 0) {
            return;
        }
        int significant;
        if (readBits(1) == 1) {
            leading = (int) readBits(5);
            significant = (int) readBits(6);
            if (significant == 0) {
                significant = 64;
            }
            trailing = 64 - leading - significant;
        } else {
            significant = 64 - leading - trailing;
        }
        if (leading < 0 || significant <= 0 || trailing < 0) {
            throw new IOException(
                    "corrupt XOR chunk: value window of " + leading + " leading and " + trailing + " trailing zeros");
        }
        valueBits ^= readBits(significant) << trailing;
    }

    private long readSignedVarint() throws IOException {
        long unsigned = readUnsignedVarint();
        return (unsigned >>> 1) ^ -(unsigned & 1);
    }

    private long readUnsignedVarint() throws IOException {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            long b = readBits(8);
            result |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new IOException("corrupt XOR chunk: varint longer than 64 bits");
    }

    /** The next {@code n} bits (1..64) as an unsigned number. */
    private long readBits(int n) throws IOException {
        if (n > 56) {
            long high = readBits(n - 32);
            return (high << 32) | readBits(32);
        }
        while (available < n) {
            if (position >= limit) {
                throw new IOException("XOR chunk ends in the middle of a sample");
            }
            window = (window << 8) | (data[position++] & 0xff);
            available += 8;
        }
        available -= n;
        return (window >>> available) & ((1L << n) - 1);
    }
}
