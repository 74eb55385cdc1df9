package io.tributary.serving;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One served partition's Arrow IPC stream, read once by the transport that {@linkplain ServedPartitionRegistry#take
 * took} it: as bytes ({@link #openChannel}) or as record batches ({@link #openBatches}). Either a complete file
 * ({@link #written}), or a {@link StreamedPartition} that its task is still computing. Whoever owns the partition last
 * {@link #discard}s it, which frees what it holds and tells a writer still at work to stop.
 */
public abstract class ServedPartition {
    private static final Logger LOG = LoggerFactory.getLogger(ServedPartition.class);

    /**
     * The buffers of served batches, while they are made, waiting and sent. One allocator for the tasks that make the
     * batches and the transports that load and send them, so that a buffer has one reference count whoever holds it
     * (a writer reuses a buffer once that count says every reader let it go), and one that lives as long as the JVM,
     * as a transport may still hold a batch's buffers after its call ended (gRPC, until the socket took them).
     */
    private static final BufferAllocator MEMORY = new RootAllocator();

    final String description;

    ServedPartition(String description) {
        this.description = description;
    }

    /** The allocator of every served batch's buffers. */
    static BufferAllocator allocator() {
        return MEMORY;
    }

    /** Bytes of served batches in this JVM's memory: being made, waiting for their reader, or being sent. */
    public static long memoryInUse() {
        return MEMORY.getAllocatedMemory();
    }

    /** A partition whose Arrow IPC stream file is written completely; the partition owns the file from now on. */
    static ServedPartition written(Path file, String description) {
        return new CompleteFile(file, description);
    }

    /**
     * The partition's Arrow IPC stream from its start. A read fails with the computation's error if it failed, or when
     * no batch came for {@code idleTimeout}.
     */
    public abstract ReadableByteChannel openChannel(Duration idleTimeout) throws IOException;

    /** {@link #openChannel} as an InputStream. */
    public InputStream open(Duration idleTimeout) throws IOException {
        return Channels.newInputStream(openChannel(idleTimeout));
    }

    /**
     * The partition's record batches, each loaded into one root in turn, as {@link ArrowStreamReader} does. A batch
     * handed over in memory is loaded without a copy. A transport may hold on to a batch's buffers past the next load
     * by retaining them, as gRPC does until it has sent them.
     */
    public abstract Batches openBatches(Duration idleTimeout) throws IOException;

    /** Frees what the partition holds; a writer still at work stops at its next batch and a reader fails. */
    public abstract void discard();

    /** A partition's record batches, one at a time. */
    public interface Batches extends AutoCloseable {
        /** The root each batch is loaded into; its schema is the partition's. */
        VectorSchemaRoot root() throws IOException;

        /** Loads the next batch into {@link #root}; false at the end of the partition. */
        boolean loadNextBatch() throws IOException;

        @Override
        void close() throws IOException;
    }

    /** A complete Arrow IPC stream file. */
    private static final class CompleteFile extends ServedPartition {
        private final Path file;
        private volatile boolean discarded;

        CompleteFile(Path file, String description) {
            super(description);
            this.file = file;
        }

        @Override
        public ReadableByteChannel openChannel(Duration idleTimeout) throws IOException {
            if (discarded) {
                throw new IOException(description + " was discarded");
            }
            return FileChannel.open(file, StandardOpenOption.READ);
        }

        @Override
        public Batches openBatches(Duration idleTimeout) throws IOException {
            ArrowStreamReader reader = new ArrowStreamReader(openChannel(idleTimeout), MEMORY);
            return new Batches() {
                @Override
                public VectorSchemaRoot root() throws IOException {
                    return reader.getVectorSchemaRoot();
                }

                @Override
                public boolean loadNextBatch() throws IOException {
                    return reader.loadNextBatch();
                }

                @Override
                public void close() throws IOException {
                    reader.close();
                }
            };
        }

        @Override
        public void discard() {
            discarded = true;
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("Cannot delete served partition file {}: {}", file, e.toString());
            }
        }

        @Override
        public String toString() {
            return file.toString();
        }
    }
}
