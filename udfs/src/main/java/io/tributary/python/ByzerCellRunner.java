package io.tributary.python;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Runs a whole Byzer-python notebook cell in one call: the {@code #%} annotations choose the input table, the
 * declared schema, the data mode and the Python environment; the result is registered under {@code #%output} and
 * cached when {@code #%cache=true}.
 *
 * <pre>{@code
 * spark.range(3).selectExpr("id AS a").createOrReplaceTempView("table1");
 * Dataset<Row> out = ByzerCellRunner.run(spark, """
 *     #%python
 *     #%input=table1
 *     #%output=b_output
 *     #%schema=st(field(a,long))
 *     #%dataMode=model
 *     from pyjava.api.mlsql import RayContext
 *     ray_context = RayContext.connect(globals(), None)
 *     context.build_result({"a": row["a"] + 1} for row in ray_context.collect())
 *     """);
 * spark.table("b_output").show();
 * }</pre>
 *
 * <p>Annotations: {@code input} (required; Byzer's {@code command} is an empty input unless a table of that name
 * exists), {@code schema} (required), {@code output}, {@code dataMode} (or Byzer's older {@code mode}; default
 * {@code model}), {@code env}, {@code cache} ({@code true|false}), {@code runIn} ({@code driver|executor}, see
 * {@link RunIn}), and {@code timeout}. Anything else is an error naming the annotation.
 */
public final class ByzerCellRunner {
    /** Byzer's name for "no input table". */
    static final String NO_INPUT = "command";

    private static final Set<String> ANNOTATIONS = Set.of(
            "input", "output", "schema", "dataMode", "mode", "runIn", "cache", "env", PythonTransformOptions.TIMEOUT);

    private ByzerCellRunner() {}

    /**
     * Parses and plans the cell; the script runs when the result is computed (or at once with {@code #%cache=true},
     * which materialises the output so that later reads see the same rows).
     *
     * @throws IllegalArgumentException naming the annotation at fault, or the schema position, before anything runs
     */
    public static Dataset<Row> run(SparkSession spark, String cellText) {
        ByzerCell cell = ByzerCell.parse(cellText);
        requireKnownAnnotations(cell);
        String inputName = cell.input()
                .orElseThrow(() -> new IllegalArgumentException("Byzer cell needs "
                        + "'#%input=<table>' (the table the script reads; '#%input=command' for none)"));
        StructType schema = DeclaredSchemaParser.parse(cell.schema()
                .orElseThrow(() -> new IllegalArgumentException(
                        "Byzer cell needs '#%schema=...' declaring the rows the script returns, e.g. "
                                + "#%schema=st(field(a,long))")));
        Map<String, String> options = transformOptions(cell);
        boolean cache = flag(cell, "cache");
        Dataset<Row> input = input(spark, inputName);

        Dataset<Row> output = new PythonTransformSpec(cell.code(), schema, options).apply(input);
        if (cache) {
            output = output.persist();
            output.count(); // the script runs once, now; every later read sees these rows
        }
        cell.output().ifPresent(output::createOrReplaceTempView);
        return output;
    }

    /** Fails on an annotation this runner would otherwise ignore, naming it. */
    static void requireKnownAnnotations(ByzerCell cell) {
        for (String key : cell.annotations().keySet()) {
            if (!ANNOTATIONS.contains(key)) {
                throw new IllegalArgumentException("Byzer cell annotation '#%" + key + "' is not supported; allowed: "
                        + String.join(", ", new TreeSet<>(ANNOTATIONS)));
            }
        }
    }

    /** The annotations that are {@link PythonTransformOptions} options, under those names. */
    static Map<String, String> transformOptions(ByzerCell cell) {
        Map<String, String> annotations = cell.annotations();
        Map<String, String> options = new LinkedHashMap<>();
        String dataMode = annotations.get("dataMode");
        String mode = annotations.get("mode");
        if (dataMode != null && mode != null && !dataMode.equalsIgnoreCase(mode)) {
            throw new IllegalArgumentException("Byzer cell gives '#%dataMode=" + dataMode + "' and '#%mode=" + mode
                    + "'; they are the same setting, keep one");
        }
        if (dataMode != null || mode != null) {
            options.put(PythonTransformOptions.DATA_MODE, dataMode != null ? dataMode : mode);
        }
        cell.env().ifPresent(env -> options.put(PythonTransformOptions.ENV, env));
        if (annotations.containsKey(PythonTransformOptions.TIMEOUT)) {
            options.put(PythonTransformOptions.TIMEOUT, annotations.get(PythonTransformOptions.TIMEOUT));
        }
        if (annotations.containsKey(PythonTransformOptions.RUN_IN)) {
            options.put(PythonTransformOptions.RUN_IN, annotations.get(PythonTransformOptions.RUN_IN));
        }
        return options;
    }

    private static boolean flag(ByzerCell cell, String key) {
        String value = cell.annotations().getOrDefault(key, "false");
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException(
                "Byzer cell annotation '#%" + key + "' must be true or false, but was '" + value + "'");
    }

    private static Dataset<Row> input(SparkSession spark, String name) {
        if (name.equals(NO_INPUT) && !spark.catalog().tableExists(NO_INPUT)) {
            return spark.emptyDataFrame();
        }
        if (!spark.catalog().tableExists(name)) {
            throw new IllegalArgumentException("Byzer cell '#%input=" + name + "': no table or view of that name");
        }
        return spark.table(name);
    }
}
