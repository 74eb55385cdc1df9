package io.tributary.python;

import io.tributary.arrow.SparkToArrowSchema;
import io.tributary.options.OptionReader;
import io.tributary.options.StandardDuration;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Everything a Python transform needs on the executors, parsed once on the driver. Option names and values are
 * Byzer's annotation names and values ({@code dataMode=model}, {@code env=source /opt/conda/bin/activate dev}), so a
 * cell's annotations map onto them one to one. Read by the sources' {@link OptionReader}: option &gt; session conf
 * {@code spark.tributary.python.<option>} &gt; default, blank values and unknown names refused. Some settings are
 * options only ({@code dataMode}, {@code runIn}, {@code env}, {@code timeout}), some session confs only
 * ({@code executable}, {@code maxIdleWorkers}, {@code maxOutputFiles}, {@code dataServerTimeout},
 * {@code dataServerHost}).
 */
public final class PythonTransformOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String DATA_MODE = "dataMode";
    public static final String ENV = "env";
    public static final String TIMEOUT = "timeout";
    public static final String MAX_RECORDS_PER_BATCH = "maxRecordsPerBatch";
    public static final String RUN_IN = "runIn";
    public static final String MAX_LOG_LINE_BYTES = "maxLogLineBytes";
    public static final String MAX_LOG_LINES_PER_TASK = "maxLogLinesPerTask";
    public static final String MAX_LOG_BYTES_PER_TASK = "maxLogBytesPerTask";
    public static final String MAX_OUTPUT_FILE_BYTES = "maxOutputFileBytes";

    /** The settings' name in their session confs, {@code spark.tributary.python.<setting>}. */
    static final String SOURCE = "python";

    public static final String CONF_PREFIX = "spark.tributary." + SOURCE + ".";
    static final String EXECUTABLE = "executable";
    static final String MAX_IDLE_WORKERS = "maxIdleWorkers";
    static final String MAX_OUTPUT_FILES = "maxOutputFiles";
    /** How long a served input partition ({@code data_servers()}) waits to be fetched before it is dropped. */
    static final String DATA_SERVER_TIMEOUT = "dataServerTimeout";
    /** The address the executors' partition servers bind to; default: each executor's own host address. */
    static final String DATA_SERVER_HOST = "dataServerHost";

    public static final String EXECUTABLE_CONF = CONF_PREFIX + EXECUTABLE;
    public static final String MAX_IDLE_WORKERS_CONF = CONF_PREFIX + MAX_IDLE_WORKERS;
    public static final String MAX_OUTPUT_FILES_CONF = CONF_PREFIX + MAX_OUTPUT_FILES;
    public static final String DATA_SERVER_TIMEOUT_CONF = CONF_PREFIX + DATA_SERVER_TIMEOUT;
    public static final String DATA_SERVER_HOST_CONF = CONF_PREFIX + DATA_SERVER_HOST;
    /** The header entry of {@code context.conf} that carries the served input's references to the worker. */
    static final String SERVED_INPUT_KEY = "tributary.servedInput";
    /** Session confs {@code spark.tributary.python.conf.<key>} reach scripts as {@code context.conf["<key>"]}. */
    public static final String SCRIPT_CONF_PREFIX = CONF_PREFIX + "conf.";

    static final List<String> OPTIONS = List.of(
            DATA_MODE,
            ENV,
            TIMEOUT,
            MAX_RECORDS_PER_BATCH,
            RUN_IN,
            MAX_LOG_LINE_BYTES,
            MAX_LOG_LINES_PER_TASK,
            MAX_LOG_BYTES_PER_TASK,
            MAX_OUTPUT_FILE_BYTES);
    /** The names read as session confs {@code spark.tributary.python.<name>}. */
    static final List<String> SESSION_CONFS = List.of(
            MAX_RECORDS_PER_BATCH,
            MAX_LOG_LINE_BYTES,
            MAX_LOG_LINES_PER_TASK,
            MAX_LOG_BYTES_PER_TASK,
            MAX_OUTPUT_FILE_BYTES,
            EXECUTABLE,
            MAX_IDLE_WORKERS,
            MAX_OUTPUT_FILES,
            DATA_SERVER_TIMEOUT,
            DATA_SERVER_HOST);
    /** Session confs with a name of their own after the prefix: script settings and named transforms. */
    static final List<String> SESSION_CONF_PREFIXES = List.of("conf.", "transform.");

    static final String OPTIONS_DOCUMENTED_AT = "The options and session confs of Python transforms are listed in"
            + " docs/python-transforms.md under \"Options\"";
    static final int DEFAULT_MAX_RECORDS_PER_BATCH = 10_000;
    static final int DEFAULT_MAX_IDLE_WORKERS = 4;
    /** A year: longer is no limit in practice, and 0 says that; a bound keeps deadline arithmetic from overflowing. */
    static final Duration MAX_TIMEOUT = Duration.ofDays(365);

    static final Duration DEFAULT_DATA_SERVER_TIMEOUT = Duration.ofMinutes(10);

    private final String code;
    private final StructType schema;
    private final DataMode dataMode;
    private final RunIn runIn;
    private final PythonEnvironment environment;
    private final Duration timeout;
    private final int maxRecordsPerBatch;
    private final int maxIdleWorkers;
    private final ScriptOutputLimits outputLimits;
    private final Map<String, String> scriptConf;
    private final Duration dataServerTimeout;
    private final String dataServerHost;

    private PythonTransformOptions(
            String code,
            StructType schema,
            DataMode dataMode,
            RunIn runIn,
            PythonEnvironment environment,
            Duration timeout,
            int maxRecordsPerBatch,
            int maxIdleWorkers,
            ScriptOutputLimits outputLimits,
            Map<String, String> scriptConf,
            Duration dataServerTimeout,
            String dataServerHost) {
        this.code = code;
        this.schema = schema;
        this.dataMode = dataMode;
        this.runIn = runIn;
        this.environment = environment;
        this.timeout = timeout;
        this.maxRecordsPerBatch = maxRecordsPerBatch;
        this.maxIdleWorkers = maxIdleWorkers;
        this.outputLimits = outputLimits;
        this.scriptConf = scriptConf;
        this.dataServerTimeout = dataServerTimeout;
        this.dataServerHost = dataServerHost;
    }

    /**
     * @param code the Python script, as in a Byzer cell (annotation lines may stay; Python reads them as comments)
     * @param schema the declared output schema
     * @param options {@code dataMode}, {@code runIn}, {@code env}, {@code timeout}, {@code maxRecordsPerBatch} and
     *     the output caps {@code maxLogLineBytes}, {@code maxLogLinesPerTask}, {@code maxLogBytesPerTask},
     *     {@code maxOutputFileBytes} (case-insensitive)
     * @param sessionConf the session's SQL confs ({@code spark.tributary.python.*} are read)
     * @param scriptConf extra entries for {@code context.conf}, over those from the session
     * @throws IllegalArgumentException naming the option at fault and what is allowed
     */
    public static PythonTransformOptions from(
            String code,
            StructType schema,
            Map<String, String> options,
            Map<String, String> sessionConf,
            Map<String, String> scriptConf) {
        Objects.requireNonNull(code, "code");
        if (schema == null || schema.fields().length == 0) {
            throw new IllegalArgumentException("A Python transform needs a declared output schema with at least "
                    + "one field (Byzer's #%schema), e.g. st(field(a,long))");
        }
        requireArrowTypes(schema);
        OptionReader lookup = OptionReader.of(SOURCE, options, sessionConf);
        lookup.refuseUnknown(
                new OptionReader.Names(OPTIONS, List.of()),
                new OptionReader.Names(SESSION_CONFS, SESSION_CONF_PREFIXES),
                OPTIONS_DOCUMENTED_AT);
        OptionReader optionsOnly = lookup.optionsOnly();
        OptionReader confsOnly = lookup.sessionConfsOnly();
        DataMode mode = optionsOnly.getEnum(DATA_MODE, DataMode.MODEL, DataMode.class);
        RunIn runIn = optionsOnly.getEnum(RUN_IN, RunIn.EXECUTOR, RunIn.class);
        String executable =
                confsOnly.get(EXECUTABLE, PythonEnvironment.DEFAULT_EXECUTABLE).trim();
        PythonEnvironment environment = PythonEnvironment.resolve(optionsOnly.get(ENV), executable);
        Duration timeout =
                optionsOnly.getDuration(TIMEOUT, Duration.ZERO, StandardDuration.SYNTAX, Duration.ZERO, MAX_TIMEOUT);
        int batch = lookup.getInt(MAX_RECORDS_PER_BATCH, DEFAULT_MAX_RECORDS_PER_BATCH, 1, Integer.MAX_VALUE);
        int idle = confsOnly.getInt(MAX_IDLE_WORKERS, DEFAULT_MAX_IDLE_WORKERS, 1, Integer.MAX_VALUE);
        ScriptOutputLimits outputLimits = new ScriptOutputLimits(
                (int) lookup.getBytes(
                        MAX_LOG_LINE_BYTES,
                        ScriptOutputLimits.DEFAULT_MAX_LOG_LINE_BYTES,
                        1,
                        ScriptOutputLimits.MAX_LOG_LINE_BYTES_LIMIT),
                lookup.getInt(
                        MAX_LOG_LINES_PER_TASK,
                        ScriptOutputLimits.DEFAULT_MAX_LOG_LINES_PER_TASK,
                        1,
                        Integer.MAX_VALUE),
                lookup.getBytes(
                        MAX_LOG_BYTES_PER_TASK, ScriptOutputLimits.DEFAULT_MAX_LOG_BYTES_PER_TASK, 1, Long.MAX_VALUE),
                lookup.getBytes(
                        MAX_OUTPUT_FILE_BYTES, ScriptOutputLimits.DEFAULT_MAX_OUTPUT_FILE_BYTES, 1, Long.MAX_VALUE),
                confsOnly.getInt(MAX_OUTPUT_FILES, ScriptOutputLimits.DEFAULT_MAX_OUTPUT_FILES, 1, Integer.MAX_VALUE));
        Map<String, String> conf = new LinkedHashMap<>();
        sessionConf.forEach((k, v) -> {
            if (k.startsWith(SCRIPT_CONF_PREFIX)) {
                conf.put(k.substring(SCRIPT_CONF_PREFIX.length()), v);
            }
        });
        conf.putAll(scriptConf);
        Duration served = confsOnly.getDuration(
                DATA_SERVER_TIMEOUT,
                DEFAULT_DATA_SERVER_TIMEOUT,
                StandardDuration.SYNTAX,
                Duration.ofMillis(1),
                MAX_TIMEOUT);
        String host = confsOnly.get(DATA_SERVER_HOST);
        return new PythonTransformOptions(
                code,
                schema,
                mode,
                runIn,
                environment,
                timeout,
                batch,
                idle,
                outputLimits,
                Collections.unmodifiableMap(conf),
                served,
                host == null ? null : host.trim());
    }

    /** The same options with the served input's references for the worker (they hold the serving's secret). */
    PythonTransformOptions withServedInput(java.util.List<String> references) {
        Map<String, String> conf = new LinkedHashMap<>(scriptConf);
        try {
            conf.put(SERVED_INPUT_KEY, PythonWorker.JSON.writeValueAsString(references));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new PythonTransformOptions(
                code,
                schema,
                dataMode,
                runIn,
                environment,
                timeout,
                maxRecordsPerBatch,
                maxIdleWorkers,
                outputLimits,
                Collections.unmodifiableMap(conf),
                dataServerTimeout,
                dataServerHost);
    }

    /**
     * The declared schema's types must be ones results can travel in (as Arrow): checked when the transform is
     * planned, not when its first task reads the worker's answer.
     */
    private static void requireArrowTypes(StructType schema) {
        for (StructField field : schema.fields()) {
            requireArrowType(field.name(), field.dataType());
        }
    }

    private static void requireArrowType(String path, DataType type) {
        if (type instanceof StructType struct) {
            for (StructField field : struct.fields()) {
                requireArrowType(path + "." + field.name(), field.dataType());
            }
        } else if (type instanceof ArrayType array) {
            requireArrowType(path + ".element", array.elementType());
        } else if (type instanceof MapType map) {
            requireArrowType(path + ".key", map.keyType());
            requireArrowType(path + ".value", map.valueType());
        } else {
            try {
                SparkToArrowSchema.toArrow(new StructType().add("field", type));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Invalid declared schema: field '" + path + "' has type "
                        + type.sql() + ", which a Python transform cannot return (results travel as Arrow); allowed"
                        + " types: " + SparkToArrowSchema.SUPPORTED);
            }
        }
    }

    public String code() {
        return code;
    }

    public StructType schema() {
        return schema;
    }

    public DataMode dataMode() {
        return dataMode;
    }

    /** Where a {@code dataMode=model} script runs. */
    public RunIn runIn() {
        return runIn;
    }

    /** Zero when there is no limit. */
    public Duration timeout() {
        return timeout;
    }

    public int maxRecordsPerBatch() {
        return maxRecordsPerBatch;
    }

    public String executable() {
        return environment.executable();
    }

    PythonEnvironment environment() {
        return environment;
    }

    int maxIdleWorkers() {
        return maxIdleWorkers;
    }

    ScriptOutputLimits outputLimits() {
        return outputLimits;
    }

    /** How long a served input partition waits to be fetched. */
    Duration dataServerTimeout() {
        return dataServerTimeout;
    }

    /** The partition servers' bind address, when one is configured. */
    java.util.Optional<String> dataServerHost() {
        return java.util.Optional.ofNullable(dataServerHost);
    }

    /** What the script sees as {@code context.conf}. */
    public Map<String, String> scriptConf() {
        return scriptConf;
    }

    /**
     * How the transform appears in EXPLAIN and the Spark UI. The script is named by a digest and its line count, and
     * the script's settings by their keys: scripts and settings may hold tokens or passwords, and plans are shown to
     * anyone with the UI.
     */
    public String describe() {
        long lines = code.lines().count();
        return "PythonTransform(dataMode=" + dataMode.wireName() + ", runIn=" + runIn.wireName() + ", schema="
                + schema.simpleString() + ", script=sha256:" + digest(code) + " (" + lines
                + (lines == 1 ? " line" : " lines") + "), python=" + environment.executable()
                + (timeout.isZero() ? "" : ", timeout=" + timeout.toMillis() + "ms")
                + ", maxRecordsPerBatch=" + maxRecordsPerBatch
                + (scriptConf.isEmpty() ? "" : ", conf keys=" + new TreeSet<>(scriptConf.keySet())) + ")";
    }

    private static String digest(String text) {
        return HexFormat.of().formatHex(Sha256.newDigest().digest(text.getBytes(StandardCharsets.UTF_8)), 0, 6);
    }
}
