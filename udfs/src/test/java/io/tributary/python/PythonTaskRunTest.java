package io.tributary.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.arrow.AllTypesRows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.stream.LongStream;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.SpecializedGetters;
import org.apache.spark.sql.catalyst.util.ArrayBasedMapData;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.catalyst.util.MapData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

/** The wire and the worker without Spark: real Python processes, real pyarrow, rows in and out. */
class PythonTaskRunTest {
    static final String PYTHON = System.getenv().getOrDefault("TRIBUTARY_PYTHON", "python3");
    static final StructType INPUT =
            new StructType().add("id", DataTypes.LongType).add("s", DataTypes.StringType);

    static List<String> run(String code, StructType schema, Map<String, String> options, long rows) {
        return run(code, schema, options, Map.of("who", "tests"), rows);
    }

    static List<String> run(
            String code, StructType schema, Map<String, String> options, Map<String, String> scriptConf, long rows) {
        return run(code, schema, options, scriptConf, INPUT, inputRows(rows));
    }

    /** Rows of {@link #INPUT}: (i, "s" + i) for i from 0. */
    static Iterator<InternalRow> inputRows(long rows) {
        return LongStream.range(0, rows)
                .mapToObj(i -> (InternalRow) new GenericInternalRow(new Object[] {i, UTF8String.fromString("s" + i)}))
                .iterator();
    }

    static List<String> run(
            String code,
            StructType schema,
            Map<String, String> options,
            StructType inputSchema,
            Iterator<InternalRow> input) {
        return run(code, schema, options, Map.of("who", "tests"), inputSchema, input);
    }

    static List<String> run(
            String code,
            StructType schema,
            Map<String, String> options,
            Map<String, String> scriptConf,
            StructType inputSchema,
            Iterator<InternalRow> input) {
        return run(code, schema, options, scriptConf, inputSchema, input, () -> {});
    }

    /** As above; {@code afterFirstRow} runs once the first result row has reached the JVM. */
    static List<String> run(
            String code,
            StructType schema,
            Map<String, String> options,
            Map<String, String> scriptConf,
            StructType inputSchema,
            Iterator<InternalRow> input,
            Runnable afterFirstRow) {
        PythonTransformOptions parsed = PythonTransformOptions.from(
                code, schema, options, Map.of(PythonTransformOptions.EXECUTABLE_CONF, PYTHON), scriptConf);
        PythonWorker worker = PythonWorkerPool.shared().borrow(parsed.environment());
        List<String> out = new ArrayList<>();
        try (PythonTaskRun run = new PythonTaskRun(worker, parsed, inputSchema, TaskInput.ofRows(input), null)) {
            Iterator<InternalRow> result = run.start();
            while (result.hasNext()) {
                out.add(render(result.next(), schema));
                if (out.size() == 1) {
                    afterFirstRow.run();
                }
            }
        }
        return out;
    }

    @Test
    void rowsGoThroughAndTheWorkerIsReused() {
        StructType schema = new StructType()
                .add("id", DataTypes.LongType)
                .add("t", DataTypes.StringType)
                .add("x", DataTypes.DoubleType);
        String code = """
                from pyjava.api.mlsql import RayContext
                rc = RayContext.connect(globals(), None)
                context.build_result({"id": r["id"] * 2, "t": r["s"] + context.conf["who"], "x": r["id"]}
                                     for r in rc.collect())
                """;
        PythonEnvironment env = PythonEnvironment.resolve(null, PYTHON);
        List<String> out = run(code, schema, Map.of("maxRecordsPerBatch", "7"), 20);
        assertEquals(20, out.size());
        assertEquals("0,s0tests,0.0", out.get(0));
        assertEquals("38,s19tests,19.0", out.get(19));
        assertEquals(1, PythonWorkerPool.shared().idleCount(env));
        assertEquals(List.of("3,null,null"), run("context.build_result([{'id': 3}])", schema, Map.of(), 5));
        assertEquals(1, PythonWorkerPool.shared().idleCount(env));
    }

    @Test
    void batchesAreCastWhereSafe() {
        StructType schema = new StructType().add("id", DataTypes.LongType).add("s", DataTypes.StringType);
        String code = """
                import pyarrow as pa, polars as pl
                from pyjava.api.mlsql import RayContext
                rc = RayContext.connect(globals(), None)
                context.build_result(rc.collect_batches())
                context.build_result(pl.DataFrame({"id": pl.Series([7], dtype=pl.Int32), "s": ["pl"]}))
                """;
        List<String> out = run(code, schema, Map.of(), 3);
        assertEquals(List.of("0,s0", "1,s1", "2,s2", "7,pl"), out);
    }

