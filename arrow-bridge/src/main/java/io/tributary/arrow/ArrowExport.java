package io.tributary.arrow;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Driver-side export, the JVM analogue of PySpark 4's {@code DataFrame.toArrow()}: the whole DataFrame as one Arrow
 * IPC <em>stream</em>. Executors encode their partitions into record batches; the driver fetches one partition at
 * a time ({@code toLocalIterator}) and copies the encoded batches to the stream, so no {@code Row} objects are made
 * and the driver holds at most one partition's batches.
 *
 * <pre>{@code
 * try (OutputStream out = Files.newOutputStream(Path.of("/tmp/df.arrows"))) {
 *     ArrowExport.writeStream(df, out, Map.of("maxRecordsPerBatch", "100000"));
 * }
 * // Python: pl.read_ipc_stream("/tmp/df.arrows") or pa.ipc.open_stream(...).read_all()
 * }</pre>
 *
 * Options are those of {@code format("arrow")}: {@code compression} and {@code maxRecordsPerBatch}.
 */
public final class ArrowExport {
    private ArrowExport() {}

    /** Writes {@code df} to {@code out} as an Arrow IPC stream; does not close {@code out}. */
    public static void writeStream(Dataset<Row> df, OutputStream out, Map<String, String> options) {
        StructType schema = df.schema();
        WriteChannel channel = new WriteChannel(Channels.newChannel(out));
        try {
            // Before any job runs: an unsupported column fails here, naming the column.
            MessageSerializer.serialize(channel, SparkToArrowSchema.toExportedArrow(schema));
            ArrowWriteOptions parsed =
                    ArrowWriteOptions.from(options, key -> ArrowFileFormat.sessionConf(df.sparkSession(), key));
            Iterator<byte[]> batches = df.queryExecution()
                    .toRdd()
                    .toJavaRDD()
                    .mapPartitions(new ArrowBatchEncoder(schema, parsed))
                    .toLocalIterator();
            while (batches.hasNext()) {
                channel.write(batches.next());
            }
            ArrowStreamWriter.writeEndOfStream(channel, IpcOption.DEFAULT);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the Arrow stream", e);
        }
    }

    public static void writeStream(Dataset<Row> df, OutputStream out) {
        writeStream(df, out, Map.of());
    }

    /** Writes {@code df} to a new or truncated file as an Arrow IPC stream. */
    public static void writeStream(Dataset<Row> df, Path file, Map<String, String> options) {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            writeStream(df, out, options);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the Arrow stream to " + file, e);
        }
    }
}
