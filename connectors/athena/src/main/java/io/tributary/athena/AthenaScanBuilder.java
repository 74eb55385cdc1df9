package io.tributary.athena;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.SupportsPushDownFilters;
import org.apache.spark.sql.connector.read.SupportsPushDownLimit;
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Pushdown for table mode: pruned columns, filters Athena can evaluate exactly, and LIMIT, all written into the
 * generated SELECT. A user's own query is run as written, so nothing is pushed into it.
 */
final class AthenaScanBuilder
        implements ScanBuilder, SupportsPushDownRequiredColumns, SupportsPushDownFilters, SupportsPushDownLimit {
    /** Types UNLOAD writes to Parquet as the text modes read them; others keep auto on csv. */
    private static final Set<String> UNLOAD_SAFE_TYPES = Set.of(
            "boolean",
            "tinyint",
            "smallint",
            "integer",
            "int",
            "bigint",
            "float",
            "real",
            "double",
            "decimal",
            "char",
            "varchar",
            "string",
            "date",
            "timestamp",
            "varbinary",
            "binary");

    private final AthenaTable table;
    private StructType requiredSchema;
    private final List<Filter> pushed = new ArrayList<>();
    private final List<String> predicates = new ArrayList<>();
    private Integer limit;

    AthenaScanBuilder(AthenaTable table) {
        this.table = table;
        this.requiredSchema = table.schema();
    }

    private boolean pushesDown() {
        return table.options().isTableMode();
    }

    @Override
    public void pruneColumns(StructType required) {
        if (pushesDown()) {
            // A count(*) asks for no column; Athena needs one to count rows, Spark drops it again.
            requiredSchema = required.isEmpty()
                    ? new StructType(new StructField[] {table.schema().fields()[0]})
                    : required;
        }
    }

    @Override
    public Filter[] pushFilters(Filter[] filters) {
        if (!pushesDown()) {
            return filters;
        }
        List<Filter> rest = new ArrayList<>();
        for (Filter filter : filters) {
            Optional<String> sql = FilterSql.toSql(filter);
            if (sql.isPresent()) {
                pushed.add(filter);
                predicates.add(sql.get());
            } else {
                rest.add(filter);
            }
        }
        return rest.toArray(new Filter[0]);
    }

    @Override
    public Filter[] pushedFilters() {
        return pushed.toArray(new Filter[0]);
    }

    @Override
    public boolean pushLimit(int limit) {
        if (!pushesDown()) {
            return false;
        }
        this.limit = limit;
        return true;
    }

    @Override
    public Scan build() {
        if (!pushesDown()) {
            return new AthenaScan(table, table.options().query(), table.schema(), null);
        }
        AthenaSourceOptions options = table.options();
        List<String> columns = new ArrayList<>();
        boolean unloadSafe = true;
        for (StructField field : requiredSchema.fields()) {
            columns.add(field.name());
            unloadSafe &= table.tableColumns().stream()
                    .filter(c -> c.name().equalsIgnoreCase(field.name()))
                    .allMatch(c -> UNLOAD_SAFE_TYPES.contains(AthenaTypeMapper.baseName(c.type())));
        }
        String sql = new TableQuery(options.tableDatabase(), options.tableName(), columns, predicates, limit).sql();
        String unloadReason = unloadSafe && !table.hasUserSchema()
                ? "table mode with only column types UNLOAD writes to Parquet"
                : null;
        return new AthenaScan(table, sql, requiredSchema, unloadReason);
    }
}