    @Test
    void batchesReachTheJvmWhileTheScriptStillYields() throws IOException {
        // The script yields one batch, then waits until the JVM has its rows before it yields the next: a runtime
        // that gathered several batches before writing any would leave both sides waiting, and the script fails.
        Path received = Files.createTempDirectory("tributary-stream").resolve("first-rows-received");
        String code = """
                import os, time
                from pyjava.api.mlsql import RayContext
                rc = RayContext.connect(globals(), None)
                def batches():
                    for i, batch in enumerate(rc.collect_batches()):
                        if i == 1:
                            deadline = time.monotonic() + 60
                            while not os.path.exists(context.conf["received"]):
                                if time.monotonic() > deadline:
                                    raise RuntimeError("the JVM did not get the first batch while the script yields")
                                time.sleep(0.01)
                        yield batch
                context.build_result(batches())
                """;
        List<String> out;
        try {
            Map<String, String> conf = Map.of("received", received.toString());
            out = run(code, INPUT, Map.of("maxRecordsPerBatch", "5"), conf, INPUT, inputRows(12), () -> {
                try {
                    Files.createFile(received);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } finally {
            Files.deleteIfExists(received);
            Files.delete(received.getParent());
        }
        List<String> expected =
                LongStream.range(0, 12).mapToObj(i -> i + ",s" + i).toList();
        assertEquals(expected, out);
    }

    @Test
    void mapsReachScriptsAsArrowMapsBothWays() {
        // The worker stream keeps Arrow's Map type (files and ArrowExport write maps as lists of key/value structs
        // instead): scripts get pyarrow maps, i.e. lists of (key, value) tuples, and may return dicts for maps.
        StructType input = new StructType()
                .add("id", DataTypes.LongType)
                .add("m", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType, true))
                .add(
                        "am",
                        DataTypes.createArrayType(
                                DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, true), true));
        StructType schema = new StructType()
                .add("id", DataTypes.LongType)
                .add("t", DataTypes.StringType)
                .add("back", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType, true));
        String code = """
                from pyjava.api.mlsql import RayContext
                rc = RayContext.connect(globals(), None)
                batch = next(rc.collect_batches())
                types = "%s|%s" % (batch.schema.field("m").type, batch.schema.field("am").type)
                rows = batch.to_pylist()
                context.build_result([{"id": -1, "t": types}]
                                     + [{"id": r["id"], "t": repr((r["m"], r["am"])),
                                         "back": None if r["m"] is None else dict(r["m"])} for r in rows])
                """;
        List<InternalRow> rows = List.of(
                new GenericInternalRow(new Object[] {
                    1L,
                    map(new Object[] {s("a"), s("b")}, new Object[] {7L, null}),
                    new GenericArrayData(new Object[] {map(new Object[] {s("k")}, new Object[] {s("")}), null})
                }),
                new GenericInternalRow(new Object[] {2L, null, null}));
        List<String> out = run(code, schema, Map.of(), input, rows.iterator());
        assertEquals(
                List.of(
                        "-1,map<string, int64>|list<element: map<string, string>>,null",
                        "1,([('a', 7), ('b', None)], [[('k', '')], None]),{a=7, b=null}",
                        "2,(None, None),null"),
                out);
    }

    /** A row's values joined by commas: maps as {k=v, ...}, arrays as [...], structs as (...), binary in hex. */
    static String render(InternalRow row, StructType schema) {
        StringJoiner line = new StringJoiner(",");
        for (int i = 0; i < schema.fields().length; i++) {
            line.add(render(row, i, schema.fields()[i].dataType()));
        }
        return line.toString();
    }

    private static String render(SpecializedGetters in, int ordinal, DataType type) {
        if (in.isNullAt(ordinal)) {
            return "null";
        } else if (type instanceof MapType t) {
            MapData m = in.getMap(ordinal);
            StringJoiner out = new StringJoiner(", ", "{", "}");
            for (int i = 0; i < m.numElements(); i++) {
                out.add(render(m.keyArray(), i, t.keyType()) + "=" + render(m.valueArray(), i, t.valueType()));
            }
            return out.toString();
        } else if (type instanceof ArrayType t) {
            ArrayData a = in.getArray(ordinal);
            StringJoiner out = new StringJoiner(", ", "[", "]");
            for (int i = 0; i < a.numElements(); i++) {
                out.add(render(a, i, t.elementType()));
            }
            return out.toString();
        } else if (type instanceof StructType t) {
            return "(" + render(in.getStruct(ordinal, t.size()), t) + ")";
        } else if (type instanceof BinaryType) {
            return HexFormat.of().formatHex(in.getBinary(ordinal));
        } else if (type instanceof DecimalType t) {
            return in.getDecimal(ordinal, t.precision(), t.scale()).toString();
        }
        return String.valueOf(in.get(ordinal, type));
    }

    private static UTF8String s(String value) {
        return UTF8String.fromString(value);
    }

    private static ArrayBasedMapData map(Object[] keys, Object[] values) {
        return new ArrayBasedMapData(new GenericArrayData(keys), new GenericArrayData(values));
    }

