package io.tributary.flight;

import io.tributary.arrow.SparkToArrowSchema;
import io.tributary.python.ColumnarInput;
import io.tributary.python.TaskInput;
import io.tributary.serving.PartitionTicket;
import io.tributary.serving.ServedPartitionFiles;
import io.tributary.serving.ServedPartitionRegistry;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Ticket;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Makes a Dataset's partitions fetchable over Flight: one Spark job computes each partition as Arrow record batches on
 * the executor that computes it, registered in that executor's {@link ServedPartitionRegistry} (the same registry Ray
 * mode serves from) under a new serving id and secret before its first batch is made, so that a DoGet sends the
 * batches while the task still makes the next ones (in memory while the client keeps up, through a local file when it
 * does not). Each task reports its location to the driver once its first batch is made; the endpoints are returned when every partition has reported (or the job has
 * ended), not when the job ends. Each endpoint's ticket carries the serving id, the partition and the secret; its
 * location is that executor's Flight service. The driver never holds the rows.
 */
final class FlightPartitions {
    /** How often the wait for the partitions' locations looks whether the job ended (failed) meanwhile. */
    private static final long JOB_POLL_MILLIS = 100;

    private FlightPartitions() {}

    /** Runs the job; one endpoint per partition, in partition order, once every partition has started. */
    static List<FlightEndpoint> materialize(Dataset<Row> dataset, FlightConf conf) throws Exception {
        String servingId = PartitionTicket.newServingId();
        String secret = PartitionTicket.newSecret();
        Registration registration = new Registration(
                servingId,
                PartitionTicket.secretHash(secret),
                dataset.schema(),
                conf.batchRows(),
                conf.memoryPerStream(),
                conf.ticketTimeout());
        // A columnar scan (the cache, Parquet, Delta) is copied into Arrow column by column, without building rows.
        JavaRDD<String> partitions = ColumnarInput.perPartition(dataset, registration::register);
        List<String> locations;
        try (FlightMessages.PendingLocations pending =
                FlightMessages.expect(servingId, partitions.getNumPartitions())) {
            JavaFutureAction<List<String>> job = partitions.collectAsync();
            locations = awaitLocations(pending, job);
        }
        List<FlightEndpoint> endpoints = new ArrayList<>(locations.size());
        for (int i = 0; i < locations.size(); i++) {
            Ticket ticket = new Ticket(encode(new PartitionTicket(servingId, i, secret)));
            endpoints.add(new FlightEndpoint(ticket, new Location(java.net.URI.create(locations.get(i)))));
        }
        return endpoints;
    }

    /** Every partition's location as reported, or the job's result if it ended first; its failure as thrown. */
    private static List<String> awaitLocations(
            FlightMessages.PendingLocations pending, JavaFutureAction<List<String>> job) throws Exception {
        while (!job.isDone()) {
            List<String> reported = pending.await(JOB_POLL_MILLIS);
            if (reported != null) {
                return reported;
            }
        }
        try {
            return job.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    static byte[] encode(PartitionTicket ticket) {
        return (ticket.servingId() + "/" + ticket.partition() + "/" + ticket.secret()).getBytes(StandardCharsets.UTF_8);
    }

    /** @throws IllegalArgumentException when the bytes are not a ticket this service handed out */
    static PartitionTicket decode(byte[] bytes) {
        String[] parts = new String(bytes, StandardCharsets.UTF_8).split("/", -1);
        if (parts.length == 3 && parts[0].matches("[0-9a-f]{16}") && parts[1].matches("[0-9]{1,9}")) {
            return new PartitionTicket(parts[0], Integer.parseInt(parts[1]), parts[2]);
        }
        throw new IllegalArgumentException("not a Tributary Flight ticket: pass the ticket of an endpoint that "
                + "GetFlightInfo returned, unchanged");
    }

    /**
     * Runs on the executors: one partition, registered with the executor's registry before it is computed, its
     * location reported to the driver once its first batch is made.
     */
    private record Registration(
            String servingId,
            byte[] secretHash,
            StructType schema,
            int batchRows,
            long memoryPerStream,
            Duration timeToLive)
            implements Serializable {

        String register(int index, TaskInput input) throws IOException {
            String location = FlightService.runningLocation()
                    .orElseThrow(
                            () -> new IllegalStateException("The Tributary Flight service is not running on executor "
                                    + SparkEnv.get().executorId()
                                    + ": give the executors spark.plugins=io.tributary.spark.TributaryPlugin and "
                                    + FlightConf.ENABLED + "=true too"));
            ServedPartitionFiles.writeWhileServing(
                    servingId,
                    index,
                    secretHash,
                    timeToLive,
                    SparkToArrowSchema.toExportedArrow(schema),
                    batchRows,
                    memoryPerStream,
                    input::fill,
                    () -> FlightMessages.partitionStarted(servingId, index, location));
            return location;
        }
    }
}
