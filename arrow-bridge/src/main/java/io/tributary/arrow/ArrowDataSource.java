package io.tributary.arrow;

import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.execution.datasources.DataSourceUtils;
import org.apache.spark.sql.sources.BaseRelation;
import org.apache.spark.sql.sources.CreatableRelationProvider;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * {@code format("arrow")}. Reads are those of {@link ArrowFileFormat}. Writes check every column's type first and
 * then run {@link ArrowFileFormat}'s file-source write with the same mode and options.
 *
 * <p>Why the extra step: for a plain file source, Spark's {@code mode("overwrite")} deletes the existing directory
 * before it checks the column types or the options, so a bad column or option would destroy the old data and write
 * nothing.
 * As a {@link CreatableRelationProvider}, this class sees the write before anything happens on disk.
 *
 * <pre>{@code
 * df.write().format("arrow").mode("overwrite").save("/data/out");     // Polars: pl.read_ipc(f, memory_map=True)
 * Dataset<Row> back = spark.read().format("arrow").load("/data/out");
 * }</pre>
 */
public final class ArrowDataSource extends ArrowFileFormat implements DataSourceRegister, CreatableRelationProvider {
    private static final long serialVersionUID = 1L;

    public static final String SHORT_NAME = "arrow";

    @Override
    public String shortName() {
        return SHORT_NAME;
    }

    @Override
    public boolean supportsDataType(org.apache.spark.sql.types.DataType type) {
        return SparkToArrowSchema.isSupported(type);
    }

    @Override
    public BaseRelation createRelation(
            SQLContext sqlContext,
            SaveMode mode,
            scala.collection.immutable.Map<String, String> parameters,
            Dataset<Row> data) {
        SparkToArrowSchema.requireSupported(data.schema());
        Map<String, String> options = new HashMap<>(CollectionConverters.asJava(parameters));
        // Bad option values fail here too, before overwrite mode deletes anything.
        ArrowWriteOptions.from(options, key -> sessionConf(data.sparkSession(), key));
        // DataFrameWriter hands partitionBy columns to a relation provider as this encoded option.
        String partitionColumns = options.remove(DataSourceUtils.PARTITIONING_COLUMNS_KEY());
        DataFrameWriter<Row> writer =
                data.write().format(ArrowFileFormat.class.getName()).mode(mode).options(options);
        if (partitionColumns != null) {
            writer = writer.partitionBy(
                    CollectionConverters.asJava(DataSourceUtils.decodePartitioningColumns(partitionColumns))
                            .toArray(new String[0]));
        }
        writer.save();
        StructType schema = data.schema();
        return new BaseRelation() {
            @Override
            public SQLContext sqlContext() {
                return sqlContext;
            }

            @Override
            public StructType schema() {
                return schema;
            }
        };
    }
}
