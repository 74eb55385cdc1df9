package io.tributary.testing.athena;

import java.util.List;

/** One query execution the emulator knows, with Athena's states and the rows it keeps for GetQueryResults. */
final class EmulatedQuery {
    final String id;
    final String sql;
    final String database;
    final String workgroup;
    final String outputLocation;
    final double submitted = System.currentTimeMillis() / 1000.0;
    volatile String state = "QUEUED";
    volatile String stateChangeReason;
    volatile Integer errorCategory;
    volatile double completed;
    volatile String resultLocation;
    volatile String statementType = "DML";
    /** Athena ColumnInfo entries: name, Athena type, precision, scale. */
    volatile List<Column> columns = List.of();

    volatile List<String[]> rows = List.of();

    EmulatedQuery(String id, String sql, String database, String workgroup, String outputLocation) {
        this.id = id;
        this.sql = sql;
        this.database = database;
        this.workgroup = workgroup;
        this.outputLocation = outputLocation;
    }

    boolean isDone() {
        return "SUCCEEDED".equals(state) || "FAILED".equals(state) || "CANCELLED".equals(state);
    }

    synchronized boolean finish(String newState, String reason, Integer category) {
        if (isDone()) {
            return false; // a stop that raced with completion keeps the first outcome, as Athena does
        }
        stateChangeReason = reason;
        errorCategory = category;
        completed = System.currentTimeMillis() / 1000.0;
        state = newState;
        return true;
    }

    static final class Column {
        final String name;
        final String type;
        final int precision;
        final int scale;

        Column(String name, String type, int precision, int scale) {
            this.name = name;
            this.type = type;
            this.precision = precision;
            this.scale = scale;
        }
    }
}
