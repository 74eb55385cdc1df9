package io.tributary.python;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import org.junit.jupiter.api.Test;

class WorkerResultChannelTest {
    private static final int BUFFER = 1 << 16;

    /**
     * After a frame read through the same buffered stream (so part of what follows sits in its buffer), reads of
     * every size into direct buffers return exactly the stream's bytes in order, then end-of-stream; closing the
     * channel leaves the stream readable.
     */
    @Test
    void readsExactlyTheBytesThatFollowInTheStream() throws IOException {
        byte[] bytes = new byte[4 + 3 * BUFFER + 12_345];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31 + (i >>> 8));
        }
        bytes[0] = 0;
        bytes[1] = 1;
        bytes[2] = 2;
        bytes[3] = 3;
        DataInputStream stream = new DataInputStream(new BufferedInputStream(new ByteArrayInputStream(bytes), BUFFER));
        assertEquals(0x00010203, stream.readInt());
        WorkerResultChannel channel = new WorkerResultChannel(stream, BUFFER);
        byte[] read = new byte[bytes.length - 4];
        int at = 0;
        for (int size : new int[] {3, 100, BUFFER - 50, 2 * BUFFER + 7, 100_000}) {
            ByteBuffer dst = ByteBuffer.allocateDirect(size);
            while (dst.hasRemaining()) {
                int n = channel.read(dst);
                if (n < 0) {
                    break;
                }
            }
            dst.flip();
            int n = dst.remaining();
            dst.get(read, at, n);
            at += n;
        }
        assertEquals(read.length, at);
        byte[] expected = new byte[bytes.length - 4];
        System.arraycopy(bytes, 4, expected, 0, expected.length);
        assertArrayEquals(expected, read);
        assertEquals(-1, channel.read(ByteBuffer.allocateDirect(8)));
        assertEquals(0, channel.read(ByteBuffer.allocateDirect(0)));

        channel.close();
        assertFalse(channel.isOpen());
        assertThrows(ClosedChannelException.class, () -> channel.read(ByteBuffer.allocateDirect(8)));
        assertEquals(-1, stream.read(), "the stream itself stays open");
    }
}
