package io.tributary.serving;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One served partition's Arrow IPC stream file, which may still be being written: a transport can send what is
 * written so far and wait for the rest, so a partition starts on its way to the client while its task still
 * computes it. The writer reports each complete record batch it flushed ({@link #written}), then the end
 * ({@link #complete}) or its failure ({@link #fail}); whoever owns the partition last {@link #discard}s it, which
 * deletes the file and tells a writer still at work to stop.
 */
public final class ServedPartition {
    private static final Logger LOG = LoggerFactory.getLogger(ServedPartition.class);

    private final Path file;
    private final String description;
    private long writtenBytes;
    private boolean complete;
    private String failure;
    private boolean discarded;

    private ServedPartition(Path file, String description) {
        this.file = file;
        this.description = description;
    }

    /** A partition whose file is being written now. */
    static ServedPartition beingWritten(Path file, String description) {
        return new ServedPartition(file, description);
    }

    /** A partition whose file is written completely. */
    static ServedPartition written(Path file, String description) throws IOException {
        ServedPartition partition = new ServedPartition(file, description);
        partition.complete(Files.size(file));
        return partition;
    }

    public Path file() {
        return file;
    }

    /** The writer flushed the file up to {@code bytes}, a record batch boundary. */
    synchronized void written(long bytes) {
        writtenBytes = bytes;
        notifyAll();
    }

    synchronized void complete(long bytes) {
        writtenBytes = bytes;
        complete = true;
        notifyAll();
    }

    /** The computation failed: readers get {@code message} instead of the rest of the stream. */
    synchronized void fail(String message) {
        failure = message;
        notifyAll();
    }

    /** Whether nobody will read the partition any more: a writer stops at its next batch. */
    synchronized boolean discarded() {
        return discarded;
    }

    /** Deletes the file; a writer still at work stops at its next batch and a reader fails at its next read. */
    public void discard() {
        synchronized (this) {
            discarded = true;
            notifyAll();
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Cannot delete served partition file {}: {}", file, e.toString());
        }
    }

    /**
     * The partition's Arrow IPC stream from its start: the bytes written so far, then each batch as the writer adds
     * it, until the end. A read fails with the computation's error if it failed, or when no batch came for
     * {@code idleTimeout}.
     */
    public ReadableByteChannel openChannel(Duration idleTimeout) throws IOException {
        return new Reader(FileChannel.open(file, StandardOpenOption.READ), idleTimeout.toMillis());
    }

    /** {@link #openChannel} as an InputStream. */
    public InputStream open(Duration idleTimeout) throws IOException {
        return Channels.newInputStream(openChannel(idleTimeout));
    }

    /** Waits until bytes after {@code position} are written; their end, or -1 at the end of the stream. */
    private synchronized long awaitBytesAfter(long position, long idleMillis) throws IOException {
        long deadline = System.currentTimeMillis() + idleMillis;
        while (writtenBytes <= position && !complete && failure == null && !discarded) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new IOException("No data of " + description + " came for " + Duration.ofMillis(idleMillis)
                        + " while its task was computing it");
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("Interrupted while waiting for " + description);
            }
        }
        if (failure != null) {
            throw new IOException("Computing " + description + " failed: " + failure);
        }
        if (discarded) {
            throw new IOException(description + " was discarded while it was being read");
        }
        return writtenBytes > position ? writtenBytes : -1;
    }

    /** Reads the file no further than the writer has reported, waiting for more until the end. */
    private final class Reader implements ReadableByteChannel {
        private final FileChannel channel;
        private final long idleMillis;
        private long position;
        private long available;

        Reader(FileChannel channel, long idleMillis) {
            this.channel = channel;
            this.idleMillis = idleMillis;
        }

        @Override
        public int read(ByteBuffer target) throws IOException {
            if (!target.hasRemaining()) {
                return 0;
            }
            if (position >= available) {
                available = awaitBytesAfter(position, idleMillis);
                if (available < 0) {
                    return -1;
                }
            }
            ByteBuffer window = target.duplicate();
            window.limit(window.position() + (int) Math.min(target.remaining(), available - position));
            int n = channel.read(window, position);
            if (n < 0) {
                throw new IOException(description + ": its file ended before the " + available + " bytes written");
            }
            target.position(target.position() + n);
            position += n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
