package io.tributary.prometheus;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;

/** Ships the read plan to the executors and opens one reader per slice. */
final class PrometheusPartitionReaderFactory implements PartitionReaderFactory {
  private static final long serialVersionUID = 1L;
  private final PrometheusReadPlan plan;

  PrometheusPartitionReaderFactory(PrometheusReadPlan plan) {
    this.plan = plan;
  }

  @Override
  public PartitionReader<InternalRow> createReader(InputPartition partition) {
    return new PrometheusPartitionReader(plan, ((PrometheusInputPartition) partition).slice());
  }
}
