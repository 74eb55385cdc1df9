package io.tributary.flight;

import io.tributary.arrow.SparkToArrowSchema;
import io.tributary.serving.PartitionAccessException;
import io.tributary.serving.PartitionTicket;
import io.tributary.serving.ServedPartition;
import io.tributary.serving.ServedPartitionRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.flight.BackpressureStrategy;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.Criteria;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.NoOpFlightProducer;
import org.apache.arrow.flight.Ticket;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Flight calls. On the driver: ListFlights (what is served), GetFlightInfo (plans a served name, or a SQL
 * command where the operator allowed SQL, and makes each partition fetchable on its executor). Everywhere: DoGet
 * of one partition, sent batch by batch as the client takes them.
 */
final class TributaryFlightProducer extends NoOpFlightProducer {
    private static final Logger LOG = LoggerFactory.getLogger(TributaryFlightProducer.class);

    private final FlightConf conf;
    private final boolean driver;
    /**
     * Sends the partitions. Not gRPC's call thread: while it is busy, gRPC cannot deliver the call's "ready" and
     * "cancelled" events, which the backpressure wait needs to wake up.
     */
    private final ExecutorService senders;

    TributaryFlightProducer(FlightConf conf, boolean driver) {
        this.conf = conf;
        this.driver = driver;
        AtomicInteger n = new AtomicInteger();
        this.senders = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "tributary-flight-send-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Stops the senders (each ends at its next batch; its partition file is deleted). */
    void close() {
        senders.shutdownNow();
    }

    @Override
    public void listFlights(CallContext context, Criteria criteria, StreamListener<FlightInfo> listener) {
        requireDriver("ListFlights");
        try {
            for (String name : servedNames()) {
                Dataset<Row> dataset = resolve(name);
                listener.onNext(new FlightInfo(
                        SparkToArrowSchema.toExportedArrow(dataset.schema()),
                        FlightDescriptor.path(name),
                        List.of(),
                        -1,
                        -1));
            }
            listener.onCompleted();
        } catch (Exception e) {
            listener.onError(failure("ListFlights", e));
        }
    }

    @Override
    public FlightInfo getFlightInfo(CallContext context, FlightDescriptor descriptor) {
        requireDriver("GetFlightInfo");
        Dataset<Row> dataset;
        String what;
        if (descriptor.isCommand()) {
            if (!conf.sqlEnabled()) {
                throw CallStatus.UNAUTHORIZED
                        .withDescription("SQL commands are off on this Tributary Flight "
                                + "service (" + FlightConf.SQL_ENABLED + "=false); ask for a served name with a path "
                                + "descriptor: " + servedNames())
                        .toRuntimeException();
            }
            String sql = new String(descriptor.getCommand(), StandardCharsets.UTF_8);
            what = "the SQL command";
            try {
                dataset = session().sql(sql);
            } catch (Exception e) { // Spark throws its checked AnalysisException and SparkException unchecked
                throw failure("Planning " + what, e);
            }
        } else {
            List<String> path = descriptor.getPath();
            if (path.size() != 1) {
                throw CallStatus.INVALID_ARGUMENT
                        .withDescription(
                                "A Tributary Flight path descriptor has one " + "element, the served name; got " + path)
                        .toRuntimeException();
            }
            what = "'" + path.get(0) + "'";
            dataset = resolve(path.get(0));
        }
        try {
            List<FlightEndpoint> endpoints = FlightPartitions.materialize(dataset, conf);
            return new FlightInfo(SparkToArrowSchema.toExportedArrow(dataset.schema()), descriptor, endpoints, -1, -1);
        } catch (Exception e) {
            throw failure("Computing " + what, e);
        }
    }

    @Override
    public void getStream(CallContext context, Ticket ticket, ServerStreamListener listener) {
        PartitionTicket partition;
        ServedPartition served;
        try {
            partition = FlightPartitions.decode(ticket.getBytes());
            served = ServedPartitionRegistry.shared().take(partition);
        } catch (IllegalArgumentException e) {
            listener.error(
                    CallStatus.INVALID_ARGUMENT.withDescription(e.getMessage()).toRuntimeException());
            return;
        } catch (PartitionAccessException e) {
            listener.error(CallStatus.NOT_FOUND.withDescription(e.getMessage()).toRuntimeException());
            return;
        }
        TributaryFlight.openStreamCounter().incrementAndGet();
        try {
            senders.execute(() -> send(partition, served, listener));
        } catch (RuntimeException e) {
            TributaryFlight.openStreamCounter().decrementAndGet();
            served.discard();
            listener.error(CallStatus.UNAVAILABLE
                    .withDescription("The Tributary Flight service is stopping")
                    .toRuntimeException());
        }
    }

    /**
     * Sends the partition's batches as its task makes them (or as they were written). gRPC is handed each batch's
     * buffers as they are (zero-copy), not a copy; it holds on to them until it has written them to the socket, which
     * may be after the next batch is loaded or this call ends, and the task reuses them only once gRPC let them go.
     */
    private void send(PartitionTicket partition, ServedPartition served, ServerStreamListener listener) {
        try (ServedPartition.Batches reader = served.openBatches(conf.ticketTimeout())) {
            listener.setUseZeroCopy(true);
            stream(partition, reader, listener);
        } catch (Exception e) {
            LOG.warn("Sending {} failed: {}", partition.describe(), e.toString());
            try {
                listener.error(CallStatus.INTERNAL
                        .withDescription("Sending " + partition.describe() + " failed: " + e)
                        .withCause(e)
                        .toRuntimeException());
            } catch (RuntimeException alreadyClosed) {
                // The call ended already (the client went away); nothing more to tell it.
            }
        } finally {
            TributaryFlight.openStreamCounter().decrementAndGet();
            served.discard();
        }
    }

    /**
     * Sends each batch once the client can take it; stops as soon as the client goes away. The next batch is read
     * while the previous one is still being sent.
     */
    private void stream(PartitionTicket partition, ServedPartition.Batches reader, ServerStreamListener listener)
            throws java.io.IOException {
        BackpressureStrategy backpressure = new BackpressureStrategy.CallbackBackpressureStrategy();
        backpressure.register(listener);
        listener.start(reader.root());
        long batches = 0;
        while (reader.loadNextBatch()) {
            BackpressureStrategy.WaitResult ready =
                    backpressure.waitForListener(conf.ticketTimeout().toMillis());
            if (Thread.currentThread().isInterrupted()) {
                listener.error(CallStatus.UNAVAILABLE
                        .withDescription(
                                "The Tributary Flight service stopped while " + "sending " + partition.describe())
                        .toRuntimeException());
                return;
            }
            if (ready == BackpressureStrategy.WaitResult.CANCELLED || listener.isCancelled()) {
                LOG.info("The client of {} went away after {} batches; stopped", partition.describe(), batches);
                return;
            }
            if (ready != BackpressureStrategy.WaitResult.READY) {
                listener.error(CallStatus.TIMED_OUT
                        .withDescription("The client took no data of "
                                + partition.describe() + " for " + conf.ticketTimeout() + " ("
                                + FlightConf.TICKET_TIMEOUT
                                + ")")
                        .toRuntimeException());
                return;
            }
            listener.putNext();
            batches++;
        }
        listener.completed();
    }

    private void requireDriver(String call) {
        if (!driver) {
            throw CallStatus.UNIMPLEMENTED
                    .withDescription(call + " is answered by the driver's Tributary Flight "
                            + "service; executors serve DoGet only")
                    .toRuntimeException();
        }
    }

    private Set<String> servedNames() {
        Set<String> names = new TreeSet<>(conf.tables());
        names.addAll(TributaryFlight.servedNames());
        return names;
    }

    private Dataset<Row> resolve(String name) {
        Dataset<Row> served = TributaryFlight.served(name);
        if (served != null) {
            return served;
        }
        if (!conf.tables().contains(name)) {
            throw CallStatus.NOT_FOUND
                    .withDescription("Nothing is served as '" + name + "'; served: " + servedNames())
                    .toRuntimeException();
        }
        try {
            return session().table(name);
        } catch (Exception e) {
            throw CallStatus.NOT_FOUND
                    .withDescription(
                            FlightConf.TABLES + " names '" + name + "', which cannot be " + "read: " + e.getMessage())
                    .toRuntimeException();
        }
    }

    private static SparkSession session() {
        scala.Option<SparkSession> session = SparkSession.getDefaultSession();
        if (session.isEmpty()) {
            session = SparkSession.getActiveSession();
        }
        if (session.isEmpty()) {
            throw CallStatus.UNAVAILABLE
                    .withDescription("The application has no SparkSession yet")
                    .toRuntimeException();
        }
        return session.get();
    }

    /** A planning or job failure as the client sees it: the user's query is INVALID_ARGUMENT, the rest INTERNAL. */
    private static FlightRuntimeException failure(String what, Exception e) {
        if (e instanceof FlightRuntimeException flight) {
            return flight;
        }
        LOG.warn("{} for a Flight client failed: {}", what, e.toString());
        CallStatus status = e instanceof AnalysisException || e instanceof IllegalArgumentException
                ? CallStatus.INVALID_ARGUMENT
                : CallStatus.INTERNAL;
        return status.withDescription(what + " failed: " + e.getMessage())
                .withCause(e)
                .toRuntimeException();
    }
}