    /**
     * Every type a transform takes (arrow-bridge's all-types rows: nested, edge values, nulls at every level), 2,000
     * times over, through the identity: the rows read back are exactly the rows sent. Batches of 3,000 such rows are
     * several times the pipes' 64 KiB buffers, so each result batch is read from the worker in many reads.
     */
    @Test
    void everyTypeComesBackExactly() {
        StructType schema = AllTypesRows.SCHEMA;
        List<InternalRow> rows = new ArrayList<>();
        for (int copy = 0; copy < 2_000; copy++) {
            rows.addAll(AllTypesRows.rows());
        }
        List<String> expected = rows.stream().map(r -> render(r, schema)).toList();
        String code = """
                from pyjava.api.mlsql import RayContext
                rc = RayContext.connect(globals(), None)
                context.build_result(rc.collect_batches())
                """;
        List<String> out = run(code, schema, Map.of("maxRecordsPerBatch", "3000"), schema, rows.iterator());
        assertEquals(expected, out);
    }

    @Test
    void mismatchNamesFieldTypeValueAndRow() {
        StructType schema = new StructType().add("a", DataTypes.LongType);
        PythonTransformException e = assertThrows(
                PythonTransformException.class,
                () -> run("context.build_result([{'a': 1}, {'a': 2.5}])", schema, Map.of(), 0));
        assertTrue(
                e.getMessage()
                        .contains("row 1 does not match the declared schema: field 'a' expects bigint, "
                                + "got float 2.5 (not an integer); row: {'a': 2.5}"),
                e.getMessage());
    }

    @Test
    void scriptsRunWithTheCollectorAsTheyLeftIt() {
        // The runtime pauses the cyclic collector only inside its own row loops (building the input dicts, turning
        // returned dicts into columns): the script's code sees it on, a mismatch does not leave it off, and a
        // script that turned it off finds it still off.
        StructType schema = new StructType().add("id", DataTypes.LongType).add("t", DataTypes.StringType);
        String code = """
                import gc
                from pyjava.api.mlsql import RayContext
                rc = RayContext.connect(globals(), None)
                seen = set()
                def echo(rows):
                    for r in rows:
                        seen.add(gc.isenabled())
                        yield {"id": r["id"]}
                context.build_result(echo(rc.collect()))
                try:
                    context.build_result([{"id": 1}, {"id": True}])
                    mismatch = "none"
                except Exception as e:
                    mismatch = type(e).__name__
                after_mismatch = gc.isenabled()
                gc.disable()
                context.build_result([{"id": 100}])
                stays_off = not gc.isenabled()
                gc.enable()
                context.build_result([{"id": -1, "t": "%s %s %s %s" % (sorted(seen), mismatch, after_mismatch,
                                                                     stays_off)}])
                """;
        List<String> out = run(code, schema, Map.of("maxRecordsPerBatch", "7"), 20);
        assertEquals(22, out.size());
        assertEquals("19,null", out.get(19));
        assertEquals("100,null", out.get(20));
        assertEquals("-1,[True] SchemaMismatch True True", out.get(21));
    }

    @Test
    void whatAScriptMadeIsFreedWhenItsTaskEnds() {
        // The script's function and its globals refer to each other. gc.collect() moves them to the collector's
        // oldest generation, which a worker seldom collects: they are freed at the task's end only if the worker
        // breaks the cycle itself. The next task in the same worker looks.
        StructType schema = new StructType().add("pid", DataTypes.LongType).add("t", DataTypes.StringType);
        String first = """
                import gc, os, weakref
                import tributary_runtime
                class Data:
                    pass
                data = Data()
                def uses_data():
                    return data
                tributary_runtime.probe = weakref.ref(data)
                gc.collect()
                context.build_result([{"pid": os.getpid(), "t": "alive" if tributary_runtime.probe() else "freed"}])
                """;
        String second = """
                import os
                import tributary_runtime
                context.build_result([{"pid": os.getpid(), "t": "alive" if tributary_runtime.probe() else "freed"}])
                """;
        List<String> during = run(first, schema, Map.of(), 0);
        List<String> after = run(second, schema, Map.of(), 0);
        String pid = during.get(0).split(",")[0];
        assertEquals(List.of(pid + ",alive"), during);
        assertEquals(List.of(pid + ",freed"), after, "the same worker, after the task");
    }

    @Test
    void pythonExceptionCarriesTraceback() {
        StructType schema = new StructType().add("a", DataTypes.LongType);
        PythonTransformException e = assertThrows(
                PythonTransformException.class,
                () -> run("def f():\n    raise ValueError('boom 42')\nf()", schema, Map.of(), 10));
        assertTrue(e.getMessage().contains("Traceback"), e.getMessage());
        assertTrue(e.getMessage().contains("line 2, in f"), e.getMessage());
        assertTrue(e.getMessage().contains("ValueError: boom 42"), e.getMessage());
    }
}
