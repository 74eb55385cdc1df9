package io.tributary.athena;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * One {@code spark.read.format("athena")...load()}. It outlives every action on its DataFrame, so it keeps the
 * finished query per SQL text: Spark asks for the schema before it plans the scan, and each action plans again,
 * but each statement runs on Athena once.
 */
final class AthenaTable implements SupportsRead {
    private final AthenaSourceOptions options;
    private final StructType userSchema;
    private final List<AthenaColumn> tableColumns;
    private final StructType tableSchema;
    private final Map<String, ReadPlan> plans = new ConcurrentHashMap<>();

    AthenaTable(AthenaSourceOptions options, StructType userSchema) {
        this.options = options;
        this.userSchema = userSchema;
        this.tableColumns = options.isTableMode() ? TableColumns.read(options) : null;
        this.tableSchema = tableColumns == null ? null : AthenaTypeMapper.schema(tableColumns);
    }

    AthenaSourceOptions options() {
        return options;
    }

    @Override
    public String name() {
        return options.isTableMode() ? "athena." + options.table() : "athena.query";
    }

    // Table.schema() is deprecated for columns(), whose default implementation Spark derives from it.
    @SuppressWarnings("deprecation")
    @Override
    public StructType schema() {
        if (userSchema != null) {
            return userSchema;
        }
        if (tableColumns != null) {
            return tableSchema;
        }
        return plan(options.query(), null).schema();
    }

    List<AthenaColumn> tableColumns() {
        return tableColumns;
    }

    boolean hasUserSchema() {
        return userSchema != null;
    }

    /** The finished statement and how to read it; the statement runs on the first call only. */
    ReadPlan plan(String sql, String unloadReason) {
        return plans.computeIfAbsent(sql, key -> {
            ReadPlan plan = new AthenaReadPlanner(options).plan(key, unloadReason);
            if (plan.unloadPrefix() != null && !options.keepUnloadOutput()) {
                UnloadOutputJanitor.deleteWhenUnreachable(this, options, plan.unloadPrefix());
            }
            return plan;
        });
    }

    /** The plan of {@code sql} if it has run, else null: EXPLAIN must not start a query. */
    ReadPlan existingPlan(String sql) {
        return plans.get(sql);
    }

    @Override
    public Set<TableCapability> capabilities() {
        return Set.of(TableCapability.BATCH_READ);
    }

    @Override
    public ScanBuilder newScanBuilder(CaseInsensitiveStringMap ignored) {
        // The options were parsed once when the table was made; these are the same read options.
        return new AthenaScanBuilder(this);
    }
}
