package io.tributary.athena;

import org.apache.spark.sql.connector.read.InputPartition;

/** All rows of a query through GetQueryResults; its pages chain by NextToken, so this is one partition. */
record ApiResultsPartition(String queryExecutionId) implements InputPartition {
    private static final long serialVersionUID = 1L;
}
