package io.tributary.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.testing.SparkTestSession;
import io.tributary.testing.TestPython;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Byzer-python tutorial's cells (src/test/resources/byzer-python, copied from the tutorial) run through
 * PythonTransform with real Python workers, results saved to Delta and read back. Each cell's own {@code #%schema}
 * and {@code #%dataMode} annotations configure it (read with ByzerCell and DeclaredSchemaParser); its {@code #%env}
 * names conda environments of the tutorial's author, so the workers use spark.tributary.python.executable instead.
 */
class ByzerPythonTutorialIntegrationTest {
    static SparkSession spark;

    @TempDir
    Path tmp;

    /** The interpreter the tests' workers run (see {@link TestPython}). */
    static String python() {
        return TestPython.executable();
    }

    /** A session of its own (the JVM's SparkContext), so the Python confs stay out of other test classes. */
    static SparkSession pythonSession() {
        SparkSession session = SparkTestSession.get().newSession();
        session.conf().set(PythonTransformOptions.EXECUTABLE_CONF, python());
        // Each test writes small new Delta tables; replaying their logs in Delta's default 50 partitions costs more
        // than the transforms on two cores.
        session.conf().set("spark.databricks.delta.snapshotPartitions", "2");
        return session;
    }

    @BeforeAll
    static void start() {
        spark = pythonSession();
    }

    static String cellText(String name) throws IOException {
        try (InputStream in = ByzerPythonTutorialIntegrationTest.class.getResourceAsStream("/byzer-python/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The cell as its annotations configure it: declared schema, data mode (Byzer's default: model). */
    static PythonTransform cell(String name) throws IOException {
        ByzerCell cell = ByzerCell.parse(cellText(name));
        return PythonTransform.of(cell.code())
                .schema(DeclaredSchemaParser.parse(cell.schema().orElseThrow()))
                .option(PythonTransformOptions.DATA_MODE, cell.annotations().getOrDefault("dataMode", "model"));
    }

    /** Byzer's {@code load jsonStr.`jsonStr` as data}: one JSON object a line. */
    static Dataset<Row> json(String... lines) {
        return spark.read().json(spark.createDataset(List.of(lines), Encoders.STRING()));
    }

    static final String[] BUSINESS = {
        "{\"Busn_A\":114,\"Busn_B\":57}", "{\"Busn_A\":55,\"Busn_B\":134}", "{\"Busn_A\":27,\"Busn_B\":137}",
        "{\"Busn_A\":101,\"Busn_B\":129}", "{\"Busn_A\":125,\"Busn_B\":145}", "{\"Busn_A\":27,\"Busn_B\":60}",
        "{\"Busn_A\":105,\"Busn_B\":49}"
    };

    /** Writes to a new Delta table and reads it back, sorted: what a later cell would see. */
    List<String> throughDelta(Dataset<Row> result, String name, String orderBy) {
        String path = tmp.resolve(name).toString();
        result.write().format("delta").mode("overwrite").save(path);
        return spark
                .read()
                .format("delta")
                .load(path)
                .orderBy(java.util.Arrays.stream(orderBy.split(","))
                        .map(functions::col)
                        .toArray(Column[]::new))
                .collectAsList()
                .stream()
                .map(Row::toString)
                .toList();
    }

    @Test
    void helloWorld() throws IOException {
        Dataset<Row> out = cell("hello_world.py").apply(spark.emptyDataFrame());
        assertEquals(List.of("[world]"), throughDelta(out, "hello", "hello"));
    }

    @Test
    void addOneWithCollect() throws IOException {
        Dataset<Row> mockTable = spark.sql("select 1 as a");
        Dataset<Row> out = cell("add_one.py").apply(mockTable);
        assertEquals(List.of("[2]"), throughDelta(out, "mockTable2", "a"));
    }

    static final List<String> ECHOED = List.of(
            "[101_jackm,129_product]",
            "[105_jackm,49_product]",
            "[114_jackm,57_product]",
            "[125_jackm,145_product]",
            "[27_jackm,137_product]",
            "[27_jackm,60_product]",
            "[55_jackm,134_product]");

    static final String[] FEATURES = {
        "{\"features\":[5.1,3.5,1.4,0.2],\"label\":0.0}", "{\"features\":[5.1,3.5,1.4,0.2],\"label\":1.0}",
        "{\"features\":[5.1,3.5,1.4,0.2],\"label\":0.0}", "{\"features\":[4.4,2.9,1.4,0.2],\"label\":0.0}",
        "{\"features\":[5.1,3.5,1.4,0.2],\"label\":1.0}", "{\"features\":[5.1,3.5,1.4,0.2],\"label\":0.0}",
        "{\"features\":[5.1,3.5,1.4,0.2],\"label\":0.0}", "{\"features\":[4.7,3.2,1.3,0.2],\"label\":1.0}",
        "{\"features\":[5.1,3.5,1.4,0.2],\"label\":0.0}", "{\"features\":[5.1,3.5,1.4,0.2],\"label\":0.0}"
    };

    @Test
    void collectFromDataServers() throws IOException {
        Dataset<Row> data1 = json(FEATURES).selectExpr("features[0] as a", "features[1] as b");
        Dataset<Row> out = cell("collect_from_data_servers.py").apply(data1);
        assertHelloContent(throughDelta(out, "content", "content,test"));
    }

    /** The tutorial's data-processing cells over FEATURES' first two columns, sorted. */
    static void assertHelloContent(List<String> rows) {
        assertEquals(List.of("[hello4.4,2.9]", "[hello4.7,3.2]"), rows.subList(0, 2));
        assertEquals(8, rows.stream().filter("[hello5.1,3.5]"::equals).count());
        assertEquals(10, rows.size());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"breast_cancer_rows.py", "breast_cancer_generator.py"})
    void arrayOfDoubleFeaturesFromSklearn(String name) throws IOException {
        Dataset<Row> out = cell(name).apply(spark.emptyDataFrame());
        String path = tmp.resolve(name).toString();
        out.write().format("delta").mode("overwrite").save(path);
        Dataset<Row> saved = spark.read().format("delta").load(path);
        // load_breast_cancer: 569 samples of 30 features, 357 benign (label 1); the first sample is known.
        assertEquals(
                "[569,357,30,30]",
                saved.selectExpr("count(*)", "sum(label)", "min(size(features))", "max(size(features))")
                        .first()
                        .toString(),
                name);
        assertEquals(
                "[0,10.38,122.8,1001.0,0.1189]",
                saved.where("features[0] = 17.99 AND features[1] = 10.38")
                        .selectExpr("label", "features[1]", "features[2]", "features[3]", "features[29]")
                        .first()
                        .toString(),
                name);
    }

    @Test
    void htmlReportFromToPandas() throws IOException {
        Dataset<Row> out = cell("html_report_pandas.py").apply(json(BUSINESS));
        String path = tmp.resolve("report").toString();
        out.write().format("delta").mode("overwrite").save(path);
        List<Row> rows = spark.read().format("delta").load(path).collectAsList();
        assertEquals(1, rows.size());
        String html = rows.get(0).getString(0);
        assertEquals("html", rows.get(0).getString(1));
        assertTrue(html.startsWith("<table border=\"1\" class=\"dataframe\">"), html);
        for (String cellText : List.of(
                "<th>Busn_A</th>",
                "<th>Busn_B</th>",
                "<th>name</th>",
                "<td>114</td>",
                "<td>57</td>",
                "<td>衬衫</td>",
                "<td>105</td>",
                "<td>49</td>",
                "<td>袜子</td>")) {
            assertTrue(html.contains(cellText), cellText + " in " + html);
        }
    }

    @Test
    void fileSchemaDirectoryRoundTripThroughDelta() throws IOException {
        Path model = tmp.resolve("minist_model");
        Files.createDirectories(model.resolve("variables"));
        Files.writeString(model.resolve("saved_model.pb"), "graph");
        byte[] weights = new byte[2_500_000];
        new Random(7).nextBytes(weights);
        Files.write(model.resolve("variables/variables.data-00000-of-00001"), weights);
        Files.writeString(model.resolve("variables/variables.index"), "index");

        // #%schema=file: st(field(start,long),field(offset,long),field(value,binary)).
        Dataset<Row> packed =
                cell("file_schema_pack.py").conf("model_dir", model.toString()).apply(spark.emptyDataFrame());
        String table = tmp.resolve("ai_model.cifar_model").toString();
        packed.write().format("delta").mode("overwrite").save(table);
        Dataset<Row> saved = spark.read().format("delta").load(table);
        // Three files in a tar stream cut into 1 MiB chunks: start advances by offset, chunk by chunk.
        assertEquals(
                "[3,0,2097152]",
                saved.selectExpr("count(*)", "min(start)", "max(start)").first().toString());
        assertEquals(0L, saved.where("offset != length(value)").count());

        Path restored = tmp.resolve("restored");
        Row files = cell("file_schema_unpack.py")
                .conf("restore_dir", restored.toString())
                .apply(saved.repartition(3))
                .first();
        assertEquals(3L, files.getLong(0));
        assertEquals(tree(model), tree(restored));
    }

    static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> contents = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                contents.put(
                        root.relativize(f).toString(),
                        java.util.HexFormat.of()
                                .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                        .digest(Files.readAllBytes(f))));
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return contents;
    }
}
