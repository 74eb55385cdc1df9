package io.tributary.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Byzer cells, first the Byzer-python tutorial's own (copied verbatim into test resources), then the rules one by one. */
class ByzerCellTest {

    private static String seedCell(String name) throws IOException {
        try (InputStream in = ByzerCellTest.class.getResourceAsStream("/byzer-cells/" + name + ".cell")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Map<String, String> ordered(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static String error(String cell) {
        return assertThrows(IllegalArgumentException.class, () -> ByzerCell.parse(cell))
                .getMessage();
    }

    /** Every line of the code is the cell's line, or empty where the cell has an annotation. */
    private static void assertLinesKept(String cell, ByzerCell parsed) {
        List<String> cellLines = cell.lines().toList();
        List<String> codeLines = parsed.code().lines().toList();
        assertEquals(cellLines.size(), codeLines.size());
        for (int i = 0; i < cellLines.size(); i++) {
            String expected = cellLines.get(i).strip().startsWith("#%") ? "" : cellLines.get(i);
            assertEquals(expected, codeLines.get(i), "line " + (i + 1));
        }
    }

    @Test
    void helloWorld() throws IOException {
        String cell = seedCell("hello-world");
        ByzerCell parsed = ByzerCell.parse(cell);
        assertEquals(
                ordered(
                        "input",
                        "command",
                        "output",
                        "output",
                        "schema",
                        "st(field(hello,string))",
                        "runIn",
                        "driver",
                        "dataMode",
                        "model",
                        "cache",
                        "false",
                        "env",
                        "source /opt/miniconda3/bin/activate ray1.8.0"),
                parsed.annotations());
        assertEquals("\n".repeat(9) + "context.build_result([{\"hello\":\"world\"}])\n", parsed.code());
        assertEquals(Optional.of("command"), parsed.input());
        assertEquals(Optional.of("output"), parsed.output());
        assertEquals(Optional.of("st(field(hello,string))"), parsed.schema());
        assertEquals(Optional.of("source /opt/miniconda3/bin/activate ray1.8.0"), parsed.env());
    }

    @Test
    void addOneKeepsItsCodeAndLineNumbers() throws IOException {
        String cell = seedCell("add-one-collect");
        ByzerCell parsed = ByzerCell.parse(cell);
        assertEquals(
                ordered(
                        "input",
                        "mockTable",
                        "output",
                        "mockTable2",
                        "schema",
                        "st(field(a,long))",
                        "runIn",
                        "driver",
                        "dataMode",
                        "model",
                        "cache",
                        "true",
                        "env",
                        "source /opt/miniconda3/bin/activate ray1.8.0"),
                parsed.annotations());
        assertLinesKept(cell, parsed);
        // The traceback of a failing "item["a"] + 1" names line 19, the cell's line 19.
        assertEquals(
                "        item[\"a\"] = item[\"a\"] + 1",
                parsed.code().lines().toList().get(18));
    }

    @Test
    void envBeforePythonMarker() throws IOException {
        for (String name : List.of("foreach-env-first", "map-iter-echo")) {
            String cell = seedCell(name);
            ByzerCell parsed = ByzerCell.parse(cell);
            assertEquals(
                    ordered(
                            "env",
                            "source /usr/local/Caskroom/miniconda/base/bin/activate dev2",
                            "input",
                            "data",
                            "dataMode",
                            "data",
                            "schema",
                            "st(field(ProductName,string),field(SubProduct,string))"),
                    parsed.annotations(),
                    name);
            assertLinesKept(cell, parsed);
        }
    }

    @Test
    void fileSchemaCell() throws IOException {
        ByzerCell parsed = ByzerCell.parse(seedCell("file-schema"));
        assertEquals(
                ordered(
                        "input",
                        "final_cifar10",
                        "output",
                        "cifar10_model",
                        "cache",
                        "true",
                        "schema",
                        "file",
                        "dataMode",
                        "model",
                        "env",
                        "source /opt/miniconda3/bin/activate ray1.8.0"),
                parsed.annotations());
        assertEquals(
                DeclaredSchemaParser.FILE_SCHEMA,
                DeclaredSchemaParser.parse(parsed.schema().orElseThrow()));
    }

    @Test
    void daskCellUsesModeAndNoOutput() throws IOException {
        ByzerCell parsed = ByzerCell.parse(seedCell("dask-mode-model"));
        assertEquals(
                ordered(
                        "input",
                        "mockData",
                        "schema",
                        "st(field(count,long))",
                        "runIn",
                        "driver",
                        "mode",
                        "model",
                        "env",
                        "source /opt/miniconda3/bin/activate ray1.8.0"),
                parsed.annotations());
        assertEquals(Optional.empty(), parsed.output());
    }

    @Test
    void breastCancerCellsSchemaWithItsExtraParenthesisParses() throws IOException {
        for (String name : List.of("breast-cancer-list", "breast-cancer-generator")) {
            ByzerCell parsed = ByzerCell.parse(seedCell(name));
            assertEquals(Optional.of("st(field(features,array(double)),field(label,long)))"), parsed.schema());
            assertEquals(
                    DataTypes.createStructType(List.of(
                            DataTypes.createStructField(
                                    "features", DataTypes.createArrayType(DataTypes.DoubleType), true),
                            DataTypes.createStructField("label", DataTypes.LongType, true))),
                    DeclaredSchemaParser.parse(parsed.schema().orElseThrow()),
                    name);
        }
    }

    @Test
    void everySeedCellParsesAndItsSchemaToo() throws IOException {
        Map<String, StructType> expected = new LinkedHashMap<>();
        StructType productSchema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("ProductName", DataTypes.StringType, true),
                DataTypes.createStructField("SubProduct", DataTypes.StringType, true)));
        StructType countSchema =
                DataTypes.createStructType(List.of(DataTypes.createStructField("count", DataTypes.LongType, true)));
        StructType contentTest = DataTypes.createStructType(List.of(
                DataTypes.createStructField("content", DataTypes.StringType, true),
                DataTypes.createStructField("test", DataTypes.StringType, true)));
        StructType epochs = DataTypes.createStructType(List.of(
                DataTypes.createStructField("epoch", DataTypes.StringType, true),
                DataTypes.createStructField("k", DataTypes.StringType, true),
                DataTypes.createStructField("b", DataTypes.StringType, true)));
        expected.put("distributed-foreach-echo", productSchema);
        expected.put("count-data-servers", countSchema);
        expected.put("collect-from-data-servers", contentTest);
        expected.put("ray-remote-collect-from", contentTest);
        expected.put("tensorflow-single", epochs);
        expected.put("tensorflow-distributed", epochs);
        expected.put(
                "html-report",
                DataTypes.createStructType(List.of(
                        DataTypes.createStructField("content", DataTypes.StringType, true),
                        DataTypes.createStructField("mime", DataTypes.StringType, true))));
        for (Map.Entry<String, StructType> entry : expected.entrySet()) {
            String cell = seedCell(entry.getKey());
            ByzerCell parsed = ByzerCell.parse(cell);
            assertEquals(
                    entry.getValue(), DeclaredSchemaParser.parse(parsed.schema().orElseThrow()), entry.getKey());
            assertLinesKept(cell, parsed);
        }
    }

    @Test
    void keysKeepTheCellsOrderKnownKeysTakeTheirCanonicalSpellingOthersAreKept() {
        ByzerCell parsed = ByzerCell.parse(
                "#%DATAMODE=data\n#%confTable=conf\n#%RunIn = executor \n" + "#%Schema=st(field(a,long))\nx = 1\n");
        assertEquals(
                ordered("dataMode", "data", "confTable", "conf", "runIn", "executor", "schema", "st(field(a,long))"),
                parsed.annotations());
        assertEquals(
                List.of("dataMode", "confTable", "runIn", "schema"),
                List.copyOf(parsed.annotations().keySet()));
    }

    @Test
    void annotationsAreUnmodifiable() {
        ByzerCell parsed = ByzerCell.parse("#%input=a\nx = 1\n");
        assertThrows(
                UnsupportedOperationException.class, () -> parsed.annotations().put("output", "b"));
    }

    @Test
    void absentAnnotationsAreEmptyOptionals() {
        ByzerCell parsed = ByzerCell.parse("context.build_result([])");
        assertEquals(Map.of(), parsed.annotations());
        assertEquals(Optional.empty(), parsed.input());
        assertEquals(Optional.empty(), parsed.output());
        assertEquals(Optional.empty(), parsed.schema());
        assertEquals(Optional.empty(), parsed.env());
        assertEquals("context.build_result([])", parsed.code());
    }

    @Test
    void valuesMayContainEqualsSignsAndColon() {
        ByzerCell parsed = ByzerCell.parse("#%env=:\n#%schema=a INT COMMENT 'x=y'\nx = 1");
        assertEquals(Optional.of(":"), parsed.env());
        assertEquals(Optional.of("a INT COMMENT 'x=y'"), parsed.schema());
    }

    @Test
    void annotationsAmongLeadingCommentsAndBlankLines() {
        String cell = "# a comment about the cell\n\n  #%input=t\n#%% an IDE cell separator\n#%python\n\nprint(1)\n";
        ByzerCell parsed = ByzerCell.parse(cell);
        assertEquals(ordered("input", "t"), parsed.annotations());
        assertEquals("# a comment about the cell\n\n\n#%% an IDE cell separator\n\n\nprint(1)\n", parsed.code());
    }

    @Test
    void lineEndingsAreKept() {
        assertEquals(
                "\r\n\r\nprint(1)\r\nprint(2)",
                ByzerCell.parse("#%python\r\n#%input=t\r\nprint(1)\r\nprint(2)").code());
        assertEquals(
                "\r\rprint(1)\r",
                ByzerCell.parse("#%python\r#%input=t\rprint(1)\r").code());
    }

    @Test
    void otherLanguagesAreRejectedByName() {
        assertEquals(
                "Byzer cell line 2: the cell is marked as 'sql' (#%sql); only Python cells (#%python) run here",
                error("#%input=t\n#%sql\nselect 1"));
        assertEquals(
                "Byzer cell line 1: the cell is marked as 'scala' (#%scala); only Python cells (#%python) run"
                        + " here",
                error("#%scala\nprintln(1)"));
    }

    @Test
    void pythonMarkerInAnyCaseIsAccepted() {
        assertEquals(Map.of(), ByzerCell.parse("#%Python\nprint(1)").annotations());
    }

    @Test
    void duplicateKeysNameTheKeyAndBothLines() {
        assertEquals(
                "Byzer cell: annotation 'schema' appears twice, on line 2 and line 4 (keys are compared ignoring"
                        + " case); keep one",
                error("#%python\n#%schema=st(field(a,long))\n#%input=t\n#%schema=file\nx = 1"));
        assertEquals(
                "Byzer cell: annotation 'datamode' appears twice, on line 1 and line 2 (keys are compared"
                        + " ignoring case); keep one",
                error("#%dataMode=model\n#%datamode=data\nx = 1"));
        assertEquals(
                "Byzer cell: #%python appears twice, on line 1 and line 3 (keys are compared ignoring case);"
                        + " keep one",
                error("#%python\n#%input=t\n#%python\nx = 1"));
    }

    @Test
    void emptyKeysValuesAndMarkersAreRejected() {
        assertEquals("Byzer cell line 2: annotation 'output' has no value after '='", error("#%python\n#%output=\nx"));
        assertEquals(
                "Byzer cell line 1: '' is not an annotation name; expected #%key=value with a key of letters,"
                        + " digits, '_', '.' or '-'",
                error("#%=x\nx = 1"));
        assertEquals(
                "Byzer cell line 1: 'my key' is not an annotation name; expected #%key=value with a key of"
                        + " letters, digits, '_', '.' or '-'",
                error("#%my key=x\nx = 1"));
        assertEquals(
                "Byzer cell line 1: '#%' is neither a language marker (#%python) nor an annotation" + " (#%key=value)",
                error("#%\nx = 1"));
    }

    @Test
    void annotationsAfterTheCodeAreRejected() {
        assertEquals(
                "Byzer cell line 4: '#%schema=st(field(a,long))' comes after the code, which starts at line 2;"
                        + " #% annotations must come before the first line of code",
                error("#%python\nimport os\n\n#%schema=st(field(a,long))\nx = 1"));
        assertEquals(
                "Byzer cell line 2: '#%python' comes after the code, which starts at line 1; #% annotations must"
                        + " come before the first line of code",
                error("x = 1\n#%python"));
    }

    @Test
    void percentCommentsThatAreNotAnnotationsMayFollowTheCode() {
        String cell = "#%input=t\nx = 1\n#%% next section\n#% 50 percent done\n";
        assertEquals(
                "\nx = 1\n#%% next section\n#% 50 percent done\n",
                ByzerCell.parse(cell).code());
    }

    @Test
    void aCellWithoutCodeIsRejected() {
        assertEquals(
                "Byzer cell has no Python code: its 3 line(s) hold only annotations, comments or blank lines",
                error("#%python\n#%input=t\n# nothing yet\n"));
        assertEquals(
                "Byzer cell has no Python code: its 0 line(s) hold only annotations, comments or blank lines",
                error(""));
    }
}
