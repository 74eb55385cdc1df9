package io.tributary.athena;

import java.io.Serializable;
import java.util.List;

/** A query that reached SUCCEEDED: its id, where Athena put the result file (if anywhere) and its columns. */
final class CompletedQuery implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String queryExecutionId;
  private final String resultLocation;
  private final List<AthenaColumn> columns;

  CompletedQuery(String queryExecutionId, String resultLocation, List<AthenaColumn> columns) {
    this.queryExecutionId = queryExecutionId;
    this.resultLocation = resultLocation;
    this.columns = List.copyOf(columns);
  }

  String queryExecutionId() {
    return queryExecutionId;
  }

  /** The {@code s3://.../<id>.csv} result file, or null for managed result storage. */
  String resultLocation() {
    return resultLocation;
  }

  List<AthenaColumn> columns() {
    return columns;
  }
}
