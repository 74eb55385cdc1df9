package io.tributary.arrow;

import java.io.Serializable;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.mapreduce.Job;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.datasources.FileFormat;
import org.apache.spark.sql.execution.datasources.OutputWriterFactory;
import org.apache.spark.sql.execution.datasources.PartitionedFile;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import scala.Function1;
import scala.Option;
import scala.collection.Iterator;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The Spark file source behind {@code format("arrow")} (registered as {@link ArrowDataSource}): Arrow IPC files
 * (Feather v2), one per task, read by Polars, pyarrow and pandas without conversion (DuckDB through pyarrow).
 *
 * <p>Why a file source ({@link FileFormat}, as spark-avro is) and not a DataSourceV2 TableProvider: Spark 4.2's
 * {@code DataFrameWriter.save} supports only Append and Overwrite for a path-based V2 table, while a file source gets
 * Spark's own write path: the Hadoop commit protocol (tasks write under {@code _temporary}, the job commits by
 * rename and writes {@code _SUCCESS}, a failed job deletes its temporary files, a retried task replaces its attempt),
 * all four save modes, {@code partitionBy}, and file listing, splitting and partition discovery on read.
 */
public class ArrowFileFormat implements FileFormat, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public String toString() {
        return "Arrow";
    }

    @Override
    public Option<StructType> inferSchema(
            SparkSession spark, scala.collection.immutable.Map<String, String> options, Seq<FileStatus> files) {
        Configuration conf = spark.sessionState().newHadoopConfWithOptions(options);
        for (FileStatus file : CollectionConverters.asJava(files)) {
            if (file.isFile()) {
                return Option.apply(ArrowToSparkSchema.toSpark(ArrowSplitReader.readSchema(conf, file.getPath())));
            }
        }
        return Option.empty();
    }

    @Override
    public OutputWriterFactory prepareWrite(
            SparkSession spark,
            Job job,
            scala.collection.immutable.Map<String, String> options,
            StructType dataSchema) {
        SparkToArrowSchema.requireSupported(dataSchema);
        Map<String, String> javaOptions = CollectionConverters.asJava(options);
        ArrowWriteOptions parsed = ArrowWriteOptions.from(javaOptions, key -> sessionConf(spark, key));
        return new ArrowOutputWriterFactory(parsed);
    }

    static Optional<String> sessionConf(SparkSession spark, String key) {
        Option<String> value = spark.conf().getOption(key);
        return value.isDefined() ? Optional.of(value.get()) : Optional.empty();
    }

    /** Lets Spark reject an unsupported column, by name, while planning: before any file is written. */
    @Override
    public boolean supportDataType(DataType type) {
        return SparkToArrowSchema.isSupported(type);
    }

    @Override
    public boolean isSplitable(
            SparkSession spark,
            scala.collection.immutable.Map<String, String> options,
            org.apache.hadoop.fs.Path path) {
        // Splits are cut at record-batch boundaries from the file footer: see ArrowSplitReader.
        return true;
    }

    @Override
    public boolean supportBatch(SparkSession spark, StructType schema) {
        return true;
    }

    @Override
    public Function1<PartitionedFile, Iterator<InternalRow>> buildReaderWithPartitionValues(
            SparkSession spark,
            StructType dataSchema,
            StructType partitionSchema,
            StructType requiredSchema,
            Seq<Filter> filters,
            scala.collection.immutable.Map<String, String> options,
            Configuration hadoopConf) {
        return new ArrowReadFunction(new SerializableConfiguration(hadoopConf), requiredSchema, partitionSchema);
    }

    @Override
    public boolean equals(Object other) {
        return other != null && other.getClass() == getClass();
    }

    @Override
    public int hashCode() {
        return getClass().hashCode();
    }
}
