package io.tributary.flight;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

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
    private final Location location;

    private FlightService(FlightConf conf, boolean driver, String fallbackHost) throws IOException {
        int port = driver ? conf.port() : conf.executorPort();
        allocator = new RootAllocator();
        try {
            Location bind = conf.tls() ? Location.forGrpcTls(conf.host(), port)
                    : Location.forGrpcInsecure(conf.host(), port);
            FlightServer.Builder builder = FlightServer.builder(allocator, bind,
                    new TributaryFlightProducer(conf, driver, allocator))
                    .headerAuthenticator(new BearerTokenCheck(conf.token()));
            if (conf.tls()) {
                builder.useTls(conf.tlsCertFile().get().toFile(), conf.tlsKeyFile().get().toFile());
            }
            server = builder.build().start();
        } catch (IOException | RuntimeException e) {
            allocator.close();
            throw e;
        }
        String host = conf.advertisedHost(fallbackHost);
        location = conf.tls() ? Location.forGrpcTls(host, server.getPort())
                : Location.forGrpcInsecure(host, server.getPort());
    }

    /**
     * Starts this JVM's service, or returns the one running (local mode: the driver's serves the executor too).
     *
     * @param fallbackHost what clients connect to when {@code spark.tributary.flight.host} is a wildcard
     */
    public static synchronized FlightService start(FlightConf conf, boolean driver, String fallbackHost) {
        if (running != null) {
            return running;
        }
        try {
            running = new FlightService(conf, driver, fallbackHost);
        } catch (IOException e) {
            throw new IllegalStateException("Tributary could not start its Flight service on " + conf.host() + ":"
                    + (driver ? conf.port() + " (" + FlightConf.PORT : conf.executorPort() + " ("
                            + FlightConf.EXECUTOR_PORT) + "): " + e, e);
        }
        LOG.info("Tributary Flight service at {}", running.location.getUri());
        return running;
    }

    /** Whether a service runs in this JVM. */
    public static synchronized boolean isRunning() {
        return running != null;
    }

    /** Where this JVM's service is reached, if one runs. */
    static synchronized Optional<String> runningLocation() {
        return Optional.ofNullable(running).map(service -> service.location.getUri().toString());
    }

    public Location location() {
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
