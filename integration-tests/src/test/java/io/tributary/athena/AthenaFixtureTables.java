package io.tributary.athena;

import io.tributary.testing.athena.AthenaEmulator;
import java.sql.SQLException;

/** The tables the Athena tests read, created in the emulator's DuckDB. */
final class AthenaFixtureTables {
    private AthenaFixtureTables() {}

    static void create(AthenaEmulator athena) throws SQLException {
        athena.sql("CREATE SCHEMA db");
        // Every Athena type, with NULL, "", quotes, commas and newlines.
        athena.sql("CREATE TABLE db.types (id INTEGER, b BOOLEAN, ti TINYINT, si SMALLINT, bi BIGINT, r REAL,"
                + " d DOUBLE, dec DECIMAL(12,3), s VARCHAR, dt DATE, ts TIMESTAMP, tz TIMESTAMPTZ, bin BLOB, j JSON,"
                + " arr INTEGER[], m MAP(VARCHAR, INTEGER), st STRUCT(x INTEGER, y VARCHAR))");
        athena.sql("INSERT INTO db.types VALUES"
                + " (1, true, -8, 300, 9007199254740993, 1.5, -2.25, 12345.678, 'plain', DATE '2023-01-01',"
                + "  TIMESTAMP '2023-01-01 12:34:56.789', TIMESTAMPTZ '2023-06-01 10:00:00.5+02', '\\x61\\x62\\x00'::BLOB,"
                + "  '{\"k\": [1, 2]}', [1, 2, NULL], MAP {'a': 1, 'b': 2}, {'x': 7, 'y': 'seven'}),"
                + " (2, false, 0, 0, 0, 0, 0, 0, '', DATE '1970-01-01', TIMESTAMP '1970-01-01 00:00:00', NULL, ''::BLOB,"
                + "  'null', [], MAP {}, {'x': NULL, 'y': ''}),"
                + " (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
                + " (4, true, 127, -32768, -9223372036854775808, -0.5, 1e300, -0.001,"
                + "  'she said \"hi\", then\nleft,\r\n\"\"', DATE '9999-12-31', TIMESTAMP '2024-02-29 23:59:59.999',"
                + "  TIMESTAMPTZ '2024-02-29 23:59:59.999+00', '\\x22\\x2C\\x0A'::BLOB, '\"\"', [NULL], MAP {'q\"': NULL},"
                + "  {'x': -1, 'y': 'a,b'})");
        // Pushdown: awkward names and values.
        athena.sql("CREATE TABLE db.people (id INTEGER, name VARCHAR, \"odd \"\"col\" VARCHAR, born DATE, score DOUBLE,"
                + " seen TIMESTAMP, amount DECIMAL(10,2))");
        athena.sql("INSERT INTO db.people VALUES"
                + " (1, 'O''Brien', 'x', DATE '1980-05-01', 1.5, TIMESTAMP '2023-01-01 00:00:00', 10.50),"
                + " (2, 'Smith', 'y', DATE '1990-01-01', 2.5, TIMESTAMP '2023-01-02 00:00:00', 20.00),"
                + " (3, '50% off', NULL, DATE '2000-12-31', NULL, TIMESTAMP '2023-01-03 00:00:00', 30.25),"
                + " (4, 'x'' OR ''1''=''1', 'z', NULL, 4.5, NULL, NULL)");
    }
}
