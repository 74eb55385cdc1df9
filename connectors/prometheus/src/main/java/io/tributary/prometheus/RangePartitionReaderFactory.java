package io.tributary.prometheus;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;

/** Ships the read plan to the executors and opens one reader per slice. */
final class RangePartitionReaderFactory implements PartitionReaderFactory {
    private static final long serialVersionUID = 1L;
    private final RangeReadPlan plan;

    RangePartitionReaderFactory(RangeReadPlan plan) {
        this.plan = plan;
    }

    @Override
    public PartitionReader<InternalRow> createReader(InputPartition partition) {
        return new RangePartitionReader(plan, ((RangePartition) partition).slice());
    }
}
