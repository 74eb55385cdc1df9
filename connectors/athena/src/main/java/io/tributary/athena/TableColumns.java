package io.tributary.athena;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.Column;
import software.amazon.awssdk.services.athena.model.TableMetadata;

/** The columns of a catalog table (GetTableMetadata), partition keys last, as Athena's SELECT * returns them. */
final class TableColumns {
    private static final Pattern DECIMAL = Pattern.compile("decimal\\s*\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)");

    private TableColumns() {}

    static List<AthenaColumn> read(AthenaSourceOptions options) {
        try (AthenaClient athena = AthenaClientFactory.athena(options)) {
            TableMetadata metadata = new AthenaCallRetrier(options.maxRetries())
                    .call(
                            "GetTableMetadata",
                            () -> athena.getTableMetadata(r -> r.catalogName(options.catalog())
                                    .databaseName(options.tableDatabase())
                                    .tableName(options.tableName())))
                    .tableMetadata();
            List<AthenaColumn> columns = new ArrayList<>();
            for (Column column : metadata.columns()) {
                columns.add(column(column));
            }
            for (Column column : metadata.partitionKeys()) {
                columns.add(column(column));
            }
            return columns;
        }
    }

    /** Catalog types read like "decimal(10,2)", "varchar(20)", "array<int>". */
    static AthenaColumn column(Column column) {
        String type = column.type().trim();
        Matcher decimal = DECIMAL.matcher(type.toLowerCase(Locale.ROOT));
        if (decimal.matches()) {
            return new AthenaColumn(
                    column.name(), "decimal", Integer.parseInt(decimal.group(1)), Integer.parseInt(decimal.group(2)));
        }
        int bracket = type.indexOf('<');
        return new AthenaColumn(column.name(), bracket < 0 ? type : type.substring(0, bracket), 0, 0);
    }
}
