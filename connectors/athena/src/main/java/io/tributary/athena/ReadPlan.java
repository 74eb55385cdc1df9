package io.tributary.athena;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.types.StructType;

/**
 * The outcome of running one statement for a scan: the fetch mode used and why, the query id, the schema of the
 * rows and the partitions that read them.
 */
final class ReadPlan implements Serializable {
    private static final long serialVersionUID = 1L;

    private final FetchMode mode;
    private final String reason;
    private final CompletedQuery query;
    private final StructType schema;
    private final List<InputPartition> partitions;
    private final S3Location unloadPrefix;

    ReadPlan(
            FetchMode mode,
            String reason,
            CompletedQuery query,
            StructType schema,
            List<InputPartition> partitions,
            S3Location unloadPrefix) {
        this.unloadPrefix = unloadPrefix;
        this.mode = mode;
        this.reason = reason;
        this.query = query;
        this.schema = schema;
        this.partitions = List.copyOf(partitions);
    }

    FetchMode mode() {
        return mode;
    }

    String reason() {
        return reason;
    }

    CompletedQuery query() {
        return query;
    }

    /** The schema Athena's metadata (api, csv) or the Parquet files (unload) give. */
    StructType schema() {
        return schema;
    }

    List<InputPartition> partitions() {
        return partitions;
    }

    /** Where UNLOAD wrote its files, or null in the other modes. */
    S3Location unloadPrefix() {
        return unloadPrefix;
    }

    /** For EXPLAIN and the Spark UI: mode, reason, query id; never credentials. */
    String describe() {
        return "fetchMode=" + mode.optionValue() + " (" + reason + "), queryExecutionId=" + query.queryExecutionId()
                + ", partitions=" + partitions.size();
    }
}
