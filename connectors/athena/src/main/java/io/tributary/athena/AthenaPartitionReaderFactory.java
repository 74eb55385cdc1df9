package io.tributary.athena;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;

/** Opens the reader for each kind of partition on the executors, with clients built from the options. */
final class AthenaPartitionReaderFactory implements PartitionReaderFactory {
    private static final long serialVersionUID = 1L;

    private final AthenaSourceOptions options;
    private final TextRowDecoder textDecoder;

    AthenaPartitionReaderFactory(AthenaSourceOptions options, TextRowDecoder textDecoder) {
        this.options = options;
        this.textDecoder = textDecoder;
    }

    @Override
    public PartitionReader<InternalRow> createReader(InputPartition partition) {
        if (partition instanceof ApiResultsPartition) {
            return new ApiResultsPartitionReader(
                    AthenaClientFactory.athena(options),
                    new AthenaCallRetrier(options.maxRetries()),
                    ((ApiResultsPartition) partition).queryExecutionId(),
                    textDecoder);
        }
        if (partition instanceof CsvSplit) {
            return new CsvPartitionReader(AthenaClientFactory.s3(options), (CsvSplit) partition, textDecoder);
        }
        try {
            return new ParquetPartitionReader(AthenaClientFactory.s3(options), (ParquetFilePartition) partition);
        } catch (IOException e) {
            throw new UncheckedIOException("Opening " + partition, e);
        }
    }
}
