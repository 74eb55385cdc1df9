package io.tributary.flight;

import io.tributary.options.OptionChecks;
import io.tributary.options.StandardDuration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code spark.tributary.flight.*} confs, read once; values are checked by the sources' {@link OptionChecks}
 * (durations such as {@code 10m}, a bare number being seconds). The token itself is never kept in a message or a
 * {@link #toString()}: only whether one was given and where it came from.
 */
public final class FlightConf {
    public static final String PREFIX = "spark.tributary.flight.";
    public static final String ENABLED = PREFIX + "enabled";
    public static final String HOST = PREFIX + "host";
    public static final String ADVERTISED_HOST = PREFIX + "advertisedHost";
    public static final String PORT = PREFIX + "port";
    public static final String EXECUTOR_PORT = PREFIX + "executorPort";
    public static final String TOKEN = PREFIX + "token";
    public static final String TOKEN_FILE = PREFIX + "tokenFile";
    public static final String TOKEN_ENV = "TRIBUTARY_FLIGHT_TOKEN";
    public static final String TLS_CERT_FILE = PREFIX + "tls.certFile";
    public static final String TLS_KEY_FILE = PREFIX + "tls.keyFile";
    public static final String SQL_ENABLED = PREFIX + "sql.enabled";
    public static final String TABLES = PREFIX + "tables";
    public static final String TICKET_TIMEOUT = PREFIX + "ticketTimeout";
    public static final String BATCH_ROWS = PREFIX + "batchRows";
    public static final String MEMORY_PER_STREAM = PREFIX + "memoryPerStream";
    static final String DEFAULT_HOST = "0.0.0.0";
    static final Duration DEFAULT_TICKET_TIMEOUT = Duration.ofMinutes(10);
    static final int DEFAULT_BATCH_ROWS = 65_536;
    static final long DEFAULT_MEMORY_PER_STREAM = 64L << 20;
    /** A year: longer means never in practice, and a bound keeps deadline arithmetic from overflowing. */
    static final Duration MAX_DURATION = Duration.ofDays(365);

    private final boolean enabled;
    private final String host;
    private final Optional<String> advertisedHost;
    private final int port;
    private final int executorPort;
    private final byte[] token;
    private final Optional<Path> tlsCertFile;
    private final Optional<Path> tlsKeyFile;
    private final boolean sqlEnabled;
    private final List<String> tables;
    private final Duration ticketTimeout;
    private final int batchRows;
    private final long memoryPerStream;

    private FlightConf(
            boolean enabled,
            String host,
            Optional<String> advertisedHost,
            int port,
            int executorPort,
            byte[] token,
            Optional<Path> tlsCertFile,
            Optional<Path> tlsKeyFile,
            boolean sqlEnabled,
            List<String> tables,
            Duration ticketTimeout,
            int batchRows,
            long memoryPerStream) {
        this.enabled = enabled;
        this.host = host;
        this.advertisedHost = advertisedHost;
        this.port = port;
        this.executorPort = executorPort;
        this.token = token;
        this.tlsCertFile = tlsCertFile;
        this.tlsKeyFile = tlsKeyFile;
        this.sqlEnabled = sqlEnabled;
        this.tables = tables;
        this.ticketTimeout = ticketTimeout;
        this.batchRows = batchRows;
        this.memoryPerStream = memoryPerStream;
    }

    /**
     * Reads the confs; {@code conf} gives a conf's value or null, {@code env} an environment variable's. When the
     * service is off nothing else is read or checked.
     *
     * @throws IllegalArgumentException naming the conf when a value is not allowed, or when the service is on
     *     without a token
     */
    public static FlightConf from(Function<String, String> conf, Function<String, String> env) {
        boolean enabled = bool(conf, ENABLED, false);
        if (!enabled) {
            return new FlightConf(
                    false,
                    DEFAULT_HOST,
                    Optional.empty(),
                    0,
                    0,
                    new byte[0],
                    Optional.empty(),
                    Optional.empty(),
                    false,
                    List.of(),
                    DEFAULT_TICKET_TIMEOUT,
                    DEFAULT_BATCH_ROWS,
                    DEFAULT_MEMORY_PER_STREAM);
        }
        Optional<Path> cert = text(conf, TLS_CERT_FILE).map(Path::of);
        Optional<Path> key = text(conf, TLS_KEY_FILE).map(Path::of);
        if (cert.isPresent() != key.isPresent()) {
            throw new IllegalArgumentException(TLS_CERT_FILE + " and " + TLS_KEY_FILE
                    + " go together: set both (PEM certificate chain and PEM PKCS#8 private key) or neither");
        }
        for (Optional<Path> file : List.of(cert, key)) {
            if (file.isPresent() && !Files.isReadable(file.get())) {
                throw new IllegalArgumentException((file == cert ? TLS_CERT_FILE : TLS_KEY_FILE)
                        + " names a file that cannot be read: " + file.get());
            }
        }
        List<String> tables = new ArrayList<>();
        for (String name : text(conf, TABLES).orElse("").split(",")) {
            if (!name.isBlank()) {
                tables.add(name.trim());
            }
        }
        return new FlightConf(
                true,
                text(conf, HOST).orElse(DEFAULT_HOST),
                text(conf, ADVERTISED_HOST),
                port(conf, PORT),
                port(conf, EXECUTOR_PORT),
                token(conf, env),
                cert,
                key,
                bool(conf, SQL_ENABLED, false),
                List.copyOf(tables),
                duration(conf, TICKET_TIMEOUT),
                batchRows(conf),
                text(conf, MEMORY_PER_STREAM)
                        .map(value -> OptionChecks.bytes(MEMORY_PER_STREAM, value, 0, 1L << 40))
                        .orElse(DEFAULT_MEMORY_PER_STREAM));
    }

    /** From a SparkConf-like map (tests and the plugins), with the process environment. */
    public static FlightConf from(Map<String, String> conf) {
        return from(conf::get, System::getenv);
    }

    private static byte[] token(Function<String, String> conf, Function<String, String> env) {
        Optional<String> inline = text(conf, TOKEN);
        Optional<String> file = text(conf, TOKEN_FILE);
        Optional<String> fromEnv = Optional.ofNullable(env.apply(TOKEN_ENV)).filter(t -> !t.isBlank());
        if (inline.isPresent() && file.isPresent()) {
            throw new IllegalArgumentException("Set one of " + TOKEN + " and " + TOKEN_FILE + ", not both");
        }
        String token;
        if (file.isPresent()) {
            try {
                token = Files.readString(Path.of(file.get()), StandardCharsets.UTF_8)
                        .strip();
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        TOKEN_FILE + " names a file that cannot be read: " + file.get() + " ("
                                + e.getClass().getSimpleName() + ")",
                        e);
            }
            if (token.isEmpty()) {
                throw new IllegalArgumentException(TOKEN_FILE + " names an empty file: " + file.get());
            }
        } else if (inline.isPresent()) {
            token = inline.get();
        } else if (fromEnv.isPresent()) {
            token = fromEnv.get().strip();
        } else {
            throw new IllegalArgumentException(ENABLED + " is true but no bearer token is set: put it in a file "
                    + "named by " + TOKEN_FILE + " (preferred), in the environment variable " + TOKEN_ENV
                    + " of the driver and executors, or in " + TOKEN);
        }
        return token.getBytes(StandardCharsets.UTF_8);
    }

    private static Optional<String> text(Function<String, String> conf, String name) {
        return Optional.ofNullable(conf.apply(name)).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static boolean bool(Function<String, String> conf, String name, boolean dflt) {
        return text(conf, name).map(value -> OptionChecks.bool(name, value)).orElse(dflt);
    }

    private static int port(Function<String, String> conf, String name) {
        return (int) OptionChecks.wholeNumber(
                name, text(conf, name).orElse("0"), 0, 65535, "a TCP port from 0 (any free port) to 65535");
    }

    private static Duration duration(Function<String, String> conf, String name) {
        return text(conf, name)
                .map(value ->
                        OptionChecks.duration(name, value, StandardDuration.SYNTAX, Duration.ofMillis(1), MAX_DURATION))
                .orElse(DEFAULT_TICKET_TIMEOUT);
    }

    private static int batchRows(Function<String, String> conf) {
        return (int) OptionChecks.wholeNumber(
                BATCH_ROWS, text(conf, BATCH_ROWS).orElse(Integer.toString(DEFAULT_BATCH_ROWS)), 1, Integer.MAX_VALUE);
    }

    public boolean enabled() {
        return enabled;
    }

    public String host() {
        return host;
    }

    /** The host clients are told to connect to: the advertised one, else the bind host unless it is a wildcard. */
    public String advertisedHost(String fallback) {
        if (advertisedHost.isPresent()) {
            return advertisedHost.get();
        }
        return host.equals("0.0.0.0") || host.equals("::") ? fallback : host;
    }

    public int port() {
        return port;
    }

    public int executorPort() {
        return executorPort;
    }

    /** The bearer token's bytes (a copy). */
    byte[] token() {
        return token.clone();
    }

    public Optional<Path> tlsCertFile() {
        return tlsCertFile;
    }

    public Optional<Path> tlsKeyFile() {
        return tlsKeyFile;
    }

    public boolean tls() {
        return tlsCertFile.isPresent();
    }

    public boolean sqlEnabled() {
        return sqlEnabled;
    }

    public List<String> tables() {
        return tables;
    }

    public Duration ticketTimeout() {
        return ticketTimeout;
    }

    public int batchRows() {
        return batchRows;
    }

    /** Bytes of a partition's batches that may wait in memory for its client; the rest go through a file. */
    public long memoryPerStream() {
        return memoryPerStream;
    }

    @Override
    public String toString() {
        return "FlightConf[enabled=" + enabled + ", host=" + host + ", port=" + port + ", executorPort=" + executorPort
                + ", tls=" + tls() + ", sqlEnabled=" + sqlEnabled + ", tables=" + tables + "]";
    }
}
