package io.tributary.python;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.tributary.arrow.SparkToArrowSchema;
import org.apache.spark.network.util.JavaUtils;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Everything a Python transform needs on the executors, parsed once on the driver. Option names and values are
 * Byzer's annotation names and values ({@code dataMode=model}, {@code env=source /opt/conda/bin/activate dev}), so a
 * cell's annotations map onto them one to one. Precedence: option &gt; session conf &gt; default.
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

    public static final String CONF_PREFIX = "spark.tributary.python.";
    public static final String EXECUTABLE_CONF = CONF_PREFIX + "executable";
    public static final String MAX_IDLE_WORKERS_CONF = CONF_PREFIX + "maxIdleWorkers";
    public static final String MAX_OUTPUT_FILES_CONF = CONF_PREFIX + "maxOutputFiles";
    /** How long a served input partition ({@code data_servers()}) waits to be fetched before it is dropped. */
    public static final String DATA_SERVER_TIMEOUT_CONF = CONF_PREFIX + "dataServerTimeout";
    /** The address the executors' partition servers bind to; default: each executor's own host address. */
    public static final String DATA_SERVER_HOST_CONF = CONF_PREFIX + "dataServerHost";
    /** The header entry of {@code context.conf} that carries the served input's references to the worker. */
    static final String SERVED_INPUT_KEY = "tributary.servedInput";
    /** Session confs {@code spark.tributary.python.conf.<key>} reach scripts as {@code context.conf["<key>"]}. */
    public static final String SCRIPT_CONF_PREFIX = CONF_PREFIX + "conf.";

    static final Set<String> OPTIONS = Set.of(DATA_MODE, ENV, TIMEOUT, MAX_RECORDS_PER_BATCH, RUN_IN,
            MAX_LOG_LINE_BYTES, MAX_LOG_LINES_PER_TASK, MAX_LOG_BYTES_PER_TASK, MAX_OUTPUT_FILE_BYTES);
    static final int DEFAULT_MAX_RECORDS_PER_BATCH = 10_000;
    static final int DEFAULT_MAX_IDLE_WORKERS = 4;
    /** A year: longer is no limit in practice, and 0 says that; a bound keeps deadline arithmetic from overflowing. */
    static final Duration MAX_TIMEOUT = Duration.ofDays(365);
    static final String DEFAULT_DATA_SERVER_TIMEOUT = "10m";

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

    private PythonTransformOptions(String code, StructType schema, DataMode dataMode, RunIn runIn,
            PythonEnvironment environment, Duration timeout, int maxRecordsPerBatch, int maxIdleWorkers,
            ScriptOutputLimits outputLimits, Map<String, String> scriptConf, Duration dataServerTimeout,
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
    public static PythonTransformOptions from(String code, StructType schema, Map<String, String> options,
            Map<String, String> sessionConf, Map<String, String> scriptConf) {
        Objects.requireNonNull(code, "code");
        if (schema == null || schema.fields().length == 0) {
            throw new IllegalArgumentException("A Python transform needs a declared output schema with at least "
                    + "one field (Byzer's #%schema), e.g. st(field(a,long))");
        }
        requireArrowTypes(schema);
        Map<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        byName.putAll(options);
        for (String key : byName.keySet()) {
            if (OPTIONS.stream().noneMatch(key::equalsIgnoreCase)) {
                throw new IllegalArgumentException("Unknown Python transform option '" + key + "'; allowed: "
                        + String.join(", ", new java.util.TreeSet<>(OPTIONS)));
            }
        }
        DataMode mode = oneOf(DATA_MODE, DataMode.class, byName.getOrDefault(DATA_MODE, "model"));
        RunIn runIn = oneOf(RUN_IN, RunIn.class, byName.getOrDefault(RUN_IN, "executor"));
        String executable = sessionConf.getOrDefault(EXECUTABLE_CONF, PythonEnvironment.DEFAULT_EXECUTABLE).trim();
        if (executable.isEmpty()) {
            throw new IllegalArgumentException("Conf '" + EXECUTABLE_CONF + "' must name a python interpreter, "
                    + "e.g. /usr/bin/python3, but was empty");
        }
        PythonEnvironment environment = PythonEnvironment.resolve(byName.get(ENV), executable);
        Duration timeout = parseTimeout(byName.getOrDefault(TIMEOUT, "0"));
        int batch = positiveInt(MAX_RECORDS_PER_BATCH, optionOrConf(MAX_RECORDS_PER_BATCH, byName, sessionConf,
                Integer.toString(DEFAULT_MAX_RECORDS_PER_BATCH)));
        int idle = positiveInt(MAX_IDLE_WORKERS_CONF, sessionConf.getOrDefault(MAX_IDLE_WORKERS_CONF,
                Integer.toString(DEFAULT_MAX_IDLE_WORKERS)));
        ScriptOutputLimits outputLimits = new ScriptOutputLimits(
                (int) size(MAX_LOG_LINE_BYTES, optionOrConf(MAX_LOG_LINE_BYTES, byName, sessionConf,
                        Integer.toString(ScriptOutputLimits.DEFAULT_MAX_LOG_LINE_BYTES)),
                        ScriptOutputLimits.MAX_LOG_LINE_BYTES_LIMIT),
                positiveInt(MAX_LOG_LINES_PER_TASK, optionOrConf(MAX_LOG_LINES_PER_TASK, byName, sessionConf,
                        Integer.toString(ScriptOutputLimits.DEFAULT_MAX_LOG_LINES_PER_TASK))),
                size(MAX_LOG_BYTES_PER_TASK, optionOrConf(MAX_LOG_BYTES_PER_TASK, byName, sessionConf,
                        Long.toString(ScriptOutputLimits.DEFAULT_MAX_LOG_BYTES_PER_TASK)), Long.MAX_VALUE),
                size(MAX_OUTPUT_FILE_BYTES, optionOrConf(MAX_OUTPUT_FILE_BYTES, byName, sessionConf,
                        Long.toString(ScriptOutputLimits.DEFAULT_MAX_OUTPUT_FILE_BYTES)), Long.MAX_VALUE),
                positiveInt(MAX_OUTPUT_FILES_CONF, sessionConf.getOrDefault(MAX_OUTPUT_FILES_CONF,
                        Integer.toString(ScriptOutputLimits.DEFAULT_MAX_OUTPUT_FILES))));
        Map<String, String> conf = new LinkedHashMap<>();
        sessionConf.forEach((k, v) -> {
            if (k.startsWith(SCRIPT_CONF_PREFIX)) {
                conf.put(k.substring(SCRIPT_CONF_PREFIX.length()), v);
            }
        });
        conf.putAll(scriptConf);
        String servedText = sessionConf.getOrDefault(DATA_SERVER_TIMEOUT_CONF, DEFAULT_DATA_SERVER_TIMEOUT);
        String servedWhat = "Conf '" + DATA_SERVER_TIMEOUT_CONF + "'";
        Duration served = parseDuration(servedWhat, "1ms", servedText);
        if (served.isZero()) {
            throw new IllegalArgumentException(servedWhat + " must be a duration such as 30s, 5m, 1h or a number of"
                    + " seconds, from 1ms to 365d, but was '" + servedText + "'");
        }
        String host = sessionConf.getOrDefault(DATA_SERVER_HOST_CONF, "").trim();
        return new PythonTransformOptions(code, schema, mode, runIn, environment, timeout, batch, idle,
                outputLimits, Collections.unmodifiableMap(conf), served, host.isEmpty() ? null : host);
    }

    /** The option, else its session conf {@code spark.tributary.python.<option>}, else the default. */
    private static String optionOrConf(String option, Map<String, String> byName, Map<String, String> sessionConf,
            String defaultValue) {
        return byName.getOrDefault(option, sessionConf.getOrDefault(CONF_PREFIX + option, defaultValue));
    }

    /** The same options with the served input's references for the worker (they hold the serving's secret). */
    PythonTransformOptions withServedInput(java.util.List<String> references) {
        Map<String, String> conf = new LinkedHashMap<>(scriptConf);
        try {
            conf.put(SERVED_INPUT_KEY, PythonWorker.JSON.writeValueAsString(references));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new PythonTransformOptions(code, schema, dataMode, runIn, environment, timeout, maxRecordsPerBatch,
                maxIdleWorkers, outputLimits, Collections.unmodifiableMap(conf), dataServerTimeout, dataServerHost);
    }

    /** The constant of {@code type} named {@code value} in any case; else an error naming the option and choices. */
    static <E extends Enum<E>> E oneOf(String option, Class<E> type, String value) {
        for (E choice : type.getEnumConstants()) {
            if (choice.name().equalsIgnoreCase(value.trim())) {
                return choice;
            }
        }
        String allowed = Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(" or "));
        throw new IllegalArgumentException("Option '" + option + "' must be " + allowed + ", but was '" + value + "'");
    }

    /**
     * {@code 30s}, {@code 5m}, {@code 1h}, {@code 500ms}, or a number of seconds, up to {@link #MAX_TIMEOUT}; 0 for no
     * limit.
     */
    static Duration parseTimeout(String value) {
        return parseDuration("Option '" + TIMEOUT + "'", "0 (no limit)", value);
    }

    /** A duration as {@link #parseTimeout} reads it; {@code lowest} names the smallest value allowed, for messages. */
    private static Duration parseDuration(String what, String lowest, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            // Spark's parser saturates at Long.MAX_VALUE rather than failing: the bound below catches that too.
            long millis = v.chars().allMatch(Character::isDigit) ? Math.multiplyExact(Long.parseLong(v), 1000L)
                    : JavaUtils.timeStringAsMs(v);
            if (millis >= 0 && millis <= MAX_TIMEOUT.toMillis()) {
                return Duration.ofMillis(millis);
            }
        } catch (RuntimeException e) {
            // reported below with what is allowed
        }
        throw new IllegalArgumentException(what + " must be a duration such as 30s, 5m, 1h or a number of seconds, from "
                + lowest + " to 365d, but was '" + value + "'");
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

    private static int positiveInt(String name, String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + name + "' must be an integer from 1 to 2147483647, but was '"
                + value + "'");
    }

    /** A number of bytes from 1 to {@code max}, written as Spark writes sizes: {@code 8192}, {@code 8k}, {@code 1m}. */
    private static long size(String name, String value, long max) {
        try {
            long n = JavaUtils.byteStringAsBytes(value.trim());
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (RuntimeException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + name + "' must be a number of bytes from 1 to " + max
                + " (a number, or with a unit: 512k, 1m, 1g), but was '" + value + "'");
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
