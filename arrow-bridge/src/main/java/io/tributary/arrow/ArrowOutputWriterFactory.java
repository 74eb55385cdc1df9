package io.tributary.arrow;

import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.spark.sql.execution.datasources.OutputWriter;
import org.apache.spark.sql.execution.datasources.OutputWriterFactory;
import org.apache.spark.sql.types.StructType;

/** Serialized to the executors; makes one {@link ArrowIpcPartitionWriter} per output file. */
final class ArrowOutputWriterFactory extends OutputWriterFactory {
    private static final long serialVersionUID = 1L;

    private final ArrowWriteOptions options;

    ArrowOutputWriterFactory(ArrowWriteOptions options) {
        this.options = options;
    }

    @Override
    public String getFileExtension(TaskAttemptContext context) {
        return options.compression().fileSuffix() + ".arrow";
    }

    @Override
    public OutputWriter newInstance(String path, StructType dataSchema, TaskAttemptContext context) {
        return new ArrowIpcPartitionWriter(path, dataSchema, context.getConfiguration(), options);
    }
}
