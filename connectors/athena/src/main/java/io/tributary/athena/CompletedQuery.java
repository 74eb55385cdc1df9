package io.tributary.athena;

import java.io.Serializable;
import java.util.List;

/**
 * A query that reached SUCCEEDED: its id, where Athena put the result file ({@code s3://.../<id>.csv}, or null for
 * managed result storage) and its columns.
 */
record CompletedQuery(String queryExecutionId, String resultLocation, List<AthenaColumn> columns)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    CompletedQuery {
        columns = List.copyOf(columns);
    }
}
