package io.tributary.athena;

import java.io.Serializable;
import java.util.List;
import java.util.stream.Collectors;

/** The SELECT that table mode sends: pruned columns, pushed filters and LIMIT, every name and value quoted. */
final class TableQuery implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String database;
    private final String table;
    private final List<String> columns;
    private final List<String> predicates;
    private final Integer limit;

    TableQuery(String database, String table, List<String> columns, List<String> predicates, Integer limit) {
        this.database = database;
        this.table = table;
        this.columns = List.copyOf(columns);
        this.predicates = List.copyOf(predicates);
        this.limit = limit;
    }

    String sql() {
        StringBuilder sql = new StringBuilder("SELECT ")
                .append(columns.stream().map(SqlText::identifier).collect(Collectors.joining(", ")))
                .append(" FROM ")
                .append(SqlText.identifier(database))
                .append('.')
                .append(SqlText.identifier(table));
        if (!predicates.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", predicates));
        }
        if (limit != null) {
            sql.append(" LIMIT ").append(limit);
        }
        return sql.toString();
    }
}
