package io.tributary.python;

import io.tributary.arrow.SparkToArrowSchema;
import io.tributary.serving.PartitionAccessException;
import io.tributary.serving.PartitionClient;
import io.tributary.serving.PartitionServer;
import io.tributary.serving.PartitionTicket;
import io.tributary.serving.ServedPartitionFiles;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.spark.SparkEnv;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transform's input made fetchable partition by partition, for {@code ray_context.data_servers()}: one Spark job
 * writes every input partition as an Arrow IPC file on the executor that computes it and registers it with that
 * executor's {@link PartitionServer}; the job's tasks then end, so serving holds no task slot, and the script (and
 * the Ray tasks it starts) can fetch any number of partitions whatever the number of slots. A reference is
 * {@code host:port/servingId/partition#secret}; the secret is random per transform run.
 */
final class ServedInput implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ServedInput.class);
    /** Scripts that name one of these get their input served; others read it from their task's stream. */
    private static final Pattern USES_SERVED_INPUT = Pattern.compile("\\b(data_servers|to_dataset)\\b");

    private final String servingId;
    private final String secret;
    /** {@code host:port/servingId/partition}, one per input partition, in partition order. */
    private final List<String> locations;

    private ServedInput(String servingId, String secret, List<String> locations) {
        this.servingId = servingId;
        this.secret = secret;
        this.locations = locations;
    }

    /** Whether the script asks for data server references (so its input must be served). */
    static boolean wanted(String code) {
        return USES_SERVED_INPUT.matcher(code).find();
    }

    /** Writes and registers every partition of {@code input} on the executors (runs one Spark job). */
    static ServedInput materialize(Dataset<Row> input, PythonTransformOptions options) {
        String servingId = PartitionTicket.newServingId();
        String secret = PartitionTicket.newSecret();
        StructType schema = input.schema();
        Registration registration = new Registration(
                servingId,
                PartitionTicket.secretHash(secret),
                schema,
                options.maxRecordsPerBatch(),
                options.dataServerTimeout(),
                options.dataServerHost().orElse(null));
        List<String> locations =
                ColumnarInput.perPartition(input, registration::register).collect();
        LOG.info("Serving {} input partitions as serving {}", locations.size(), servingId);
        return new ServedInput(servingId, secret, List.copyOf(locations));
    }

    /** The references {@code data_servers()} returns, secret included. */
    List<String> references() {
        List<String> refs = new ArrayList<>(locations.size());
        for (String location : locations) {
            refs.add(location + "#" + secret);
        }
        return refs;
    }

    /** Forgets this input on every server that holds part of it; a server that cannot be reached is logged. */
    void release() {
        for (String server : new LinkedHashSet<>(
                locations.stream().map(l -> l.substring(0, l.indexOf('/'))).toList())) {
            int colon = server.lastIndexOf(':');
            try {
                PartitionClient.release(
                        server.substring(0, colon), Integer.parseInt(server.substring(colon + 1)), servingId, secret);
            } catch (IOException | PartitionAccessException e) {
                LOG.warn(
                        "Could not release serving {} on {} (its partitions expire unfetched): {}",
                        servingId,
                        server,
                        e.getMessage());
            }
        }
    }

    /** Runs on the executors: one input partition into a file, registered with the executor's server. */
    private record Registration(
            String servingId, byte[] secretHash, StructType schema, int batchRows, Duration timeToLive, String host)
            implements Serializable {

        String register(int index, TaskInput input) throws IOException {
            ServedPartitionFiles.writeAndRegister(
                    servingId,
                    index,
                    secretHash,
                    timeToLive,
                    SparkToArrowSchema.toArrow(schema),
                    batchRows,
                    input::fill);
            PartitionServer server = PartitionServer.on(
                    host != null
                            ? host
                            : SparkEnv.get().blockManager().blockManagerId().host());
            return server.host() + ":" + server.port() + "/" + servingId + "/" + index;
        }
    }
}
