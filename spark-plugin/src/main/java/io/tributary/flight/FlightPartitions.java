package io.tributary.flight;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import io.tributary.arrow.SparkToArrowSchema;
import io.tributary.serving.PartitionTicket;
import io.tributary.serving.ServedPartitionFiles;
import io.tributary.serving.ServedPartitionRegistry;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Ticket;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;

/**
 * Makes a Dataset's partitions fetchable over Flight: one Spark job writes each partition as an Arrow IPC stream
 * file on the executor that computes it and registers it in that executor's {@link ServedPartitionRegistry} (the
 * same registry Ray mode serves from), under a new serving id and secret. Each endpoint's ticket carries the
 * serving id, the partition and the secret; its location is that executor's Flight service. The driver never
 * holds the rows.
 */
final class FlightPartitions {
    private FlightPartitions() {
    }

    /** Runs the job; one endpoint per partition, in partition order. */
    static List<FlightEndpoint> materialize(Dataset<Row> dataset, Duration timeToLive, int batchRows) {
        String servingId = PartitionTicket.newServingId();
        String secret = PartitionTicket.newSecret();
        Registration registration = new Registration(servingId, PartitionTicket.secretHash(secret),
                dataset.schema(), batchRows, timeToLive);
        List<String> locations = dataset.queryExecution().toRdd().toJavaRDD()
                .mapPartitionsWithIndex(registration, false).collect();
        List<FlightEndpoint> endpoints = new ArrayList<>(locations.size());
        for (int i = 0; i < locations.size(); i++) {
            Ticket ticket = new Ticket(encode(new PartitionTicket(servingId, i, secret)));
            endpoints.add(new FlightEndpoint(ticket, new Location(java.net.URI.create(locations.get(i)))));
        }
        return endpoints;
    }

    static byte[] encode(PartitionTicket ticket) {
        return (ticket.servingId() + "/" + ticket.partition() + "/" + ticket.secret())
                .getBytes(StandardCharsets.UTF_8);
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

    /** Runs on the executors: one partition into a file, registered with the executor's registry. */
    private record Registration(String servingId, byte[] secretHash, StructType schema, int batchRows,
            Duration timeToLive) implements Function2<Integer, Iterator<InternalRow>, Iterator<String>>,
            Serializable {

        @Override
        public Iterator<String> call(Integer index, Iterator<InternalRow> rows) throws IOException {
            String location = FlightService.runningLocation().orElseThrow(() -> new IllegalStateException(
                    "The Tributary Flight service is not running on executor " + SparkEnv.get().executorId()
                            + ": give the executors spark.plugins=io.tributary.spark.TributaryPlugin and "
                            + FlightConf.ENABLED + "=true too"));
            ServedPartitionFiles.writeAndRegister(servingId, index, secretHash, timeToLive,
                    SparkToArrowSchema.toExportedArrow(schema), batchRows,
                    batch -> {
                        if (!rows.hasNext()) {
                            return false;
                        }
                        while (!batch.isFull() && rows.hasNext()) {
                            batch.append(rows.next());
                        }
                        return true;
                    });
            return List.of(location).iterator();
        }
    }
}
