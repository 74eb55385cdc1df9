package io.tributary.python;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.arrow.ArrowBatchBuilder;
import io.tributary.arrow.BatchColumnVectors;
import io.tributary.arrow.SparkToArrowSchema;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.TaskContext;
import org.apache.spark.TaskContext$;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * One task's conversation with a worker. A writer thread streams the input rows as Arrow batches into the worker's
 * stdin while the task thread reads the result batches from its stdout; the pipes' bounded buffers are the
 * backpressure, so each side holds about one batch. A watchdog kills the worker when the timeout passes or Spark
 * kills the task; a worker that failed, was killed or was left mid-stream is never reused. What the script prints goes
 * to the task's {@link ScriptOutputLog}.
 */
final class PythonTaskRun implements AutoCloseable {
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tributary-python-watchdog");
        t.setDaemon(true);
        return t;
    });
    /** The worker writes the end of a task's output before it answers; reading it can lag only a little behind. */
    private static final Duration OUTPUT_END_WAIT = Duration.ofSeconds(30);

    private final PythonWorker worker;
    private final PythonTransformOptions options;
    private final StructType inputSchema;
    private final TaskContext task;
    private final ScriptOutputLog output;
    private final BufferAllocator allocator = new RootAllocator();
    private final Thread writer;
    private final ScheduledFuture<?> watchdog;
    private final long deadlineNanos;

    private volatile Throwable writerFailure;
    private volatile Throwable writeFailure;
    private volatile boolean timedOut;
    private volatile boolean taskKilled;
    private volatile boolean finished;
    private boolean closed;
    private ArrowStreamReader reader;

    PythonTaskRun(
            PythonWorker worker,
            PythonTransformOptions options,
            StructType inputSchema,
            TaskInput input,
            TaskContext task) {
        this.worker = worker;
        this.options = options;
        this.inputSchema = inputSchema;
        this.task = task;
        this.output = ScriptOutputLog.of(task, worker.pid(), options.outputLimits());
        worker.startTaskOutput(output);
        Duration timeout = options.timeout();
        this.deadlineNanos = timeout.isZero() ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        this.writer = new Thread(() -> writeInput(input), "tributary-python-writer-" + worker.pid());
        this.writer.setDaemon(true);
        this.watchdog = WATCHDOG.scheduleWithFixedDelay(this::watch, 100, 100, TimeUnit.MILLISECONDS);
    }

    /** Sends the task and starts streaming the input; the result rows come from the returned iterator. */
    Iterator<InternalRow> start() {
        try {
            worker.writeFrame(PythonWorker.JSON.writeValueAsBytes(header()));
            worker.writeFrame(schemaMessage(SparkToArrowSchema.toArrow(options.schema())));
            worker.output().flush();
        } catch (IOException e) {
            throw failure("while sending the task", e);
        }
        writer.start();
        return new ResultRows();
    }

    private Map<String, Object> header() {
        Map<String, String> sparkTypes = new LinkedHashMap<>();
        for (StructField f : options.schema().fields()) {
            sparkTypes.put(f.name(), f.dataType().simpleString());
        }
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("code", options.code());
        header.put("dataMode", options.dataMode().wireName());
        header.put("conf", options.scriptConf());
        header.put("batchRows", options.maxRecordsPerBatch());
        header.put("sparkTypes", sparkTypes);
        return header;
    }

    private static byte[] schemaMessage(Schema schema) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        MessageSerializer.serialize(new WriteChannel(Channels.newChannel(bytes)), schema);
        return bytes.toByteArray();
    }

    private void writeInput(TaskInput input) {
        if (task != null) {
            // Upstream operators may look up their task (metrics, completion listeners).
            TaskContext$.MODULE$.setTaskContext(task);
        }
        try (BufferAllocator writerAllocator = new RootAllocator();
                ArrowBatchBuilder batch = new ArrowBatchBuilder(
                        SparkToArrowSchema.toArrow(inputSchema), writerAllocator, options.maxRecordsPerBatch());
                ArrowStreamWriter stream = new ArrowStreamWriter(
                        batch.root(), null, Channels.newChannel(new KeepOpenOutput(worker.output())))) {
            stream.start();
            while (fill(input, batch)) {
                batch.finish();
                stream.writeBatch();
                worker.output().flush();
                batch.reset();
            }
            stream.end();
            worker.output().flush();
        } catch (InputFailure e) {
            if (!closed && !finished) {
                writerFailure = e.getCause();
                // The worker waits for input that will not come: stop it, the reader then reports writerFailure.
                worker.destroy();
            }
        } catch (Throwable e) {
            // Writing failed because the worker exited or was killed; the reader reports why (its status frame
            // or its exit). Destroying it here would close its stdout before the reader got there.
            writeFailure = e;
        }
    }

    /** The next batch of the upstream input, whose reading may fail with the input query's own error. */
    private static boolean fill(TaskInput input, ArrowBatchBuilder batch) {
        try {
            return input.fill(batch);
        } catch (Throwable e) {
            throw new InputFailure(e);
        }
    }

    /** The input query failed (not the worker). */
    private static final class InputFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InputFailure(Throwable cause) {
            super(cause);
        }
    }

    private void watch() {
        if (finished) {
            return;
        }
        if (System.nanoTime() > deadlineNanos) {
            timedOut = true;
            worker.destroy();
        } else if (task != null && task.isInterrupted()) {
            taskKilled = true;
            worker.destroy();
        }
    }

    private PythonTransformException failure(String when, Throwable cause) {
        finished = true;
        worker.destroy();
        if (writerFailure != null) {
            return new PythonTransformException(
                    "Reading the Python transform's input failed: " + writerFailure, writerFailure);
        }
        if (timedOut) {
            return new PythonTransformException(
                    "The Python transform did not finish within its timeout of "
                            + options.timeout().toMillis() / 1000.0 + " s (option '" + PythonTransformOptions.TIMEOUT
                            + "'); worker pid " + worker.pid() + " was killed" + worker.stderrTailText(),
                    cause);
        }
        if (taskKilled) {
            return new PythonTransformException(
                    "The task was killed; Python worker pid " + worker.pid() + " was stopped", cause);
        }
        return new PythonTransformException("The Python worker died " + when + ": " + worker.describeExit(), cause);
    }

    /** Called when the task completes, however it ends. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        watchdog.cancel(false);
        if (!finished) {
            // Left mid-stream (the task failed or stopped reading early): the worker cannot be resynchronised.
            finished = true;
            worker.destroy();
        }
        writer.interrupt();
        if (reader != null) {
            try {
                reader.close(false);
            } catch (IOException e) {
                // Only Arrow buffers are released here; the stream belongs to the worker.
            }
        }
        allocator.close();
    }

    /**
     * The result batches as rows, decoded lazily as Spark pulls them. Each row is a view into the current batch,
     * valid until the next call: the Dataset's scan (RDDScanExec) copies every row into an UnsafeRow as it takes
     * it, so a copy here would be a second one.
     */
    private final class ResultRows implements Iterator<InternalRow> {
        private Iterator<InternalRow> rows = java.util.Collections.emptyIterator();

        @Override
        public boolean hasNext() {
            while (!rows.hasNext()) {
                if (finished || !loadNextBatch()) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public InternalRow next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return rows.next();
        }

        private boolean loadNextBatch() {
            try {
                if (reader == null) {
                    reader = new ArrowStreamReader(
                            new WorkerResultChannel(worker.input(), PythonWorker.PIPE_BUFFER), allocator);
                    requireDeclaredSchema(reader.getVectorSchemaRoot().getSchema());
                }
                if (reader.loadNextBatch()) {
                    // The views hold the loaded batch's buffer addresses, so every batch gets new ones.
                    VectorSchemaRoot root = reader.getVectorSchemaRoot();
                    List<FieldVector> vectors = root.getFieldVectors();
                    ColumnVector[] columns = new ColumnVector[vectors.size()];
                    for (int i = 0; i < columns.length; i++) {
                        columns[i] = BatchColumnVectors.of(vectors.get(i));
                    }
                    rows = new ColumnarBatch(columns, root.getRowCount()).rowIterator();
                    return true;
                }
                finish();
                return false;
            } catch (IOException | RuntimeException e) {
                if (e instanceof PythonTransformException p) {
                    throw p;
                }
                throw failure("while sending results", e);
            }
        }
    }

    private void requireDeclaredSchema(Schema received) {
        Schema declared = SparkToArrowSchema.toArrow(options.schema());
        if (!declared.equals(received)) {
            throw new PythonTransformException("The Python worker returned batches of schema " + received
                    + " instead of the declared " + declared);
        }
    }

    private void finish() throws IOException {
        JsonNode status = worker.readJsonFrame();
        finished = true;
        if (!status.path("ok").asBoolean()) {
            worker.destroy();
            throw new PythonTransformException(
                    "The Python transform failed:\n" + status.path("error").asText());
        }
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writerFailure != null || writeFailure != null || writer.isAlive()) {
            worker.destroy();
            Throwable cause = writerFailure != null ? writerFailure : writeFailure;
            throw new PythonTransformException("Streaming the Python transform's input failed: " + cause, cause);
        }
        if (output.awaitEnd(OUTPUT_END_WAIT)) {
            PythonWorkerPool.shared().giveBack(worker, options.maxIdleWorkers());
        } else {
            // Its next task's output would be mixed with this one's.
            worker.destroy();
        }
    }

    /** The worker's pipes outlive one task's Arrow writer, which would otherwise close them. */
    private static final class KeepOpenOutput extends FilterOutputStream {
        KeepOpenOutput(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
