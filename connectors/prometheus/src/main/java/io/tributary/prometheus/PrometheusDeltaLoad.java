package io.tributary.prometheus;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import scala.jdk.javaapi.CollectionConverters;

/**
 * An idempotent load of one time window into a Delta table: reads the grid points in {@code [start, end)} with
 * {@code format("prometheus")} and writes them with Delta's {@code replaceWhere} on exactly that range, so running
 * the same load again replaces the window instead of adding it twice, and a load of an overlapping window
 * replaces the overlap. The first load creates the table. A load that fails (server down, query error) writes
 * nothing: Delta commits the replacement atomically, or not at all.
 *
 * <pre>{@code
 * PrometheusDeltaLoad.window(spark, Map.of(
 *         "url", "http://127.0.0.1:9090",
 *         "metrics", "node_memory_Active_bytes,node_memory_Cached_bytes",
 *         "labelColumns", "instance",
 *         "start", "2023-01-01T00:00:00Z",
 *         "end", "2023-01-02T00:00:00Z",   // excluded: the next day's load starts here
 *         "step", "15s"))
 *     .partitionBy("metric")
 *     .saveToPath("/lake/node_memory");
 * }</pre>
 *
 * <p>The window is end-exclusive (unlike a plain read, which includes a grid point at {@code end}), so that
 * consecutive windows tile: day after day, nothing is read twice. {@code start} and {@code end} are resolved once
 * when the load is created ({@code now-1d} included), and the same two instants bound both the read and the
 * replacement. Only Spark's public writer API is used; the session needs Delta Lake (package
 * {@code io.delta:delta-spark_2.13} and its SQL extension), as for any Delta write.
 */
public final class PrometheusDeltaLoad {
    private final SparkSession spark;
    private final Map<String, String> readOptions;
    private final Instant start;
    private final Instant end;
    private final List<String> partitionColumns;

    private PrometheusDeltaLoad(
            SparkSession spark,
            Map<String, String> readOptions,
            Instant start,
            Instant end,
            List<String> partitionColumns) {
        this.spark = spark;
        this.readOptions = readOptions;
        this.start = start;
        this.end = end;
        this.partitionColumns = partitionColumns;
    }

    /**
     * A load of the window {@code [start, end)} of the given read options (every option of
     * {@code format("prometheus")}; {@code end} defaults to now).
     *
     * @throws IllegalArgumentException for bad options, as the reader raises them, or an empty window
     */
    public static PrometheusDeltaLoad window(SparkSession spark, Map<String, String> readOptions) {
        return window(
                spark, readOptions, CollectionConverters.asJava(spark.conf().getAll()), Clock.systemUTC());
    }

    /** {@link #window(SparkSession, Map)} with the session conf and "now" given, for tests. */
    static PrometheusDeltaLoad window(
            SparkSession spark, Map<String, String> readOptions, Map<String, String> sessionConf, Clock clock) {
        PrometheusSourceOptions parsed = PrometheusSourceOptions.from(readOptions, sessionConf, clock);
        if (!parsed.start().isBefore(parsed.end())) {
            throw new IllegalArgumentException("Option '" + PrometheusSourceOptions.END + "' (" + parsed.end()
                    + ") must be after option '" + PrometheusSourceOptions.START + "' (" + parsed.start()
                    + ") for a load: it replaces the window [start, end)");
        }
        Map<String, String> resolved = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        resolved.putAll(readOptions);
        resolved.put(PrometheusSourceOptions.START, parsed.start().toString());
        resolved.put(PrometheusSourceOptions.END, parsed.end().toString());
        return new PrometheusDeltaLoad(spark, Map.copyOf(resolved), parsed.start(), parsed.end(), List.of());
    }

    /** Partitions a table this load creates by these columns (for an existing table, they must be its own). */
    public PrometheusDeltaLoad partitionBy(String... columns) {
        return new PrometheusDeltaLoad(spark, readOptions, start, end, List.of(columns));
    }

    /** The first instant of the window, as resolved when the load was created. */
    public Instant start() {
        return start;
    }

    /** The end of the window, excluded. */
    public Instant end() {
        return end;
    }

    /** The condition of the rows a save replaces: {@code timestamp} in {@code [start, end)}. */
    public String replaceWhere() {
        return "`" + PrometheusSchema.TIMESTAMP + "` >= TIMESTAMP '" + start + "' AND `" + PrometheusSchema.TIMESTAMP
                + "` < TIMESTAMP '" + end + "'";
    }

    /** The rows a save writes: the read of the window, without a point at {@code end}. */
    public Dataset<Row> read() {
        return spark.read()
                .format("prometheus")
                .options(readOptions)
                .load()
                .where(col(PrometheusSchema.TIMESTAMP).lt(lit(Timestamp.from(end))));
    }

    /** Replaces the window in the Delta table at {@code path}, creating the table on the first load. */
    public void saveToPath(String path) {
        writer().save(path);
    }

    /** Replaces the window in the Delta table {@code tableName}, creating the table on the first load. */
    public void saveAsTable(String tableName) {
        writer().saveAsTable(tableName);
    }

    private DataFrameWriter<Row> writer() {
        DataFrameWriter<Row> writer =
                read().write().format("delta").mode(SaveMode.Overwrite).option("replaceWhere", replaceWhere());
        return partitionColumns.isEmpty() ? writer : writer.partitionBy(partitionColumns.toArray(new String[0]));
    }

    @Override
    public String toString() {
        return "PrometheusDeltaLoad[" + start + ", " + end + ")";
    }
}
