package io.tributary.testing.athena;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.duckdb.DuckDBConnection;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Runs the emulator's queries on DuckDB and writes their results to S3 the way Athena does. */
final class QueryEngine implements AutoCloseable {
    private static final Pattern UNLOAD =
            Pattern.compile("(?is)\\s*UNLOAD\\s*\\((.*)\\)\\s*TO\\s*'((?:[^']|'')*)'\\s*WITH\\s*\\((.*)\\)\\s*");
    /** Types Athena's UNLOAD cannot write to Parquet. */
    private static final List<String> UNLOAD_UNSUPPORTED = List.of("JSON", "TIME", "TIMESTAMP WITH TIME ZONE");

    private final DuckDBConnection duck;
    private final S3Server s3Server;
    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private volatile Duration delay = Duration.ZERO;
    private volatile int unloadRowsPerFile = 122_880;
    private String failReason;
    private Integer failCategory;
    private String cancelReason;

    QueryEngine(DuckDBConnection duck, S3Server s3Server) {
        this.duck = duck;
        this.s3Server = s3Server;
    }

    void execute(String sql) throws SQLException {
        try (DuckDBConnection connection = duck.duplicate();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    synchronized void failNext(String reason, int category) {
        failReason = reason;
        failCategory = category;
    }

    synchronized void cancelNext(String reason) {
        cancelReason = reason;
    }

    void delay(Duration delay) {
        this.delay = delay;
    }

    void unloadRowsPerFile(int rows) {
        this.unloadRowsPerFile = rows;
    }

    void submit(EmulatedQuery query, List<String> parameters) {
        String fail;
        Integer category;
        String cancel;
        synchronized (this) {
            fail = failReason;
            category = failCategory;
            cancel = cancelReason;
            failReason = null;
            failCategory = null;
            cancelReason = null;
        }
        workers.submit(() -> run(query, parameters, fail, category, cancel));
    }

    private void run(EmulatedQuery query, List<String> parameters, String fail, Integer category, String cancel) {
        query.state = "RUNNING";
        try {
            long until = System.nanoTime() + delay.toNanos();
            while (System.nanoTime() < until && !query.isDone()) {
                Thread.sleep(5);
            }
            if (query.isDone()) {
                return; // stopped while waiting
            }
            if (fail != null) {
                query.finish("FAILED", fail, category);
                return;
            }
            if (cancel != null) {
                query.finish("CANCELLED", cancel, null);
                return;
            }
            String sql = substitute(query.sql, parameters);
            Matcher unload = UNLOAD.matcher(sql);
            if (unload.matches()) {
                unload(query, unload.group(1), unload.group(2).replace("''", "'"), unload.group(3));
            } else {
                select(query, sql);
            }
            query.finish("SUCCEEDED", null, null);
        } catch (SQLException e) {
            query.finish("FAILED", "SYNTAX_ERROR: " + e.getMessage(), 2);
        } catch (AthenaUserError e) {
            query.finish("FAILED", e.getMessage(), 2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | IOException e) {
            query.finish("FAILED", "INTERNAL_ERROR: " + e, 1);
        }
    }

    /** Replaces each '?' outside string literals with the next execution parameter, as Athena does. */
    static String substitute(String sql, List<String> parameters) {
        if (parameters.isEmpty()) {
            return sql;
        }
        StringBuilder out = new StringBuilder();
        boolean inString = false;
        int next = 0;
        for (char c : sql.toCharArray()) {
            if (c == '\'') {
                inString = !inString;
            }
            if (c == '?' && !inString) {
                if (next >= parameters.size()) {
                    throw new AthenaUserError(
                            "Incorrect number of parameters: expected more than " + parameters.size());
                }
                out.append(parameters.get(next++));
            } else {
                out.append(c);
            }
        }
        if (next != parameters.size()) {
            throw new AthenaUserError(
                    "Incorrect number of parameters: expected " + next + " but found " + parameters.size());
        }
        return out.toString();
    }

    private void select(EmulatedQuery query, String sql) throws SQLException, IOException {
        List<EmulatedQuery.Column> columns = new ArrayList<>();
        List<String[]> rows = new ArrayList<>();
        try (DuckDBConnection connection = duck.duplicate()) {
            useDatabase(connection, query.database);
            try (PreparedStatement statement = connection.prepareStatement(sql);
                    ResultSet result = statement.executeQuery()) {
                ResultSetMetaData metadata = result.getMetaData();
                int n = metadata.getColumnCount();
                for (int i = 1; i <= n; i++) {
                    String duckType = metadata.getColumnTypeName(i);
                    String type = AthenaText.athenaType(duckType);
                    boolean decimal = type.equals("decimal");
                    columns.add(new EmulatedQuery.Column(
                            metadata.getColumnName(i),
                            type,
                            decimal ? metadata.getPrecision(i) : type.equals("varchar") ? 2147483647 : 0,
                            decimal ? metadata.getScale(i) : 0));
                }
                while (result.next()) {
                    String[] row = new String[n];
                    for (int i = 0; i < n; i++) {
                        Object value = result.getObject(i + 1);
                        row[i] = value == null ? null : AthenaText.format(value);
                    }
                    rows.add(row);
                }
            }
        }
        query.columns = columns;
        query.rows = rows;
        if (query.outputLocation != null) {
            String location = prefix(query.outputLocation) + query.id + ".csv";
            writeCsv(location, columns, rows);
            query.resultLocation = location;
        }
    }

    private void writeCsv(String location, List<EmulatedQuery.Column> columns, List<String[]> rows) throws IOException {
        Path file = Files.createTempFile("athena-result", ".csv");
        try {
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < columns.size(); i++) {
                    if (i > 0) {
                        line.append(',');
                    }
                    AthenaText.appendCsvField(line, columns.get(i).name);
                }
                out.append(line).append('\n');
                for (String[] row : rows) {
                    line.setLength(0);
                    for (int i = 0; i < row.length; i++) {
                        if (i > 0) {
                            line.append(',');
                        }
                        AthenaText.appendCsvField(line, row[i]);
                    }
                    out.append(line).append('\n');
                }
            }
            put(location, file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private void unload(EmulatedQuery query, String inner, String target, String with)
            throws SQLException, IOException {
        if (!with.toLowerCase(Locale.ROOT).replace(" ", "").contains("format='parquet'")) {
            throw new AthenaUserError("The emulator's UNLOAD writes only format = 'PARQUET', got WITH (" + with + ")");
        }
        String prefix = prefix(target);
        String[] bucketKey = bucketAndKey(prefix);
        try (S3Client s3 = s3Server.client()) {
            if (!s3.listObjectsV2(
                            r -> r.bucket(bucketKey[0]).prefix(bucketKey[1]).maxKeys(1))
                    .contents()
                    .isEmpty()) {
                throw new AthenaUserError("HIVE_PATH_ALREADY_EXISTS: Target directory for table already exists: "
                        + prefix + ". UNLOAD needs an empty location");
            }
        }
        Path directory = Files.createTempDirectory("athena-unload");
        try (DuckDBConnection connection = duck.duplicate()) {
            useDatabase(connection, query.database);
            try (Statement statement = connection.createStatement();
                    ResultSet described = statement.executeQuery("DESCRIBE " + inner)) {
                while (described.next()) {
                    String type = described.getString("column_type").toUpperCase(Locale.ROOT);
                    if (UNLOAD_UNSUPPORTED.contains(type)) {
                        throw new AthenaUserError("NOT_SUPPORTED: Unsupported Hive type: " + AthenaText.athenaType(type)
                                + " (column " + described.getString("column_name") + ")");
                    }
                }
            }
            // Athena's writers create no file for an empty result; DuckDB would write one holding no rows.
            if (hasRows(connection, inner)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(
                            "COPY (" + inner + ") TO '" + directory.toString().replace("'", "''")
                                    + "' (FORMAT PARQUET, COMPRESSION SNAPPY, ROW_GROUP_SIZE " + unloadRowsPerFile
                                    + ", ROW_GROUPS_PER_FILE 1, OVERWRITE_OR_IGNORE true)");
                }
            }
            List<String> written = new ArrayList<>();
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file :
                        files.sorted(Comparator.comparing(Path::toString)).toList()) {
                    String location = prefix + query.id.replace("-", "") + "_" + written.size();
                    put(location, file);
                    written.add(location);
                }
            }
            query.statementType = "DML";
            if (query.outputLocation != null) {
                String manifest = prefix(query.outputLocation) + query.id + "-manifest.csv";
                Path file = Files.createTempFile("athena-manifest", ".csv");
                Files.writeString(file, written.isEmpty() ? "" : String.join("\n", written) + "\n");
                put(manifest, file);
                Files.delete(file);
                query.resultLocation = manifest;
            }
        } finally {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static boolean hasRows(DuckDBConnection connection, String select) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet first = statement.executeQuery("SELECT 1 FROM (" + select + ") AS unload_input LIMIT 1")) {
            return first.next();
        }
    }

    private static void useDatabase(DuckDBConnection connection, String database) throws SQLException {
        if (database != null) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET search_path = '" + database.replace("'", "''") + "'");
            }
        }
    }

    /** Column names and catalog (Glue) type names of a table, as GetTableMetadata reports them. */
    List<String[]> tableColumns(String database, String table) throws SQLException {
        List<String[]> columns = new ArrayList<>();
        try (DuckDBConnection connection = duck.duplicate();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT column_name, data_type FROM"
                                + " information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
            statement.setString(1, database);
            statement.setString(2, table);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    columns.add(new String[] {result.getString(1), glueType(result.getString(2))});
                }
            }
        }
        return columns;
    }

    private static String glueType(String duckType) {
        String athena = AthenaText.athenaType(duckType);
        switch (athena) {
            case "decimal":
                return duckType.toLowerCase(Locale.ROOT).replace(" ", "");
            case "integer":
                return "int";
            case "varchar":
                return "string";
            case "varbinary":
                return "binary";
            case "array":
                return "array<" + duckType.substring(0, duckType.length() - 2).toLowerCase(Locale.ROOT) + ">";
            case "map":
                return "map<" + duckType.substring(4, duckType.length() - 1).toLowerCase(Locale.ROOT) + ">";
            case "row":
                return "struct<" + duckType.substring(7, duckType.length() - 1).toLowerCase(Locale.ROOT) + ">";
            default:
                return athena;
        }
    }

    private void put(String location, Path file) {
        String[] bucketKey = bucketAndKey(location);
        try (S3Client s3 = s3Server.client()) {
            s3.putObject(r -> r.bucket(bucketKey[0]).key(bucketKey[1]), RequestBody.fromFile(file));
        }
    }

    private static String prefix(String location) {
        return location.endsWith("/") ? location : location + "/";
    }

    private static String[] bucketAndKey(String location) {
        String rest = location.substring("s3://".length());
        int slash = rest.indexOf('/');
        return new String[] {rest.substring(0, slash), rest.substring(slash + 1)};
    }

    @Override
    public void close() throws SQLException {
        workers.shutdownNow();
        duck.close();
    }

    /** An error Athena reports as the user's (category 2). */
    static final class AthenaUserError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AthenaUserError(String message) {
            super(message);
        }
    }
}
