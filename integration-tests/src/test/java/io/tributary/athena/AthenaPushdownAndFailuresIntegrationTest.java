package io.tributary.athena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.testing.Await;
import io.tributary.testing.athena.AthenaEmulator;
import io.tributary.testing.athena.S3Server;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Table-mode pushdown SQL, parameters, option errors, and every failure path against the emulator. */
class AthenaPushdownAndFailuresIntegrationTest {

    private static String lastStatement(AthenaEmulator athena) {
        List<String> statements = athena.statements();
        return statements.get(statements.size() - 1);
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    @Test
    void tableModePushesPruningFiltersAndLimitWithEverythingQuoted() throws Exception {
        AthenaEmulator athena = SharedAthena.athena();
        Dataset<Row> frame = SharedAthena.read(athena)
                .option("table", "db.people")
                .option("fetchMode", "csv")
                .load()
                .filter("name = 'O''Brien' OR startswith(name, '50% o') OR `odd \"col` = 'x'' OR ''1''=''1'")
                .filter("born >= DATE '1980-01-01'")
                .select("id", "name", "odd \"col");
        List<Row> rows = frame.collectAsList();
        assertEquals(2, rows.size());
        assertEquals("O'Brien", rows.get(0).getString(1));
        assertEquals("50% off", rows.get(1).getString(1));
        assertEquals(
                "SELECT \"id\", \"name\", \"odd \"\"col\" FROM \"db\".\"people\" WHERE \"born\" IS NOT NULL"
                        + " AND ((\"name\" = 'O''Brien' OR \"name\" LIKE '50\\% o%' ESCAPE '\\') OR \"odd \"\"col\" ="
                        + " 'x'' OR ''1''=''1') AND \"born\" >= DATE '1980-01-01'",
                lastStatement(athena));
        String plan = frame.queryExecution().executedPlan().toString();
        assertTrue(plan.contains("SQL: SELECT \"id\", \"name\""), plan);

        Dataset<Row> limited = SharedAthena.read(athena)
                .option("table", "db.people")
                .option("fetchMode", "api")
                .load()
                .filter("amount > 15")
                .select("amount")
                .limit(1);
        assertEquals(1, limited.collectAsList().size());
        assertEquals(
                "SELECT \"amount\" FROM \"db\".\"people\" WHERE \"amount\" IS NOT NULL AND \"amount\" >"
                        + " DECIMAL '15.00' LIMIT 1",
                lastStatement(athena));
    }

    @Test
    void executionParametersFillTheQuestionMarks() throws Exception {
        List<Row> rows = SharedAthena.read(SharedAthena.athena())
                .option("query", "SELECT name FROM people WHERE id = ? OR name = ? ORDER BY id")
                .option("executionParameters", "[\"2\", \"'O''Brien'\"]")
                .load()
                .collectAsList();
        assertEquals(2, rows.size());
        assertEquals("O'Brien", rows.get(0).getString(0));
        assertEquals("Smith", rows.get(1).getString(0));
    }

    @Test
    void failedQueryCarriesIdReasonAndCategory() throws Exception {
        AthenaEmulator athena = SharedAthena.athena();
        athena.failNextQuery("HIVE_BAD_DATA: Error parsing field value", 2);
        Exception e = assertThrows(
                Exception.class,
                () -> SharedAthena.read(athena).option("query", "SELECT 1").load());
        String message = rootCause(e).getMessage();
        assertTrue(
                message.matches("Athena query [0-9a-f-]{36} FAILED: HIVE_BAD_DATA: Error parsing field value"
                        + " \\(error category 2 USER\\)"),
                message);

        athena.cancelNextQuery("Query cancelled by an administrator");
        Exception cancelled = assertThrows(
                Exception.class,
                () -> SharedAthena.read(athena).option("query", "SELECT 1").load());
        assertTrue(
                rootCause(cancelled)
                        .getMessage()
                        .matches("Athena query [0-9a-f-]{36} CANCELLED: Query cancelled by an administrator"),
                rootCause(cancelled).getMessage());

        Exception syntax = assertThrows(
                Exception.class,
                () -> SharedAthena.read(athena)
                        .option("query", "SELEC nonsense")
                        .load());
        assertTrue(
                rootCause(syntax).getMessage().contains("FAILED: SYNTAX_ERROR: "),
                rootCause(syntax).getMessage());
    }

    @Test
    void unloadOfATypeParquetCannotHoldFailsWithAthenasError() throws Exception {
        Exception e = assertThrows(
                Exception.class,
                () -> SharedAthena.read(SharedAthena.athena())
                        .option("fetchMode", "unload")
                        .option("query", "SELECT j FROM types")
                        .load());
        assertTrue(
                rootCause(e)
                        .getMessage()
                        .endsWith(
                                "FAILED: NOT_SUPPORTED: Unsupported Hive type: json (column j) (error category 2 USER)"),
                rootCause(e).getMessage());
    }

    @Test
    void aMisspeltOptionFailsBeforeAnyQueryNamingTheOptionMeant() throws Exception {
        AthenaEmulator athena = SharedAthena.athena();
        int before = athena.calls("StartQueryExecution");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> SharedAthena.read(athena)
                        .option("query", "SELECT 1")
                        .option("fetchMod", "csv")
                        .load());
        assertEquals(
                "Unknown option 'fetchMod': did you mean 'fetchMode'? The options of format(\"athena\") are listed"
                        + " in README.md under \"Athena\"",
                e.getMessage());
        assertEquals(before, athena.calls("StartQueryExecution"));
    }

