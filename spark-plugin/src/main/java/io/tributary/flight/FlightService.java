package io.tributary.flight;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This JVM's Arrow Flight server: started by the plugin on the driver (all calls) and on each executor (DoGet),
 * one per JVM; in local mode the executor shares the driver's.
 */
public final class FlightService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FlightService.class);
    private static FlightService running;

    private final BufferAllocator allocator;
    private final FlightServer server;
    private final TributaryFlightProducer producer;
    private final FlightConf conf;
    private final Supplier<String> fallbackHost;
    private Location location;

    private FlightService(FlightConf conf, boolean driver, Supplier<String> fallbackHost) throws IOException {
        this.conf = conf;
        this.fallbackHost = fallbackHost;
        int port = driver ? conf.port() : conf.executorPort();
        allocator = new RootAllocator();
        try {
            Location bind =
                    conf.tls() ? Location.forGrpcTls(conf.host(), port) : Location.forGrpcInsecure(conf.host(), port);
            producer = new TributaryFlightProducer(conf, driver);
            FlightServer.Builder builder = FlightServer.builder(allocator, bind, producer)
                    .headerAuthenticator(new BearerTokenCheck(conf.token()));
            if (conf.tls()) {
                builder.useTls(
                        conf.tlsCertFile().get().toFile(),
                        conf.tlsKeyFile().get().toFile());
            }
            server = builder.build().start();
        } catch (IOException | RuntimeException e) {
            allocator.close();
            throw e;
        }
    }

    /**
     * Starts this JVM's service, or returns the one running (local mode: the driver's serves the executor too).
     *
     * @param fallbackHost what clients connect to when {@code spark.tributary.flight.host} is a wildcard; asked when
     *     the location is first needed (an executor knows its host only once its block manager is up)
     */
    public static synchronized FlightService start(FlightConf conf, boolean driver, Supplier<String> fallbackHost) {
        if (running != null) {
            return running;
        }
        try {
            running = new FlightService(conf, driver, fallbackHost);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "Tributary could not start its Flight service on " + conf.host() + ":"
                            + (driver
                                    ? conf.port() + " (" + FlightConf.PORT
                                    : conf.executorPort() + " (" + FlightConf.EXECUTOR_PORT)
                            + "): " + e,
                    e);
        }
        LOG.info("Tributary Flight service on {}:{}", conf.host(), running.port());
        return running;
    }

    /**
     * A service that is not this JVM's own (not found by {@link #isRunning} or the partition jobs); the caller
     * closes it. For a second service beside the plugin's, such as one with other TLS settings.
     */
    static FlightService openUnregistered(FlightConf conf, boolean driver, String fallbackHost) throws IOException {
        return new FlightService(conf, driver, () -> fallbackHost);
    }

    /** Whether a service runs in this JVM. */
    public static synchronized boolean isRunning() {
        return running != null;
    }

    /** Where this JVM's service is reached, if one runs. */
    static synchronized Optional<String> runningLocation() {
        return Optional.ofNullable(running)
                .map(service -> service.location().getUri().toString());
    }

    /** Where clients reach this service. */
    public synchronized Location location() {
        if (location == null) {
            String host = conf.advertisedHost(fallbackHost.get());
            location = conf.tls()
                    ? Location.forGrpcTls(host, server.getPort())
                    : Location.forGrpcInsecure(host, server.getPort());
        }
        return location;
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        synchronized (FlightService.class) {
            if (running == this) {
                running = null;
            }
        }
        server.shutdown();
        producer.close();
        try {
            if (!server.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("Tributary Flight service still had calls after 10 s; closing it anyway");
            }
            server.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            allocator.close();
        } catch (IllegalStateException e) {
            LOG.warn("Tributary Flight service closed with Arrow memory still allocated: {}", e.getMessage());
        }
    }
}
