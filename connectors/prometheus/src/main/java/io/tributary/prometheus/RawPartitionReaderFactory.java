package io.tributary.prometheus;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;

/** Ships the raw read plan to the executors and opens one reader per partition. */
final class RawPartitionReaderFactory implements PartitionReaderFactory {
    private static final long serialVersionUID = 1L;
    private final RawReadPlan plan;

    RawPartitionReaderFactory(RawReadPlan plan) {
        this.plan = plan;
    }

    @Override
    public PartitionReader<InternalRow> createReader(InputPartition partition) {
        return new RawPartitionReader(plan, (RawPartition) partition);
    }
}
