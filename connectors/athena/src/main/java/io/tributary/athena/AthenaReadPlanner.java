package io.tributary.athena;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.types.StructType;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.WorkGroup;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Runs one statement on the driver and decides how its rows are read: picks the fetch mode ({@code auto} explains
 * its choice), then finds the result file's size or the UNLOAD files, which become the partitions.
 */
final class AthenaReadPlanner {
    static final String UNLOAD_DIRECTORY = "tributary-unload/";

    private final AthenaSourceOptions options;

    AthenaReadPlanner(AthenaSourceOptions options) {
        this.options = options;
    }

    /**
     * @param sql the SELECT to run
     * @param unloadReason why UNLOAD is safe for this statement in auto mode, or null when it may not be (column types
     *     UNLOAD rejects are possible or unknown)
     */
    ReadPlan plan(String sql, String unloadReason) {
        try (AthenaClient athena = AthenaClientFactory.athena(options)) {
            AthenaQueryRunner runner = new AthenaQueryRunner(athena, options);
            FetchMode requested = options.fetchMode();
            switch (requested) {
                case API:
                    return api(runner.run(sql, true), "fetchMode=api was requested");
                case CSV:
                    return csv(runner.run(sql, true), "fetchMode=csv was requested");
                case UNLOAD:
                    return unload(athena, runner, sql, "fetchMode=unload was requested");
                default:
                    S3Location unloadBase = unloadReason == null ? null : unloadBase(athena, false);
                    if (unloadBase != null) {
                        return unload(
                                athena, runner, sql, "auto: " + unloadReason + " and results go to " + unloadBase);
                    }
                    CompletedQuery query = runner.run(sql, true);
                    if (isCsvFile(query.resultLocation())) {
                        return csv(
                                query,
                                "auto: the result file " + query.resultLocation() + " can be read in parallel"
                                        + (unloadReason == null
                                                ? "; UNLOAD was not tried because the result may hold types it rejects"
                                                        + " (json, time, timestamp with time zone) or its column types are not known before it runs"
                                                : ""));
                    }
                    return api(query, "auto: the query left no CSV result file (managed query result storage?)");
            }
        }
    }

    private static boolean isCsvFile(String location) {
        return location != null && location.startsWith("s3://") && location.endsWith(".csv");
    }

    private ReadPlan api(CompletedQuery query, String reason) {
        List<InputPartition> partitions = List.of(new ApiResultsPartition(query.queryExecutionId()));
        return new ReadPlan(FetchMode.API, reason, query, AthenaTypeMapper.schema(query.columns()), partitions, null);
    }

    private ReadPlan csv(CompletedQuery query, String reason) {
        if (!isCsvFile(query.resultLocation())) {
            throw new IllegalStateException("Athena query " + query.queryExecutionId() + " left no CSV result file (its"
                    + " result location is " + query.resultLocation() + "); the workgroup may use managed query result"
                    + " storage. Use fetchMode=api or auto");
        }
        S3Location file = S3Location.parse("result location", query.resultLocation());
        try (S3Client s3 = AthenaClientFactory.s3(options)) {
            long size =
                    s3.headObject(r -> r.bucket(file.bucket()).key(file.key())).contentLength();
            List<InputPartition> partitions = new ArrayList<>(CsvSplitPlanner.plan(file, size, options.csvSplitSize()));
            return new ReadPlan(
                    FetchMode.CSV, reason, query, AthenaTypeMapper.schema(query.columns()), partitions, null);
        }
    }

    private ReadPlan unload(AthenaClient athena, AthenaQueryRunner runner, String sql, String reason) {
        S3Location prefix = unloadBase(athena, true).resolve(UNLOAD_DIRECTORY + UUID.randomUUID() + "/");
        String unload = "UNLOAD (" + sql + ") TO " + SqlText.literal(prefix.toString())
                + " WITH (format = 'PARQUET', compression = 'SNAPPY')";
        CompletedQuery query = runner.run(unload, false);
        try (S3Client s3 = AthenaClientFactory.s3(options)) {
            UnloadOutput output = UnloadOutput.list(s3, prefix);
            StructType schema = output.isEmpty() ? emptyResultSchema(runner, sql) : output.schema(s3);
            return new ReadPlan(FetchMode.UNLOAD, reason, query, schema, output.partitions(), prefix);
        }
    }

    /**
     * An empty result leaves UNLOAD no file whose footer holds the schema, so the statement's column metadata comes from
     * running it again with LIMIT 0 (which scans nothing). Nested columns are then strings, as in the text modes.
     */
    private static StructType emptyResultSchema(AthenaQueryRunner runner, String sql) {
        return AthenaTypeMapper.schema(
                runner.run("SELECT * FROM (" + sql + ") LIMIT 0", true).columns());
    }

    /** The outputLocation option, else the workgroup's configured result location; null if neither exists. */
    private S3Location unloadBase(AthenaClient athena, boolean required) {
        if (options.outputLocation() != null) {
            return options.outputLocation();
        }
        WorkGroup workGroup = new AthenaCallRetrier(options.maxRetries())
                .call("GetWorkGroup", () -> athena.getWorkGroup(r -> r.workGroup(options.workgroup())))
                .workGroup();
        String location =
                workGroup.configuration() == null || workGroup.configuration().resultConfiguration() == null
                        ? null
                        : workGroup.configuration().resultConfiguration().outputLocation();
        if (location == null && required) {
            throw new IllegalArgumentException(
                    "fetchMode=unload needs an S3 location to write Parquet files to: set the"
                            + " option '" + AthenaSourceOptions.OUTPUT_LOCATION + "' (workgroup '" + options.workgroup()
                            + "' configures none)");
        }
        return location == null
                ? null
                : S3Location.parse("workgroup output location", location).asPrefix();
    }
}
