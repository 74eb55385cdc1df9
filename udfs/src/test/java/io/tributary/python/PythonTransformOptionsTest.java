package io.tributary.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PythonTransformOptionsTest {
    static final StructType SCHEMA = new StructType().add("a", DataTypes.LongType);

    static PythonTransformOptions parse(Map<String, String> options, Map<String, String> session) {
        return PythonTransformOptions.from("pass", SCHEMA, options, session, Map.of());
    }

    @Test
    void defaults() {
        PythonTransformOptions o = parse(Map.of(), Map.of());
        assertEquals(DataMode.MODEL, o.dataMode());
        assertEquals(RunIn.EXECUTOR, o.runIn());
        assertEquals(Duration.ZERO, o.timeout());
        assertEquals(10_000, o.maxRecordsPerBatch());
        assertEquals(4, o.maxIdleWorkers());
        assertEquals(new PythonEnvironment("python3", null), o.environment());
        assertEquals(Map.of(), o.scriptConf());
    }

    @Test
    void byzerAnnotationValuesAndSessionConfs() {
        PythonTransformOptions o = PythonTransformOptions.from(
                "pass",
                SCHEMA,
                Map.of("DATAMODE", "data", "timeout", "90", "env", ":", "runin", "Driver"),
                Map.of(
                        "spark.tributary.python.executable",
                        "/usr/bin/python3",
                        "spark.tributary.python.maxRecordsPerBatch",
                        "500",
                        "spark.tributary.python.conf.region",
                        "eu-west-1",
                        "spark.tributary.python.conf.query",
                        "old"),
                Map.of("query", "SELECT 1"));
        assertEquals(DataMode.DATA, o.dataMode());
        assertEquals(RunIn.DRIVER, o.runIn());
        assertEquals(Duration.ofSeconds(90), o.timeout());
        assertEquals(500, o.maxRecordsPerBatch());
        assertEquals("/usr/bin/python3", o.executable());
        assertEquals(Map.of("region", "eu-west-1", "query", "SELECT 1"), o.scriptConf());
        assertEquals(
                Duration.ofMillis(1500),
                parse(Map.of("timeout", "1500ms"), Map.of()).timeout());
        assertEquals(
                Duration.ofMinutes(5), parse(Map.of("timeout", "5m"), Map.of()).timeout());
    }

    @Test
    void describeNamesTheSettingsButNeitherTheScriptNorConfValues() {
        String code = "token = 'hunter2-secret'\ncontext.build_result([])";
        PythonTransformOptions o = PythonTransformOptions.from(
                code,
                SCHEMA,
                Map.of("dataMode", "data", "timeout", "90s"),
                Map.of("spark.tributary.python.executable", "/usr/bin/python3"),
                Map.of("apiToken", "t0ps3cr3t"));
        assertEquals(
                "PythonTransform(dataMode=data, runIn=executor, schema=struct<a:bigint>, script=sha256:"
                        + "5244635a2939 (2 lines), python=/usr/bin/python3, timeout=90000ms, maxRecordsPerBatch=10000, "
                        + "conf keys=[apiToken])",
                o.describe());
        PythonTransformOptions other = PythonTransformOptions.from(code + "\n", SCHEMA, Map.of(), Map.of(), Map.of());
        assertEquals(
                "PythonTransform(dataMode=model, runIn=executor, schema=struct<a:bigint>, script=sha256:"
                        + "342f43dd9ba9 (2 lines), python=python3, maxRecordsPerBatch=10000)",
                other.describe());
    }

    @Test
    void optionsTravelToExecutors() throws Exception {
        PythonTransformOptions o = parse(Map.of("env", "source /opt/conda/bin/activate dev"), Map.of());
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        try (java.io.ObjectInputStream in =
                new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            PythonTransformOptions back = (PythonTransformOptions) in.readObject();
            assertEquals(o.environment(), back.environment());
            assertEquals(o.schema(), back.schema());
        }
    }

    static final String DURATION = "a duration such as 500ms, 30s, 10m, 1h or 1d (a bare number is seconds)";

    /** Each bad value fails while planning, naming the option (or the session conf) and what is allowed. */
    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "dataMode | batch | | Option 'dataMode' must be one of model, data, got 'batch'",
                "timeout | soon | | Option 'timeout' must be " + DURATION + ", from 0 to 365d, got 'soon'",
                "maxRecordsPerBatch | 0 | | Option 'maxRecordsPerBatch' must be a whole number from 1 to 2147483647, got '0'",
                "runIn | cluster | | Option 'runIn' must be one of driver, executor, got 'cluster'",
                "runOn | driver | | Unknown option 'runOn': did you mean 'runIn'? The options and session confs of Python"
                        + " transforms are listed in docs/python-transforms.md under \"Options\"",
                "executable | /usr/bin/python3 | | Unknown option 'executable'. The options and session confs of Python"
                        + " transforms are listed in docs/python-transforms.md under \"Options\"",
                "env | ' ' | | Option 'env' is blank: give a value, or leave the option out",
                "path | /x | | Unknown option 'path'. The options and session confs of Python transforms are listed in"
                        + " docs/python-transforms.md under \"Options\"",
                " | | spark.tributary.python.maxIdelWorkers=2 | Unknown session conf 'spark.tributary.python.maxIdelWorkers':"
                        + " did you mean 'spark.tributary.python.maxIdleWorkers'? The options and session confs of Python"
                        + " transforms are listed in docs/python-transforms.md under \"Options\"",
                " | | spark.tributary.python.timeout=90s | Unknown session conf 'spark.tributary.python.timeout'. The options"
                        + " and session confs of Python transforms are listed in docs/python-transforms.md under \"Options\"",
                " | | spark.tributary.python.maxIdleWorkers=0 | Conf 'spark.tributary.python.maxIdleWorkers' must be a whole"
                        + " number from 1 to 2147483647, got '0'",
                " | | spark.tributary.python.executable= | Session conf 'spark.tributary.python.executable' is blank: give a"
                        + " value, or unset it"
            })
    void badValuesNameTheOption(String option, String value, String conf, String message) {
        Map<String, String> options = option == null ? Map.of() : Map.of(option, value);
        Map<String, String> session = conf == null
                ? Map.of()
                : Map.of(conf.substring(0, conf.indexOf('=')), conf.substring(conf.indexOf('=') + 1));
        assertEquals(
                message,
                assertThrows(IllegalArgumentException.class, () -> parse(options, session))
                        .getMessage());
    }

    @Test
    void aScriptNeedsADeclaredSchema() {
        assertEquals(
                "A Python transform needs a declared output schema with at least one field (Byzer's "
                        + "#%schema), e.g. st(field(a,long))",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> PythonTransformOptions.from("pass", null, Map.of(), Map.of(), Map.of()))
                        .getMessage());
    }

    @Test
    void envForms(@TempDir Path tmp) throws Exception {
        assertEquals(
                new PythonEnvironment("/opt/miniconda3/envs/ray1.8.0/bin/python", "/opt/miniconda3/envs/ray1.8.0/bin"),
                PythonEnvironment.resolve("source /opt/miniconda3/bin/activate ray1.8.0", "python3"));
        assertEquals(
                new PythonEnvironment("/opt/miniconda3/bin/python", "/opt/miniconda3/bin"),
                PythonEnvironment.resolve("source /opt/miniconda3/bin/activate", "python3"));
        assertEquals(
                new PythonEnvironment("/opt/miniconda3/bin/python", "/opt/miniconda3/bin"),
                PythonEnvironment.resolve("source /opt/miniconda3/bin/activate base", "python3"));
        assertEquals(
                new PythonEnvironment("/usr/bin/python3", null), PythonEnvironment.resolve(" : ", "/usr/bin/python3"));
        Path venv = tmp.resolve("venv");
        Files.createDirectories(venv.resolve("bin"));
        Path python3 = Files.createFile(venv.resolve("bin/python3"));
        python3.toFile().setExecutable(true);
        assertEquals(
                new PythonEnvironment(venv + "/bin/python3", venv + "/bin"),
                PythonEnvironment.resolve(venv.toString(), "python3"));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> PythonEnvironment.resolve("source no-such-activate-script dev", "python3"));
        assertEquals(
                "Option 'env' = 'source no-such-activate-script dev': 'no-such-activate-script' is not on the "
                        + "PATH; give the absolute path of conda's bin/activate. Allowed: ':' (no environment), a "
                        + "virtualenv or conda environment directory, or 'source <conda root>/bin/activate [name]'",
                e.getMessage());
    }

    @Test
    void runtimeFileListMatchesTheSources(@TempDir Path tmp) throws Exception {
        Path sources = Path.of("src/main/resources", PythonRuntimeFiles.RESOURCE_ROOT);
        List<String> onDisk;
        try (Stream<Path> files = Files.walk(sources)) {
            onDisk = files.filter(p -> p.toString().endsWith(".py"))
                    .map(p -> sources.relativize(p).toString())
                    .sorted()
                    .toList();
        }
        assertEquals(
                onDisk,
                Files.readAllLines(sources.resolve("FILES")).stream()
                        .filter(l -> !l.isBlank())
                        .toList());
        Path first = PythonRuntimeFiles.unpack(tmp);
        assertEquals(first, PythonRuntimeFiles.unpack(tmp));
        for (String file : onDisk) {
            assertEquals(Files.readString(sources.resolve(file)), Files.readString(first.resolve(file)));
        }
    }

    /** Timeouts past a year are refused while planning, never saturated or wrapped around. */
    @ParameterizedTest(name = "timeout={0}")
    @CsvSource({"99999999999d", "9223372036854775807", "99999999999999999999999", "366d", "-1"})
    void oversizedTimeoutsAreRefusedWhenPlanned(String timeout) {
        assertEquals(
                "Option 'timeout' must be " + DURATION + ", from 0 to 365d, got '" + timeout + "'",
                assertThrows(IllegalArgumentException.class, () -> parse(Map.of("timeout", timeout), Map.of()))
                        .getMessage());
    }

    @Test
    void aYearIsTheLongestTimeout() {
        assertEquals(
                Duration.ofDays(365), parse(Map.of("timeout", "365d"), Map.of()).timeout());
    }

    /** A declared type results cannot travel in fails when the transform is planned, naming field and type. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "d INTERVAL DAY | d | INTERVAL DAY",
                "a BIGINT, m INTERVAL YEAR TO MONTH | m | INTERVAL YEAR TO MONTH",
                "s STRUCT<x: ARRAY<INTERVAL HOUR>> | s.x.element | INTERVAL HOUR",
                "m MAP<STRING, INTERVAL DAY TO SECOND> | m.value | INTERVAL DAY TO SECOND"
            })
    void declaredTypesArrowCannotCarryAreRefusedWhenPlanned(String ddl, String field, String type) {
        StructType schema = DeclaredSchemaParser.parse(ddl);
        assertEquals(
                "Invalid declared schema: field '" + field + "' has type " + type + ", which a Python transform"
                        + " cannot return (results travel as Arrow); allowed types: boolean, tinyint, smallint, int, bigint,"
                        + " float, double, decimal, string, binary, date, timestamp, timestamp_ntz, void, array, map, struct",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> PythonTransformOptions.from("pass", schema, Map.of(), Map.of(), Map.of()))
                        .getMessage());
    }
}
