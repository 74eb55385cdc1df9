package io.tributary.spark;

import com.sun.net.httpserver.HttpServer;
import io.prometheus.client.exporter.common.TextFormat;
import io.tributary.flight.FlightConf;
import io.tributary.flight.FlightMessages;
import io.tributary.flight.FlightService;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs Tributary's secret redaction for the whole application (see {@link SecretConfRedaction}). Keeps the latest
 * metrics of every executor and serves them, labelled {@code executor_id}, on
 * {@code /metrics} when {@code spark.tributary.metrics.port} is set. The port actually bound (useful with 0) is
 * published back into the SparkConf as {@code spark.tributary.metrics.boundPort}.
 */
final class TributaryDriverPlugin implements DriverPlugin {
    static final String BOUND_PORT = "spark.tributary.metrics.boundPort";
    private static final String EVENT_LOG_ENABLED = "spark.eventLog.enabled";
    /** The port the driver's Flight service is bound to (useful with {@code spark.tributary.flight.port=0}). */
    static final String FLIGHT_BOUND_PORT = "spark.tributary.flight.boundPort";

    private static final Logger LOG = LoggerFactory.getLogger(TributaryDriverPlugin.class);

    private final Map<String, List<String[]>> latestByExecutor = new ConcurrentHashMap<>();
    private HttpServer server;
    private FlightService flight;

    @Override
    public Map<String, String> init(SparkContext sparkContext, PluginContext pluginContext) {
        // Plugins start before SparkContext posts its environment and before it adds the event log's listener: the
        // first environment record already hides Tributary's launch-time secrets, and the properties redaction runs
        // ahead of the event log on its queue.
        SecretConfRedaction.install(sparkContext.conf());
        if (sparkContext.conf().getBoolean(EVENT_LOG_ENABLED, false)) {
            sparkContext.listenerBus().addToEventLogQueue(new JobPropertiesRedaction(sparkContext.conf()));
        }
        MetricsConf conf = MetricsConf.from(sparkContext.conf());
        if (conf.served()) {
            server = startServer(conf);
            int port = server.getAddress().getPort();
            sparkContext.conf().set(BOUND_PORT, Integer.toString(port));
            LOG.info("Tributary metrics at http://{}:{}/metrics", conf.host, port);
        }
        FlightConf flightConf = FlightConf.from(name -> sparkContext.conf().get(name, null), System::getenv);
        if (flightConf.enabled()) {
            String driverHost = sparkContext.conf().get("spark.driver.host", "localhost");
            flight = FlightService.start(flightConf, true, () -> driverHost);
            sparkContext.conf().set(FLIGHT_BOUND_PORT, Integer.toString(flight.port()));
        }
        return Collections.emptyMap();
    }

    private HttpServer startServer(MetricsConf conf) {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(conf.host, conf.port), 0);
            http.createContext("/metrics", exchange -> {
                try (exchange) {
                    exchange.getResponseHeaders().set("Content-Type", TextFormat.CONTENT_TYPE_004);
                    exchange.sendResponseHeaders(200, 0);
                    try (Writer body = new OutputStreamWriter(exchange.getResponseBody(), StandardCharsets.UTF_8)) {
                        TextFormat.write004(body, Collections.enumeration(MetricsSnapshot.merge(latestByExecutor)));
                    }
                }
            });
            http.start();
            return http;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Tributary could not serve metrics on " + conf.host + ":" + conf.port + " (" + MetricsConf.PORT
                            + ")",
                    e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object receive(Object message) {
        if (FlightMessages.receive(message)) {
            return null;
        }
        if (message instanceof Object[] && ((Object[]) message).length == 2) {
            Object[] snapshot = (Object[]) message;
            latestByExecutor.put((String) snapshot[0], (List<String[]>) snapshot[1]);
        }
        return null;
    }

    @Override
    public void shutdown() {
        if (server != null) {
            server.stop(0);
        }
        if (flight != null) {
            flight.close();
        }
    }
}
