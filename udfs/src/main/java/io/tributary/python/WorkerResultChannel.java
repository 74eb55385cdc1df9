package io.tributary.python;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;

/**
 * The worker's stdout as the channel Arrow's stream reader fills a task's result batches from. Why not
 * {@code Channels.newChannel}: it reads through an 8 KiB array, so every byte of a batch was copied twice on the
 * heap (into the stream's 64 KiB buffer, then into that array) before Arrow's buffer; reads as large as the stream's
 * buffer go past it, straight from the pipe into one array. Closing the channel leaves the stream open: the worker
 * keeps its stdout for its next task.
 */
final class WorkerResultChannel implements ReadableByteChannel {
    private final InputStream in;
    private final byte[] chunk;
    private boolean open = true;

    /** {@code in} buffered in at most {@code bufferSize} bytes, so that reads of that size bypass its buffer. */
    WorkerResultChannel(InputStream in, int bufferSize) {
        this.in = in;
        this.chunk = new byte[bufferSize];
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!open) {
            throw new ClosedChannelException();
        }
        int wanted = Math.min(dst.remaining(), chunk.length);
        if (wanted == 0) {
            return 0;
        }
        int n = in.read(chunk, 0, wanted);
        if (n > 0) {
            dst.put(chunk, 0, n);
        }
        return n;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }
}
