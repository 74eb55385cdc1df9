package io.tributary.athena;

/** Quoting for the SQL this source generates, so no name or value can change the statement's structure. */
final class SqlText {
    private SqlText() {}

    /** A quoted identifier: {@code "na""me"}. */
    static String identifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** A string literal: {@code 'it''s'}. Athena (Trino) gives backslashes no meaning in literals. */
    static String literal(String value) {
        return '\'' + value.replace("'", "''") + '\'';
    }
}
