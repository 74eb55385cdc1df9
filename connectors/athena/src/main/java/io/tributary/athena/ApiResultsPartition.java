package io.tributary.athena;

import org.apache.spark.sql.connector.read.InputPartition;

/** All rows of a query through GetQueryResults; its pages chain by NextToken, so this is one partition. */
final class ApiResultsPartition implements InputPartition {
  private static final long serialVersionUID = 1L;

  private final String queryExecutionId;

  ApiResultsPartition(String queryExecutionId) {
    this.queryExecutionId = queryExecutionId;
  }

  String queryExecutionId() {
    return queryExecutionId;
  }
}