    @Test
    void throttlingIsRetriedWithBackoffUpToMaxRetries() throws Exception {
        AthenaEmulator athena = SharedAthena.athena();
        int before = athena.calls("StartQueryExecution");
        athena.throttle("StartQueryExecution", 3);
        List<Row> rows = SharedAthena.read(athena)
                .option("query", "SELECT 7 AS seven")
                .load()
                .collectAsList();
        assertEquals(7, rows.get(0).getInt(0));
        assertEquals(4, athena.calls("StartQueryExecution") - before);

        athena.throttle("GetQueryExecution", 5);
        Exception e = assertThrows(
                Exception.class,
                () -> SharedAthena.read(athena)
                        .option("maxRetries", "2")
                        .option("query", "SELECT 7")
                        .load());
        assertEquals(
                "Athena GetQueryExecution was still throttled after 2 retries (option 'maxRetries'): Rate exceeded."
                        + " Lower the number of concurrent queries or raise maxRetries.",
                findMessage(e, "still throttled"));
        athena.throttle("GetQueryExecution", 0);
    }

    private static String findMessage(Throwable e, String part) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(part)) {
                return t.getMessage();
            }
        }
        return "no message containing '" + part + "' in " + e;
    }

    @Test
    void queryTimeoutStopsTheQuery() throws Exception {
        AthenaEmulator athena = SharedAthena.athena();
        athena.delayQueries(Duration.ofSeconds(30));
        try {
            Exception e = assertThrows(
                    Exception.class,
                    () -> SharedAthena.read(athena)
                            .option("queryTimeout", "300ms")
                            .option("query", "SELECT 1")
                            .load());
            String message = findMessage(e, "queryTimeout");
            assertTrue(
                    message.matches("Athena query [0-9a-f-]{36} stopped: still RUNNING after queryTimeout=PT0.3S\\."
                            + " Raise the option 'queryTimeout'"),
                    message);
            String id = message.substring("Athena query ".length(), "Athena query ".length() + 36);
            assertEquals("CANCELLED", athena.awaitDone(id));
        } finally {
            athena.delayQueries(Duration.ZERO);
        }
    }

    @Test
    void interruptingTheWaitingThreadStopsTheQuery() throws Exception {
        AthenaEmulator athena = SharedAthena.athena();
        athena.delayQueries(Duration.ofSeconds(30));
        try {
            int stops = athena.calls("StopQueryExecution");
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try {
                    SharedAthena.read(athena).option("query", "SELECT 1").load();
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            int started = athena.calls("GetQueryExecution");
            reader.start();
            Await.until(
                    "the reader to poll the running query",
                    Duration.ofSeconds(60),
                    () -> athena.calls("GetQueryExecution") > started);
            reader.interrupt();
            reader.join();
            String message = findMessage(failure.get(), "interrupted");
            assertTrue(
                    message.matches("Athena query [0-9a-f-]{36} stopped: the waiting thread was interrupted"
                            + " \\(job cancelled\\)"),
                    message);
            assertEquals(stops + 1, athena.calls("StopQueryExecution"));
            assertEquals("CANCELLED", athena.awaitDone(message.substring(13, 49)));
        } finally {
            athena.delayQueries(Duration.ZERO);
        }
    }

    @Test
    void badOptionsNameTheOption() throws Exception {
        IllegalArgumentException neither = assertThrows(
                IllegalArgumentException.class,
                () -> SharedAthena.read(SharedAthena.athena()).load());
        assertEquals(
                "Give exactly one of the options 'query' (a SQL statement) and 'table' (a table name such as db.tbl);"
                        + " got neither",
                neither.getMessage());
        IllegalArgumentException mode = assertThrows(
                IllegalArgumentException.class,
                () -> SharedAthena.read(SharedAthena.athena())
                        .option("query", "SELECT 1")
                        .option("fetchMode", "fast")
                        .load());
        assertEquals("Option 'fetchMode' must be one of auto, api, csv, unload, got 'fast'", mode.getMessage());
    }

    @Test
    void secretsNeverAppearInPlansOrErrors() throws Exception {
        AthenaEmulator athena = SharedAthena.athena();
        Dataset<Row> frame = SharedAthena.read(athena)
                .option("sessionToken", "token-that-is-secret")
                .option("fetchMode", "api")
                .option("query", "SELECT 1 AS one")
                .load();
        frame.collectAsList();
        String explained = frame.queryExecution().toString()
                + frame.queryExecution().executedPlan().toString();
        assertFalse(explained.contains(S3Server.SECRET_KEY), explained);
        assertFalse(explained.contains("token-that-is-secret"), explained);
        athena.failNextQuery("boom", 1);
        Exception e = assertThrows(
                Exception.class,
                () -> SharedAthena.read(athena).option("query", "SELECT 1").load());
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(S3Server.SECRET_KEY));
        }
    }
}
