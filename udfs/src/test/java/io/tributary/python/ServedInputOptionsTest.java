package io.tributary.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServedInputOptionsTest {
    private static final StructType SCHEMA = new StructType().add("a", DataTypes.LongType);

    private static PythonTransformOptions options(Map<String, String> sessionConf) {
        return PythonTransformOptions.from("pass", SCHEMA, Map.of(), sessionConf, Map.of());
    }

    @Test
    void dataServerConfsHaveDefaultsAndAreChecked() {
        assertEquals(Duration.ofMinutes(10), options(Map.of()).dataServerTimeout());
        assertEquals(Optional.empty(), options(Map.of()).dataServerHost());
        PythonTransformOptions set = options(Map.of(
                PythonTransformOptions.DATA_SERVER_TIMEOUT_CONF,
                "90s",
                PythonTransformOptions.DATA_SERVER_HOST_CONF,
                " 127.0.0.1 "));
        assertEquals(Duration.ofSeconds(90), set.dataServerTimeout());
        assertEquals(Optional.of("127.0.0.1"), set.dataServerHost());
    }

    @ParameterizedTest(name = "dataServerTimeout={0}")
    @ValueSource(strings = {"0", "soon"})
    void aBadDataServerTimeoutNamesTheConf(String bad) {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> options(Map.of(PythonTransformOptions.DATA_SERVER_TIMEOUT_CONF, bad)));
        assertEquals(
                "Conf 'spark.tributary.python.dataServerTimeout' must be a duration such as 500ms, 30s, 10m,"
                        + " 1h or 1d (a bare number is seconds), from 1ms to 365d, got '" + bad + "'",
                e.getMessage());
    }

    @Test
    void theReferencesReachTheWorkerInTheConfButNotThePlan() {
        PythonTransformOptions served = options(Map.of()).withServedInput(java.util.List.of("h:1/s/0#secret"));
        assertEquals("[\"h:1/s/0#secret\"]", served.scriptConf().get(PythonTransformOptions.SERVED_INPUT_KEY));
        assertFalse(options(Map.of()).describe().contains("servedInput"));
    }

    @Test
    void scriptsNamingDataServersOrToDatasetGetTheirInputServed() {
        assertTrue(ServedInput.wanted("refs = ray_context.data_servers()"));
        assertTrue(ServedInput.wanted("df = ray_context.to_dataset().to_dask()"));
        assertFalse(ServedInput.wanted("rows = ray_context.collect()"));
        assertFalse(ServedInput.wanted("my_data_servers_count = 1"));
    }
}
