package io.tributary.athena;

import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.types.StructType;

/** One statement's rows as a batch scan; the statement runs (once per table) when partitions are planned. */
final class AthenaScan implements Scan, Batch {
    private final AthenaTable table;
    private final String sql;
    private final StructType readSchema;
    private final String unloadReason;

    AthenaScan(AthenaTable table, String sql, StructType readSchema, String unloadReason) {
        this.table = table;
        this.sql = sql;
        this.readSchema = readSchema;
        this.unloadReason = unloadReason;
    }

    @Override
    public StructType readSchema() {
        return readSchema;
    }

    @Override
    public String description() {
        ReadPlan plan = table.existingPlan(sql);
        return "Athena "
                + (plan == null
                        ? "fetchMode=" + table.options().fetchMode().optionValue()
                                + " (the statement runs when the scan is planned)"
                        : plan.describe())
                + ", SQL: " + sql;
    }

    @Override
    public Batch toBatch() {
        return this;
    }

    private ReadPlan plan() {
        return table.plan(sql, unloadReason);
    }

    @Override
    public InputPartition[] planInputPartitions() {
        return plan().partitions().toArray(new InputPartition[0]);
    }

    /** Parquet rows carry the files' own types; a declared schema (user's, or the catalog's) must agree with them. */
    private void requireParquetTypes(ReadPlan plan) {
        StructType files = plan.schema();
        boolean same = files.size() == readSchema.size() || files.isEmpty();
        for (int i = 0; same && i < files.size(); i++) {
            // catalogString leaves nullability out, which Parquet and a declared schema may state differently.
            same = files.fields()[i]
                    .dataType()
                    .catalogString()
                    .equals(readSchema.fields()[i].dataType().catalogString());
        }
        if (!same) {
            throw new IllegalArgumentException("The schema " + readSchema.simpleString() + " does not match the Parquet"
                    + " files UNLOAD wrote (" + files.simpleString() + "); drop the schema or use fetchMode=csv");
        }
    }

    @Override
    public PartitionReaderFactory createReaderFactory() {
        ReadPlan plan = plan();
        if (plan.mode() == FetchMode.UNLOAD) {
            requireParquetTypes(plan);
        }
        TextRowDecoder decoder = plan.mode() == FetchMode.UNLOAD
                ? null
                : new TextRowDecoder(
                        plan.query().queryExecutionId(),
                        readSchema,
                        plan.query().columns());
        return new AthenaPartitionReaderFactory(table.options(), decoder);
    }
}
