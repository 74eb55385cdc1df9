package io.tributary.serving;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowMessage;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A partition its task is still computing, read while it is written: the task {@link #add}s each record batch as it
 * is made, and the reader gets them in order. Once a reader is attached, a batch waits for it in memory, its buffers
 * handed over as they are, as long as the batches waiting in memory stay within the partition's memory budget; a
 * batch beyond the budget, or made before a reader came, is written to a file in Spark's local directories and read
 * back from there. So a reader that keeps up gets every batch without a copy, a slow or absent one costs disk, not
 * memory, and the task never waits for its reader.
 */
final class StreamedPartition extends ServedPartition {
    private static final Logger LOG = LoggerFactory.getLogger(StreamedPartition.class);

    private final Schema schema;
    private final long memoryBytes;
    private final Path spillFile;
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private FileChannel spill;
    private long queuedBytes;
    private boolean attached;
    private boolean complete;
    private String failure;
    private boolean discarded;

    /** A batch waiting in memory ({@code batch}), or written to the spill file at {@code offset}. */
    private record Entry(ArrowRecordBatch batch, long bytes, long offset) {}

    /**
     * @param memoryBytes how many bytes of batches may wait in memory for the reader; 0 writes every batch to the file
     * @param spillFile where batches that do not wait in memory go; created when the first one does
     */
    StreamedPartition(Schema schema, long memoryBytes, Path spillFile, String description) {
        super(description);
        this.schema = schema;
        this.memoryBytes = memoryBytes;
        this.spillFile = spillFile;
    }

    /**
     * Hands the next batch to the reader, in memory or through the file; the partition owns the batch from now on. A
     * discarded partition closes it at once.
     */
    synchronized void add(ArrowRecordBatch batch) throws IOException {
        if (discarded) {
            batch.close();
            return;
        }
        long bytes = batch.computeBodyLength();
        if (attached && queuedBytes + bytes <= memoryBytes) {
            queue.add(new Entry(batch, bytes, -1));
            queuedBytes += bytes;
        } else {
            try (batch) {
                if (spill == null) {
                    spill = FileChannel.open(spillFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                }
                long offset = spill.position();
                MessageSerializer.serialize(new WriteChannel(spill), batch);
                queue.add(new Entry(null, 0, offset));
            }
        }
        notifyAll();
    }

    /** The last batch was added. */
    synchronized void complete() {
        complete = true;
        notifyAll();
    }

    /** The computation failed: the reader gets {@code message} instead of the rest. */
    synchronized void fail(String message) {
        failure = message;
        notifyAll();
    }

    /** Whether nobody will read the partition any more: its writer stops. */
    synchronized boolean discarded() {
        return discarded;
    }

    @Override
    public void discard() {
        synchronized (this) {
            discarded = true;
            for (Entry entry : queue) {
                if (entry.batch() != null) {
                    entry.batch().close();
                }
            }
            queue.clear();
            queuedBytes = 0;
            notifyAll();
            closeSpill();
        }
        try {
            Files.deleteIfExists(spillFile);
        } catch (IOException e) {
            LOG.warn("Cannot delete served partition file {}: {}", spillFile, e.toString());
        }
    }

    private void closeSpill() {
        if (spill != null) {
            try {
                spill.close();
            } catch (IOException e) {
                LOG.warn("Cannot close served partition file {}: {}", spillFile, e.toString());
            }
        }
    }

    @Override
    public Batches openBatches(Duration idleTimeout) throws IOException {
        Reader reader = attach(idleTimeout);
        VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator());
        VectorLoader loader = new VectorLoader(root);
        return new Batches() {
            @Override
            public VectorSchemaRoot root() {
                return root;
            }

            @Override
            public boolean loadNextBatch() throws IOException {
                ArrowRecordBatch batch = reader.next();
                if (batch == null) {
                    return false;
                }
                try (batch) {
                    loader.load(batch);
                }
                return true;
            }

            @Override
            public void close() throws IOException {
                try (reader) {
                    root.close();
                }
            }
        };
    }

    @Override
    public ReadableByteChannel openChannel(Duration idleTimeout) throws IOException {
        return new StreamBytes(attach(idleTimeout));
    }

    private synchronized Reader attach(Duration idleTimeout) throws IOException {
        if (discarded) {
            throw new IOException(description + " was discarded");
        }
        attached = true;
        return new Reader(idleTimeout.toMillis());
    }

    /** Takes the batches off the queue in order, reading spilled ones back from the file. */
    private final class Reader implements AutoCloseable {
        private final long idleMillis;
        private FileChannel spilled;

        Reader(long idleMillis) {
            this.idleMillis = idleMillis;
        }

        /** The next batch, owned by the caller; null at the end. */
        ArrowRecordBatch next() throws IOException {
            Entry entry = await();
            if (entry == null) {
                return null;
            }
            if (entry.batch() != null) {
                return entry.batch();
            }
            if (spilled == null) {
                spilled = FileChannel.open(spillFile, StandardOpenOption.READ);
            }
            spilled.position(entry.offset());
            ArrowMessage message = MessageSerializer.deserializeMessageBatch(new ReadChannel(spilled), allocator());
            if (!(message instanceof ArrowRecordBatch batch)) {
                throw new IOException(description + ": its file holds no record batch at " + entry.offset());
            }
            return batch;
        }

        private Entry await() throws IOException {
            synchronized (StreamedPartition.this) {
                long deadline = System.currentTimeMillis() + idleMillis;
                while (queue.isEmpty() && !complete && failure == null && !discarded) {
                    long left = deadline - System.currentTimeMillis();
                    if (left <= 0) {
                        throw new IOException("No data of " + description + " came for " + Duration.ofMillis(idleMillis)
                                + " while its task was computing it");
                    }
                    try {
                        StreamedPartition.this.wait(left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("Interrupted while waiting for " + description);
                    }
                }
                if (failure != null) {
                    throw new IOException("Computing " + description + " failed: " + failure);
                }
                if (discarded) {
                    throw new IOException(description + " was discarded while it was being read");
                }
                Entry entry = queue.poll();
                if (entry != null) {
                    queuedBytes -= entry.bytes();
                }
                return entry;
            }
        }

        @Override
        public void close() throws IOException {
            if (spilled != null) {
                spilled.close();
            }
        }
    }

    /** The partition as an Arrow IPC stream's bytes: the schema, each batch as the reader takes it, the end. */
    private final class StreamBytes implements ReadableByteChannel {
        private final Reader reader;
        private ByteBuffer pending;
        private boolean ended;
        private boolean open = true;

        StreamBytes(Reader reader) throws IOException {
            this.reader = reader;
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            MessageSerializer.serialize(new WriteChannel(Channels.newChannel(bytes)), schema);
            pending = ByteBuffer.wrap(bytes.toByteArray());
        }

        @Override
        public int read(ByteBuffer target) throws IOException {
            if (!open) {
                throw new ClosedChannelException();
            }
            while (!pending.hasRemaining()) {
                if (ended) {
                    return -1;
                }
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                WriteChannel out = new WriteChannel(Channels.newChannel(bytes));
                ArrowRecordBatch batch = reader.next();
                if (batch == null) {
                    ArrowStreamWriter.writeEndOfStream(out, IpcOption.DEFAULT);
                    ended = true;
                } else {
                    try (batch) {
                        MessageSerializer.serialize(out, batch);
                    }
                }
                pending = ByteBuffer.wrap(bytes.toByteArray());
            }
            int n = Math.min(target.remaining(), pending.remaining());
            target.put(target.position(), pending, pending.position(), n);
            target.position(target.position() + n);
            pending.position(pending.position() + n);
            return n;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() throws IOException {
            open = false;
            reader.close();
        }
    }
}
