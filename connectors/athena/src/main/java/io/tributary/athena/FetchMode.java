package io.tributary.athena;

import java.util.Locale;

/** How the rows of a finished Athena query reach Spark. */
public enum FetchMode {
    /** The fastest mode that applies; the scan description says which one was chosen and why. */
    AUTO,
    /** GetQueryResults pages (1000 rows each, strictly sequential): one partition, no S3 access needed. */
    API,
    /** The result file {@code <QueryExecutionId>.csv} read from S3 with ranged GETs, split across partitions. */
    CSV,
    /** The query wrapped in UNLOAD to Parquet under a unique prefix; each file becomes a partition. */
    UNLOAD;

    String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
