package io.tributary.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.testing.PluginMetricsScrape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole Byzer cells through {@link ByzerCellRunner} and scripts through the {@code python_transform} SQL function,
 * with real Python workers.
 */
class ByzerCellRunnerIntegrationTest {
    private static SparkSession spark;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        spark = ByzerPythonTutorialIntegrationTest.pythonSession();
        spark.range(1, 4).selectExpr("id AS a").createOrReplaceTempView("table1");
    }

    private static List<Long> column(String sql) {
        return spark.sql(sql).collectAsList().stream()
                .map(row -> row.getLong(0))
                .toList();
    }

    @Test
    void aCellReadsItsInputAndRegistersItsOutputCachedSoTheScriptRunsOnce() throws Exception {
        Path runs = tmp.resolve("runs.txt");
        String cell = String.join(
                "\n",
                "#%python",
                "#%input=table1",
                "#%output=b_output",
                "#%schema=st(field(a,long))",
                "#%runIn=driver",
                "#%dataMode=model",
                "#%cache=true",
                "#%env=:",
                "from pyjava.api.mlsql import PythonContext, RayContext",
                "with open(" + pythonString(runs) + ", 'a') as runs:",
                "    runs.write('ran\\n')",
                "ray_context = RayContext.connect(globals(), None)",
                "context.build_result({'a': row['a'] + 1} for row in ray_context.collect())",
                "");
        ByzerCellRunner.run(spark, cell);
        assertEquals(List.of(2L, 3L, 4L), column("SELECT a FROM b_output ORDER BY a"));
        assertEquals(List.of(9L), column("SELECT sum(a) FROM b_output"));
        assertEquals(List.of("ran"), Files.readAllLines(runs), "cache=true: the script ran once for two reads");
    }

    @Test
    void byzersCommandInputIsEmptyAndTheScriptStillRunsOnce() {
        List<Row> rows = ByzerCellRunner.run(
                        spark,
                        String.join(
                                "\n",
                                "#%python",
                                "#%input=command",
                                "#%schema=st(field(hello,string))",
                                "context.build_result([{\"hello\": \"world\"}])",
                                ""))
                .collectAsList();
        assertEquals(1, rows.size());
        assertEquals("world", rows.get(0).getString(0));
    }

    @Test
    void badCellsAreRefusedBeforeAnythingRunsNamingTheAnnotation() {
        String code = "context.build_result([])\n";
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> ByzerCellRunner.run(spark, "#%python\n#%input=table1\n" + code))
                .getMessage()
                .contains("#%schema"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> ByzerCellRunner.run(
                                spark, "#%input=table1\n#%schema=st(field(a,long))\n#%colour=blue\n" + code))
                .getMessage()
                .contains("'#%colour' is not supported"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> ByzerCellRunner.run(spark, "#%input=no_such_table\n#%schema=st(field(a,long))\n" + code))
                .getMessage()
                .contains("'#%input=no_such_table': no table or view"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> ByzerCellRunner.run(spark, "#%input=table1\n#%schema=st(field(a,lung))\n" + code))
                .getMessage()
                .contains("lung"));
    }

    @Test
    void sqlRunsAScriptWithItsAnnotationsOrASchemaArgument() {
        String cell = "#%schema=st(field(a,long))\\n#%dataMode=data\\n"
                + "from pyjava.api.mlsql import RayContext\\n"
                + "ray_context = RayContext.connect(globals(), None)\\n"
                + "ray_context.map_iter(lambda rows: ({\\\"a\\\": r[\\\"a\\\"] * 10} for r in rows))\\n";
        assertEquals(
                List.of(10L, 20L, 30L), column("SELECT a FROM python_transform('table1', '" + cell + "') ORDER BY a"));
        String plain = "context.build_result([{\\\"b\\\": 7}])";
        assertEquals(List.of(7L), column("SELECT b FROM python_transform('table1', '" + plain + "', 'b BIGINT')"));
    }

    @Test
    void sqlRunsTransformsRegisteredFromJavaOrFromConfs() throws Exception {
        PythonTransformRegistry.register(
                "plus_one",
                "from pyjava.api.mlsql import RayContext\n"
                        + "ray_context = RayContext.connect(globals(), None)\n"
                        + "context.build_result({'a': r['a'] + 1} for r in ray_context.collect())\n",
                DeclaredSchemaParser.parse("st(field(a,long))"),
                java.util.Map.of());
        try {
            assertEquals(
                    List.of(2L, 3L, 4L), column("SELECT a FROM python_transform('table1', 'plus_one') ORDER BY a"));
        } finally {
            PythonTransformRegistry.unregister("plus_one");
        }

        Path script = Files.writeString(
                tmp.resolve("double.py"),
                "#%python\n#%dataMode=model\n"
                        + "from pyjava.api.mlsql import RayContext\n"
                        + "ray_context = RayContext.connect(globals(), None)\n"
                        + "context.build_result({'a': r['a'] * 2} for r in ray_context.collect())\n");
        spark.sql("SET spark.tributary.python.transform.doubled.file=" + script);
        spark.sql("SET spark.tributary.python.transform.doubled.schema=a BIGINT");
        assertEquals(List.of(2L, 4L, 6L), column("SELECT a FROM python_transform('table1', 'doubled') ORDER BY a"));

        Exception unknown = assertThrows(
                Exception.class,
                () -> spark.sql("SELECT * FROM python_transform('table1', 'dubled')")
                        .collect());
        assertTrue(
                unknown.getMessage().contains("no Python transform named 'dubled' is registered"),
                unknown.getMessage());

        Exception missing = assertThrows(
                Exception.class,
                () -> spark.sql("SELECT * FROM python_transform('no_such_table', 'doubled')")
                        .collect());
        assertTrue(
                missing.getMessage()
                        .contains("python_transform argument 'input': no table or view named" + " 'no_such_table'"),
                missing.getMessage());
    }

    @Test
    void workersStartedBusyAndRestartedReachThePluginMetrics() throws Exception {
        String restarted = "tributary_python_workers_restarted_total";
        double restartedBefore = PluginMetricsScrape.value(restarted, "");
        Exception failure = assertThrows(
                Exception.class,
                () -> ByzerCellRunner.run(
                                spark, "#%input=table1\n#%schema=st(field(a,long))\nraise ValueError('metrics test')\n")
                        .collect());
        assertTrue(failure.getMessage().contains("ValueError: metrics test"), failure.getMessage());
        assertEquals(
                restartedBefore + 1,
                PluginMetricsScrape.await(restarted, "", restartedBefore + 1),
                "the worker that ran the failing script was stopped, not reused");

        assertEquals(
                List.of(3L),
                column("SELECT count(*) FROM python_transform('table1', "
                        + "'context.build_result([{\\\"a\\\": 1}] * 3)', 'a BIGINT')"));
        assertEquals(0.0, PluginMetricsScrape.await("tributary_python_workers_busy", "", 0.0), "no task runs now");
        assertTrue(PluginMetricsScrape.value("tributary_python_workers_started_total", "") >= 1);
    }

    private static String pythonString(Path path) {
        return "'" + path.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
