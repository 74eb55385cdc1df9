package io.tributary.testing.athena;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tributary.testing.Await;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.duckdb.DuckDBConnection;

/**
 * A test fixture, not Athena: an HTTP server on loopback that speaks Athena's JSON 1.1 protocol
 * ({@code X-Amz-Target: AmazonAthena.<Operation>}) well enough for the real SDK v2 {@code AthenaClient}. SQL runs
 * on DuckDB; results go where Athena puts them, into a real S3 server: {@code <QueryExecutionId>.csv} with Athena's
 * quoting, and UNLOAD's Parquet files. Request signatures are accepted unchecked. Tests can make it fail, cancel,
 * throttle or delay queries.
 */
public final class AthenaEmulator implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService httpThreads = Executors.newFixedThreadPool(4);
    private final QueryEngine engine;
    private final Map<String, EmulatedQuery> queries = new ConcurrentHashMap<>();
    private final List<String> statements = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> throttles = new ConcurrentHashMap<>();
    private final String workgroupOutputLocation;
    private final S3Server s3;
    private volatile long resultsPageNanos;

    private AthenaEmulator(S3Server s3, String workgroupOutputLocation) throws IOException, SQLException {
        this.workgroupOutputLocation = workgroupOutputLocation;
        this.s3 = s3;
        Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement statement = duck.createStatement()) {
            statement.execute("SET GLOBAL TimeZone = 'UTC'");
        }
        this.engine = new QueryEngine((DuckDBConnection) duck, s3);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setExecutor(httpThreads);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Starts the emulator. {@code workgroupOutputLocation} is the result location of every workgroup
     * ({@code s3://bucket/prefix/}); null emulates managed query result storage, where results have no S3 file.
     */
    public static AthenaEmulator start(S3Server s3, String workgroupOutputLocation) throws Exception {
        return new AthenaEmulator(s3, workgroupOutputLocation);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * Turns the service-time model on ({@link ServiceTime#NONE} turns it off again): from now on every
     * GetQueryResults answer waits {@code model.resultsPage()} and every request to the S3 server's reader endpoint
     * waits {@code model.s3FirstByte()} before its first byte. The S3 delay belongs to the S3 server, so it applies
     * to every emulator sharing it.
     */
    public void serviceTime(ServiceTime model) {
        resultsPageNanos = model.resultsPage().toNanos();
        s3.readerFirstByteLatency(model.s3FirstByte());
    }

    /**
     * The read options that point {@code format("athena")} at this emulator and the S3 server's reader endpoint
     * (where the modelled S3 latency applies): endpoints, path-style
     * S3, S3Proxy's keys (it checks signatures), fast polling.
     */
    public Map<String, String> readOptions(S3Server s3, String database) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("endpoint", endpoint().toString());
        options.put("s3Endpoint", s3.readerEndpoint().toString());
        options.put("s3PathStyle", "true");
        options.put("region", "us-east-1");
        options.put("accessKeyId", S3Server.ACCESS_KEY);
        options.put("secretAccessKey", S3Server.SECRET_KEY);
        options.put("database", database);
        options.put("pollInterval", "20ms");
        return options;
    }

    /** Runs setup SQL (CREATE SCHEMA / TABLE / INSERT) on the engine directly. */
    public void sql(String sql) throws SQLException {
        engine.execute(sql);
    }

    /** The next {@code times} calls of {@code operation} (e.g. "GetQueryExecution") fail with TooManyRequestsException. */
    public void throttle(String operation, int times) {
        throttles.put(operation, new AtomicInteger(times));
    }

    /** The next query started ends FAILED with this reason and Athena error category (1 system, 2 user, 3 other). */
    public void failNextQuery(String reason, int errorCategory) {
        engine.failNext(reason, errorCategory);
    }

    /** The next query started ends CANCELLED with this reason, as if someone stopped it in the console. */
    public void cancelNextQuery(String reason) {
        engine.cancelNext(reason);
    }

    /** Queries stay RUNNING this long before they execute (until stopped). */
    public void delayQueries(Duration delay) {
        engine.delay(delay);
    }

    /** UNLOAD writes a new Parquet file after this many rows (DuckDB row groups: multiples of 2048). */
    public void unloadRowsPerFile(int rows) {
        engine.unloadRowsPerFile(rows);
    }

    /** How many times {@code operation} was called, throttled calls included. */
    public int calls(String operation) {
        AtomicInteger count = calls.get(operation);
        return count == null ? 0 : count.get();
    }

    /** The statements StartQueryExecution received, in order. */
    public List<String> statements() {
        synchronized (statements) {
            return List.copyOf(statements);
        }
    }

    /** The state of a query: QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELLED. */
    public String state(String queryExecutionId) {
        return queries.get(queryExecutionId).state;
    }

    /** Waits up to a minute until the query ends (tests of stopping need the emulator to settle first). */
    public String awaitDone(String queryExecutionId) throws Exception {
        EmulatedQuery query = queries.get(queryExecutionId);
        Await.until("query " + queryExecutionId + " to end", Duration.ofMinutes(1), query::isDone);
        return query.state;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (target == null || !target.startsWith("AmazonAthena.")) {
                reply(exchange, 400, error("UnknownOperationException", "Missing X-Amz-Target AmazonAthena.*"));
                return;
            }
            String operation = target.substring("AmazonAthena.".length());
            calls.computeIfAbsent(operation, o -> new AtomicInteger()).incrementAndGet();
            AtomicInteger throttled = throttles.get(operation);
            if (throttled != null && throttled.getAndDecrement() > 0) {
                reply(exchange, 400, error("TooManyRequestsException", "Rate exceeded"));
                return;
            }
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            try {
                reply(exchange, 200, dispatch(operation, request));
            } catch (InvalidRequest e) {
                reply(exchange, 400, error("InvalidRequestException", e.getMessage()));
            } catch (RuntimeException | SQLException e) {
                reply(exchange, 500, error("InternalServerException", e.toString()));
            }
        }
    }

    private ObjectNode dispatch(String operation, JsonNode request) throws SQLException {
        switch (operation) {
            case "StartQueryExecution":
                return startQueryExecution(request);
            case "GetQueryExecution":
                return getQueryExecution(request);
            case "GetQueryResults":
                return getQueryResults(request);
            case "StopQueryExecution":
                return stopQueryExecution(request);
            case "GetWorkGroup":
                return getWorkGroup(request);
            case "GetTableMetadata":
                return getTableMetadata(request);
            default:
                throw new InvalidRequest("The emulator does not implement " + operation);
        }
    }

    private ObjectNode startQueryExecution(JsonNode request) {
        String sql = request.path("QueryString").asText();
        statements.add(sql);
        String output =
                request.path("ResultConfiguration").path("OutputLocation").asText(null);
        if (output == null) {
            output = workgroupOutputLocation;
        }
        List<String> parameters = new ArrayList<>();
        request.path("ExecutionParameters").forEach(p -> parameters.add(p.asText()));
        String id = UUID.randomUUID().toString();
        EmulatedQuery query = new EmulatedQuery(
                id,
                sql,
                request.path("QueryExecutionContext").path("Database").asText(null),
                request.path("WorkGroup").asText("primary"),
                output);
        queries.put(id, query);
        engine.submit(query, parameters);
        return JSON.createObjectNode().put("QueryExecutionId", id);
    }

    private EmulatedQuery query(JsonNode request) {
        String id = request.path("QueryExecutionId").asText();
        EmulatedQuery query = queries.get(id);
        if (query == null) {
            throw new InvalidRequest("QueryExecution " + id + " was not found");
        }
        return query;
    }

    private ObjectNode getQueryExecution(JsonNode request) {
        EmulatedQuery query = query(request);
        ObjectNode execution = JSON.createObjectNode()
                .put("QueryExecutionId", query.id)
                .put("Query", query.sql)
                .put("StatementType", query.statementType)
                .put("WorkGroup", query.workgroup);
        if (query.resultLocation != null) {
            execution.putObject("ResultConfiguration").put("OutputLocation", query.resultLocation);
        }
        if (query.database != null) {
            execution.putObject("QueryExecutionContext").put("Database", query.database);
        }
        ObjectNode status =
                execution.putObject("Status").put("State", query.state).put("SubmissionDateTime", query.submitted);
        if (query.isDone()) {
            status.put("CompletionDateTime", query.completed);
        }
        if (query.stateChangeReason != null) {
            status.put("StateChangeReason", query.stateChangeReason);
        }
        if (query.errorCategory != null) {
            status.putObject("AthenaError")
                    .put("ErrorCategory", query.errorCategory)
                    .put("ErrorType", 1000)
                    .put("Retryable", false)
                    .put("ErrorMessage", query.stateChangeReason);
        }
        return JSON.createObjectNode().set("QueryExecution", execution);
    }

    private ObjectNode getQueryResults(JsonNode request) {
        // Athena pages strictly one after another (each needs the previous NextToken), so this wait adds up per page.
        ServiceTime.elapse(resultsPageNanos);
        EmulatedQuery query = query(request);
        if (!"SUCCEEDED".equals(query.state)) {
            throw new InvalidRequest("Query has not yet finished. Current state: " + query.state);
        }
        int maxResults = request.path("MaxResults").asInt(1000);
        if (maxResults < 1 || maxResults > 1000) {
            throw new InvalidRequest("MaxResults must be between 1 and 1000, got " + maxResults);
        }
        // Row 0 of a SELECT's result is the header row: it counts against MaxResults like any other.
        boolean header = !query.columns.isEmpty();
        int total = query.rows.size() + (header ? 1 : 0);
        int from = request.hasNonNull("NextToken")
                ? Integer.parseInt(request.get("NextToken").asText())
                : 0;
        int to = Math.min(total, from + maxResults);
        ObjectNode response = JSON.createObjectNode();
        ObjectNode resultSet = response.putObject("ResultSet");
        ArrayNode rows = resultSet.putArray("Rows");
        for (int i = from; i < to; i++) {
            ArrayNode data = rows.addObject().putArray("Data");
            if (header && i == 0) {
                query.columns.forEach(c -> data.addObject().put("VarCharValue", c.name));
            } else {
                for (String value : query.rows.get(i - (header ? 1 : 0))) {
                    ObjectNode datum = data.addObject();
                    if (value != null) {
                        datum.put("VarCharValue", value); // NULL is a Datum without VarCharValue
                    }
                }
            }
        }
        ArrayNode columnInfo = resultSet.putObject("ResultSetMetadata").putArray("ColumnInfo");
        for (EmulatedQuery.Column column : query.columns) {
            columnInfo
                    .addObject()
                    .put("CatalogName", "hive")
                    .put("SchemaName", "")
                    .put("TableName", "")
                    .put("Name", column.name)
                    .put("Label", column.name)
                    .put("Type", column.type)
                    .put("Precision", column.precision)
                    .put("Scale", column.scale)
                    .put("Nullable", "UNKNOWN")
                    .put("CaseSensitive", "varchar".equals(column.type));
        }
        if (to < total) {
            response.put("NextToken", Integer.toString(to));
        }
        return response;
    }

    private ObjectNode stopQueryExecution(JsonNode request) {
        query(request).finish("CANCELLED", "Query cancelled by user", null);
        return JSON.createObjectNode();
    }

    private ObjectNode getWorkGroup(JsonNode request) {
        String name = request.path("WorkGroup").asText();
        ObjectNode workGroup = JSON.createObjectNode().put("Name", name).put("State", "ENABLED");
        ObjectNode configuration = workGroup.putObject("Configuration");
        if (workgroupOutputLocation != null) {
            configuration.putObject("ResultConfiguration").put("OutputLocation", workgroupOutputLocation);
        }
        return JSON.createObjectNode().set("WorkGroup", workGroup);
    }

    private ObjectNode getTableMetadata(JsonNode request) throws SQLException {
        String database = request.path("DatabaseName").asText();
        String table = request.path("TableName").asText();
        List<String[]> columns = engine.tableColumns(database, table);
        if (columns.isEmpty()) {
            throw new InvalidRequest("Table " + database + "." + table + " does not exist (MetadataException)");
        }
        ObjectNode metadata = JSON.createObjectNode().put("Name", table).put("TableType", "EXTERNAL_TABLE");
        ArrayNode columnNodes = metadata.putArray("Columns");
        for (String[] column : columns) {
            columnNodes.addObject().put("Name", column[0]).put("Type", column[1]);
        }
        metadata.putArray("PartitionKeys");
        return JSON.createObjectNode().set("TableMetadata", metadata);
    }

    private static ObjectNode error(String type, String message) {
        return JSON.createObjectNode().put("__type", type).put("Message", message);
    }

    private static void reply(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() throws SQLException {
        server.stop(0);
        httpThreads.shutdownNow();
        engine.close();
    }

    /** A request Athena would answer with InvalidRequestException. */
    static final class InvalidRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidRequest(String message) {
            super(message);
        }
    }
}
