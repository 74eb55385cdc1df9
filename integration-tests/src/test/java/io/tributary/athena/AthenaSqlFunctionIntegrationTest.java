package io.tributary.athena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.testing.athena.AthenaEmulator;
import io.tributary.testing.athena.S3Server;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** {@code athena_query(query, options)}, registered by the plugin jar with no configuration. */
class AthenaSqlFunctionIntegrationTest {
    private static final String QUERY = "SELECT id, s FROM types ORDER BY id";

    /** The emulator's read options as a SQL map literal, without the credentials the function refuses. */
    private static String optionsMap(AthenaEmulator athena) throws Exception {
        List<String> entries = new ArrayList<>();
        for (Map.Entry<String, String> option : SharedAthena.options(athena).entrySet()) {
            if (!option.getKey().equals("accessKeyId") && !option.getKey().equals("secretAccessKey")) {
                entries.add("'" + option.getKey() + "', '" + option.getValue() + "'");
            }
        }
        return "map(" + String.join(", ", entries) + ")";
    }

    @Test
    void athenaQueryReadsLikeTheDataFrameApiWithCredentialsFromTheSession() throws Exception {
        AthenaEmulator athena = SharedAthena.athena();
        SparkSession spark = SharedAthena.spark();
        assertTrue(spark.sessionState()
                .catalog()
                .lookupBuiltinOrTempTableFunction("athena_query")
                .isDefined());
        spark.conf().set("spark.tributary.athena.accessKeyId", S3Server.ACCESS_KEY);
        spark.conf().set("spark.tributary.athena.secretAccessKey", S3Server.SECRET_KEY);
        try {
            List<Row> sql = spark.sql("SELECT * FROM athena_query('" + QUERY + "', " + optionsMap(athena) + ")")
                    .collectAsList();
            List<Row> api =
                    SharedAthena.read(athena).option("query", QUERY).load().collectAsList();
            assertEquals(4, sql.size());
            assertEquals(api, sql);
            assertEquals("plain", sql.get(0).getString(1));
        } finally {
            spark.conf().unset("spark.tributary.athena.accessKeyId");
            spark.conf().unset("spark.tributary.athena.secretAccessKey");
        }
    }

    @Test
    void credentialsInTheSqlTextAreRefusedWithoutEchoingThem() throws Exception {
        Exception error = assertThrows(
                Exception.class,
                () -> SharedAthena.spark()
                        .sql("SELECT * FROM athena_query('SELECT 1', map('secretAccessKey', 'do-not-print-me'))")
                        .collect());
        assertTrue(
                error.getMessage().contains("athena_query does not take 'secretAccessKey' in its options"),
                error.getMessage());
        assertFalse(error.getMessage().contains("do-not-print-me"), error.getMessage());
    }

    @Test
    void badArgumentsNameTheParameter() {
        Exception error = assertThrows(
                Exception.class,
                () -> SharedAthena.spark()
                        .sql("SELECT * FROM athena_query('SELECT 1', 'database=db')")
                        .collect());
        assertTrue(
                error.getMessage().contains("athena_query argument 'options' must be a map of strings to strings"),
                error.getMessage());
    }
}
