package io.tributary.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.serving.ServedPartitionRegistry;
import io.tributary.testing.BuildArtifacts;
import io.tributary.testing.CauseMessages;
import io.tributary.testing.athena.AthenaEmulator;
import io.tributary.testing.athena.S3Server;
import io.tributary.testing.ray.RayCluster;
import io.tributary.testing.spark.RayDataServersJob;
import io.tributary.testing.spark.StandaloneCluster;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Byzer-python tutorial's Ray cells against a real Ray cluster (one head node, 8 CPUs and 1 GPU declared, as
 * the tutorial starts it), through {@link ByzerCellRunner}, results through Delta. Each cell is run as written;
 * only its {@code #%env} line (the author's conda environment) and its Ray address ({@code 127.0.0.1:10001}) are
 * pointed at the test's environment and cluster.
 */
class RayModeIntegrationTest {
    private static SparkSession spark;
    private static RayCluster ray;
    private static final List<String> workerLog = new CopyOnWriteArrayList<>();

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws IOException {
        ray = RayCluster.start(ByzerPythonTutorialIntegrationTest.python(), 8, 1);
        spark = ByzerPythonTutorialIntegrationTest.pythonSession();
        spark.conf().set(PythonTransformOptions.DATA_SERVER_HOST_CONF, "127.0.0.1");
        captureWorkerLog();
    }

    @AfterAll
    static void stop() {
        if (ray != null) {
            ray.close();
        }
    }

    /** The Python workers' stderr lines (scripts' prints) as PythonWorker logs them. */
    private static void captureWorkerLog() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        AbstractAppender appender = new AbstractAppender("ray-mode-test", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                workerLog.add(event.getMessage().getFormattedMessage());
            }
        };
        appender.start();
        LoggerConfig logger = new LoggerConfig(PythonWorker.class.getName(), Level.INFO, false);
        logger.addAppender(appender, Level.INFO, null);
        config.addLogger(PythonWorker.class.getName(), logger);
        context.updateLoggers();
    }

    /** The tutorial cell, its environment and Ray address pointed at the test's. */
    static String tutorialCell(String name) throws IOException {
        return pointed(ByzerPythonTutorialIntegrationTest.cellText(name));
    }

    static String pointed(String cell) {
        Path venv =
                Path.of(ByzerPythonTutorialIntegrationTest.python()).getParent().getParent();
        return cell.replaceAll("(?m)^#%env=.*$", Matcher.quoteReplacement("#%env=" + venv))
                .replace("127.0.0.1:10001", ray.clientAddress());
    }

    /** Byzer's {@code load jsonStr.`jsonStr` as data}: one JSON object a line. */
    private static Dataset<Row> json(String... lines) {
        return spark.read().json(spark.createDataset(List.of(lines), org.apache.spark.sql.Encoders.STRING()));
    }

    private List<String> throughDelta(Dataset<Row> result, String name, String orderBy) {
        String path = tmp.resolve(name).toString();
        result.write().format("delta").mode("overwrite").save(path);
        return spark
                .read()
                .format("delta")
                .load(path)
                .orderBy(
                        orderBy.split(",")[0],
                        java.util.Arrays.copyOfRange(orderBy.split(","), 1, orderBy.split(",").length))
                .collectAsList()
                .stream()
                .map(Row::toString)
                .toList();
    }

    @Test
    void distributedHelloWorldAndForeachEchoRunInRay() throws IOException {
        ByzerPythonTutorialIntegrationTest.spark = spark;
        // More partitions than the two task slots of local[2].
        ByzerPythonTutorialIntegrationTest.json(ByzerPythonTutorialIntegrationTest.BUSINESS)
                .repartition(3)
                .createOrReplaceTempView("data");
        for (String cell : List.of("distributed_hello_world.py", "foreach_echo.py")) {
            Dataset<Row> out = ByzerCellRunner.run(spark, tutorialCell(cell));
            assertEquals(
                    ByzerPythonTutorialIntegrationTest.ECHOED, throughDelta(out, cell, "ProductName,SubProduct"), cell);
        }
    }

    @Test
    void mapIterEchoRunsInRayAndItsPrintingReachesTheWorkerLog() throws IOException {
        spark.range(0, 5000, 1, 2)
                .selectExpr("id AS Busn_A", "id * 2 AS Busn_B")
                .createOrReplaceTempView("data");
        workerLog.clear();
        Dataset<Row> out = ByzerCellRunner.run(spark, tutorialCell("map_iter_echo.py"));
        String path = tmp.resolve("map_iter").toString();
        out.write().format("delta").mode("overwrite").save(path);
        assertEquals(
                "[5000,5000,jackm,jackm,0_0,9_18]",
                spark.read()
                        .format("delta")
                        .load(path)
                        .selectExpr(
                                "count(*)",
                                "count(DISTINCT SubProduct)",
                                "min(ProductName)",
                                "max(ProductName)",
                                "min(SubProduct)",
                                "max(SubProduct)")
                        .first()
                        .toString());
        // Two partitions of 2,500 rows: the cell prints at its 1000th and 2000th row of each.
        List<String> prints =
                workerLog.stream().filter(line -> line.contains("=====> ")).toList();
        assertEquals(4, prints.size(), String.join("\n", workerLog));
        assertEquals(
                2, prints.stream().filter(line -> line.endsWith("====>1000")).count(), prints.toString());
        assertEquals(
                2, prints.stream().filter(line -> line.endsWith("====>2000")).count(), prints.toString());
    }

    @Test
    void countWorkerWithEightCpusAndAGpuOverDataServers() throws IOException {
        json(ByzerPythonTutorialIntegrationTest.BUSINESS).repartition(5).createOrReplaceTempView("data");
        Dataset<Row> out = ByzerCellRunner.run(spark, tutorialCell("count_data_servers.py"));
        assertEquals(List.of("[7]"), throughDelta(out, "count", "count"));
    }

    @Test
    void distributedProcessingWithRemoteCollectFrom() throws IOException {
        json(ByzerPythonTutorialIntegrationTest.FEATURES)
                .selectExpr("features[0] as a", "features[1] as b")
                .repartition(4)
                .createOrReplaceTempView("data1");
        Dataset<Row> out = ByzerCellRunner.run(spark, tutorialCell("ray_remote_collect_from.py"));
        ByzerPythonTutorialIntegrationTest.assertHelloContent(throughDelta(out, "content", "content,test"));
    }

    @Test
    void toDatasetToDaskThroughRayClientAsWritten() throws IOException {
        spark.range(0, 1000, 1, 4).selectExpr("id", "id * 2 AS twice").createOrReplaceTempView("mockData");
        Dataset<Row> out = ByzerCellRunner.run(spark, tutorialCell("to_dataset_to_dask.py"));
        assertEquals(List.of("[1000]"), throughDelta(out, "dask", "count"));
    }

    @Test
    void toDatasetThroughRayClientComputesDaskOnTheRayCluster() {
        spark.range(0, 1000, 1, 4).selectExpr("id", "id * 2 AS twice").createOrReplaceTempView("data");
        String cell = rayCell(
                "st(field(kind,string),field(partitions,long),field(dtypes,string),field(rows,long),"
                        + "field(twice_sum,long),field(count,long),field(pandas_sum,long),field(pids,long),"
                        + "field(in_cell,boolean),field(cell_pid,long))",
                "import pandas as pd",
                "ds = ray_context.to_dataset()",
                "df = ds.to_dask()",
                "pids = df.map_partitions(lambda p: pd.DataFrame({'pid': [os.getpid()]}),",
                "                         meta={'pid': 'int64'}).compute()['pid'].tolist()",
                "context.build_result([{'kind': type(ds).__name__, 'partitions': df.npartitions,",
                "    'dtypes': ','.join(str(t) for t in df.dtypes), 'rows': int(df.shape[0].compute()),",
                "    'twice_sum': int(df['twice'].sum().compute()), 'count': ds.count(),",
                "    'pandas_sum': int(ds.to_pandas()['id'].sum()), 'pids': len(pids), 'in_cell': os.getpid() in pids,",
                "    'cell_pid': os.getpid()}])",
                "");
        // Every block is read several times (five computations), each partition in a Ray task, not in the cell.
        Row row = ByzerCellRunner.run(spark, cell).first();
        long cellPid = row.getLong(9);
        assertEquals("[ClientDataset,4,int64,int64,1000,999000,1000,499500,4,false," + cellPid + "]", row.toString());
        // The worker is reused (the last one given back is borrowed first): Dask's scheduler is its own again.
        spark.range(0, 1, 1, 1).createOrReplaceTempView("data");
        String local = pointed(String.join(
                "\n",
                "#%python",
                "#%input=data",
                "#%schema=st(field(pid,long),field(scheduler,string))",
                "#%env=:",
                "import os, dask",
                "context.build_result([{'pid': os.getpid(), 'scheduler': str(dask.config.get('scheduler', None))}])",
                ""));
        assertEquals(
                "[" + cellPid + ",None]",
                ByzerCellRunner.run(spark, local).first().toString());
    }

    @Test
    void toDatasetThroughTheGcsAddressIsARayDataset() {
        spark.range(0, 1000, 1, 4).selectExpr("id", "id * 2 AS twice").createOrReplaceTempView("data");
        String cell = rayCell(
                        "st(field(kind,string),field(blocks,long),field(rows,long),field(twice_sum,long))",
                        "import ray.data",
                        "ds = ray_context.to_dataset()",
                        "assert isinstance(ds, ray.data.Dataset), type(ds)",
                        "df = ds.map_batches(lambda b: {'twice': b['twice']}).to_dask()",
                        "context.build_result([{'kind': type(ds).__module__ + '.' + type(ds).__name__,",
                        "    'blocks': ds.num_blocks(), 'rows': ds.count(), 'twice_sum': int(df['twice'].sum().compute())}])",
                        "")
                .replace(ray.clientAddress(), ray.gcsAddress());
        assertEquals(
                "[ray.data.dataset.MaterializedDataset,4,1000,999000]",
                ByzerCellRunner.run(spark, cell).first().toString());
    }

    @Test
    void tensorflowLinearRegressionOnOneMachineAndInARayTask() throws IOException {
        json(ByzerPythonTutorialIntegrationTest.FEATURES)
                .selectExpr("features[0] as a", "features[1] as b")
                .createOrReplaceTempView("data1");
        List<String> single =
                throughDelta(ByzerCellRunner.run(spark, tutorialCell("tensorflow_single.py")), "tf_single", "epoch");
        List<String> distributed = throughDelta(
                ByzerCellRunner.run(spark, tutorialCell("tensorflow_distributed.py")), "tf_distributed", "epoch");
        assertEquals(10, single.size(), single.toString());
        for (int epoch = 0; epoch < 10; epoch++) {
            assertTrue(single.get(epoch).startsWith("[" + epoch + ","), single.toString());
        }
        // y = 2x + 1 plus noise: the fitted slope and intercept after ten epochs.
        String[] last = single.get(9).replaceAll("[\\[\\]]", "").split(",");
        assertEquals(2.0, Double.parseDouble(last[1]), 0.3, single.get(9));
        assertEquals(1.0, Double.parseDouble(last[2]), 0.3, single.get(9));
        // The same seeded computation in a Ray worker.
        assertEquals(single, distributed);
    }

    @Test
    void athenaLibraryCellReadsItsSettingsFromContextConf() throws Exception {
        try (S3Server s3 = S3Server.start();
                AthenaEmulator athena = AthenaEmulator.start(s3, "s3://andie-huang/test/")) {
            s3.createBucket("andie-huang");
            athena.sql("CREATE SCHEMA andie_database");
            athena.sql("CREATE TABLE andie_database.test_table2 (id INTEGER, name VARCHAR, score DOUBLE)");
            athena.sql("INSERT INTO andie_database.test_table2 VALUES (1, 'a', 1.5), (2, 'b', NULL)");
            // boto3 finds the emulator through its standard endpoint variables, set by the cell's environment.
            Path env = tmp.resolve("athena-env");
            java.nio.file.Files.createDirectories(env.resolve("bin"));
            Path python = env.resolve("bin/python");
            java.nio.file.Files.writeString(
                    python,
                    String.join(
                            "\n",
                            "#!/bin/sh",
                            "export AWS_ENDPOINT_URL_ATHENA='" + athena.endpoint() + "'",
                            "export AWS_ENDPOINT_URL_S3='" + s3.endpoint() + "'",
                            "exec '" + ByzerPythonTutorialIntegrationTest.python() + "' \"$@\"",
                            ""));
            python.toFile().setExecutable(true);
            // Byzer's `set rayAddress=...; set access_id=...` become context.conf entries.
            SparkSession session = ByzerPythonTutorialIntegrationTest.pythonSession();
            java.util.Map.of(
                            "rayAddress",
                            ray.clientAddress(),
                            "access_id",
                            S3Server.ACCESS_KEY,
                            "access_key",
                            S3Server.SECRET_KEY,
                            "region",
                            "eu-west-1",
                            "database",
                            "andie_database",
                            "s3_bucket",
                            "andie-huang",
                            "s3_key",
                            "test",
                            "query",
                            "SELECT * FROM test_table2")
                    .forEach((k, v) -> session.conf().set(PythonTransformOptions.SCRIPT_CONF_PREFIX + k, v));
            String cell = ByzerPythonTutorialIntegrationTest.cellText("athena_query_schema.py")
                    .replace("#%env=:", "#%env=" + env);
            List<Row> rows = ByzerCellRunner.run(session, cell).collectAsList();
            assertEquals("[[st(field(id,string),field(name,string),field(score,string))]]", rows.toString());
            assertTrue(
                    athena.statements().contains("SELECT * FROM test_table2"),
                    athena.statements().toString());
        }
    }

    @Test
    void onAStandaloneClusterEachExecutorServesItsOwnPartitionsToRayTasks() throws Exception {
        Path work = java.nio.file.Files.createDirectories(
                Path.of("target", "ray-standalone-it").toAbsolutePath());
        Path table = work.resolve("served");
        try (StandaloneCluster cluster = StandaloneCluster.start(
                work, StandaloneCluster.testClasspath(), StandaloneCluster.testJvmFlags(), 2, 1)) {
            int exit = cluster.submit(
                    work.resolve("spark-submit.log"),
                    BuildArtifacts.pluginJar(),
                    BuildArtifacts.integrationTestsJar(),
                    RayDataServersJob.class.getName(),
                    List.of(
                            "spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension",
                            "spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog",
                            "spark.ui.enabled=false",
                            "spark.executor.memory=768m",
                            "spark.cores.max=2",
                            "spark.driver.host=127.0.0.1",
                            // Both executors registered before the first job, so both compute partitions.
                            "spark.scheduler.minRegisteredResourcesRatio=1.0",
                            "spark.scheduler.maxRegisteredResourcesWaitingTime=120s",
                            PythonTransformOptions.EXECUTABLE_CONF + "=" + ByzerPythonTutorialIntegrationTest.python()),
                    List.of(ray.clientAddress(), "6000", "6", table.toString()),
                    java.time.Duration.ofMinutes(5));
            String log = java.nio.file.Files.readString(work.resolve("spark-submit.log"));
            assertEquals(
                    0,
                    exit,
                    "spark-submit failed; its log ends with:\n" + log.substring(Math.max(0, log.length() - 4000)));
        }
        List<Row> rows = spark.read()
                .format("delta")
                .load(table.toString())
                .orderBy("partition")
                .collectAsList();
        assertEquals(6, rows.size(), rows.toString());
        for (int i = 0; i < 6; i++) {
            // spark.range(0, 6000, 1, 6): partition i holds ids i*1000 to i*1000+999.
            assertEquals(
                    "[" + i + "," + (1000L * 1000 * i + 499_500) + "]",
                    "[" + rows.get(i).getLong(1) + "," + rows.get(i).getLong(2) + "]");
            assertTrue(
                    rows.get(i).getString(0).startsWith("127.0.0.1:"),
                    rows.get(i).toString());
        }
        assertEquals(
                2,
                rows.stream().map(r -> r.getString(0)).distinct().count(),
                "the partitions were served by both executors: " + rows);
    }

    /** A cell over the view {@code data} declaring {@code schema}, connected to the test cluster. */
    private static String rayCell(String schema, String... code) {
        return pointed(String.join(
                "\n",
                "#%python",
                "#%input=data",
                "#%schema=" + schema,
                "#%env=:",
                "import os, ray",
                "from pyjava import rayfix",
                "from pyjava.api.mlsql import RayContext",
                "ray_context = RayContext.connect(globals(), '127.0.0.1:10001')",
                String.join("\n", code),
                ""));
    }

    @Test
    void remoteFunctionsRunInRayWorkerProcessesOfTheCluster() {
        spark.range(0, 3, 1, 3).createOrReplaceTempView("data");
        String cell = rayCell(
                "st(field(cell_pid,long),field(worker_pid,long),field(worker_parent,long),"
                        + "field(node_id,string),field(rows,long))",
                "@ray.remote",
                "@rayfix.last",
                "def where(ref):",
                "    rows = sum(1 for _ in RayContext.collect_from([ref]))",
                "    return os.getpid(), os.getppid(), ray.get_runtime_context().get_node_id(), rows",
                "answers = ray.get([where.remote(ref) for ref in ray_context.data_servers()])",
                "context.build_result([{'cell_pid': os.getpid(), 'worker_pid': pid, 'worker_parent': parent,",
                "                       'node_id': node, 'rows': n} for pid, parent, node, n in answers])",
                "");
        List<Row> rows = ByzerCellRunner.run(spark, cell).collectAsList();
        assertEquals(3, rows.size());
        List<Long> rayProcesses = ray.processIds();
        for (Row row : rows) {
            long cellPid = row.getLong(0);
            long workerPid = row.getLong(1);
            assertNotEquals(cellPid, workerPid);
            assertTrue(
                    ProcessHandle.current().descendants().anyMatch(p -> p.pid() == cellPid),
                    "the cell runs in a worker of this JVM");
            // Ray's workers are started by the node's raylet (and end with their job, so the worker itself may
            // be gone by now).
            assertTrue(
                    rayProcesses.contains(row.getLong(2)),
                    "worker parent " + row.getLong(2) + " is a process of the Ray cluster " + rayProcesses);
            assertTrue(
                    ProcessHandle.of(row.getLong(2))
                            .flatMap(p -> p.info().command())
                            .orElse("")
                            .endsWith("raylet"),
                    "the worker's parent is the raylet");
            // The Ray head is a child of this JVM (the fixture holds it), so a live Ray worker is a descendant of
            // this JVM too; what matters is that it is not the cell's process nor one the cell started.
            assertFalse(
                    ProcessHandle.of(cellPid)
                            .map(cellProcess -> cellProcess.descendants().anyMatch(p -> p.pid() == workerPid))
                            .orElse(false),
                    "the Ray worker " + workerPid + " is not a child of the cell " + cellPid);
            assertTrue(
                    rayProcesses.contains(workerPid)
                            || ProcessHandle.of(workerPid).isEmpty(),
                    "the Ray worker " + workerPid + ", if still alive, is a process of the Ray cluster");
            assertTrue(row.getString(3).matches("[0-9a-f]{56}"), row.getString(3));
            assertEquals(1L, row.getLong(4));
        }
    }

    @Test
    void aRayUrlConnectsThroughRayClientWhereRayDataMethodsAreRefusedSayingWhy() {
        spark.range(0, 4, 1, 2).createOrReplaceTempView("data");
        String cell = rayCell(
                "st(field(doubled,long),field(map_batches,string))",
                "ray_context = RayContext.connect(globals(), 'ray://127.0.0.1:10001')",
                "@ray.remote",
                "def double(x):",
                "    return 2 * x",
                "try:",
                "    ray_context.to_dataset().map_batches(lambda batch: batch)",
                "    refused = 'not refused'",
                "except NotImplementedError as e:",
                "    refused = str(e)",
                "context.build_result([{'doubled': ray.get(double.remote(21)), 'map_batches': refused}])",
                "");
        Row row = ByzerCellRunner.run(spark, cell).first();
        assertEquals(42L, row.getLong(0));
        assertEquals(
                "to_dataset() through Ray Client: Dataset.map_batches needs Ray Data, which does not run through Ray "
                        + "Client (Ray 2.58.0); this dataset has count, num_blocks, schema, to_arrow_refs, to_dask, "
                        + "to_pandas. For the whole Ray Dataset API connect to the cluster's GCS address instead "
                        + "(RayContext.connect(globals(), '<head>:6379'); ray start --port, 6379 by default), which "
                        + "needs a Ray node on the machine the script runs on",
                row.getString(1));
    }

    /** Runs a failing cell into a Delta table holding one version; returns the error's messages. */
    private String failsLeavingDeltaAsItWas(String cell, String schemaOfPrevious) {
        String path = tmp.resolve("target").toString();
        Dataset<Row> previous = spark.sql("SELECT " + schemaOfPrevious);
        previous.write().format("delta").save(path);
        Throwable error = assertThrows(
                Exception.class,
                () -> ByzerCellRunner.run(spark, cell)
                        .write()
                        .format("delta")
                        .mode("overwrite")
                        .save(path));
        assertEquals(
                0L,
                spark.sql("DESCRIBE HISTORY delta.`" + path + "`")
                        .selectExpr("max(version)")
                        .first()
                        .getLong(0));
        assertEquals(
                previous.collectAsList(),
                spark.read().format("delta").load(path).collectAsList());
        assertEquals(0, ServedPartitionRegistry.shared().size(), "a failed transform's references are released");
        String messages = CauseMessages.of(error);
        Matcher secret = Pattern.compile("[0-9a-f]{64}").matcher(messages);
        while (secret.find()) {
            assertEquals("0".repeat(64), secret.group(), "a secret in the error: " + messages);
        }
        return messages;
    }

    @Test
    void aRayTaskThatRaisesFailsTheTransform() {
        spark.range(0, 4, 1, 2).createOrReplaceTempView("data");
        String messages = failsLeavingDeltaAsItWas(
                rayCell(
                        "st(field(n,long))",
                        "@ray.remote",
                        "def explode(ref):",
                        "    raise ValueError('boom in a Ray task')",
                        "context.build_result([{'n': ray.get(explode.remote(r))} for r in ray_context.data_servers()])",
                        ""),
                "7L AS n");
        assertTrue(messages.contains("The Python transform failed:"), messages);
        assertTrue(messages.contains("RayTaskError(ValueError)"), messages);
        assertTrue(messages.contains("ValueError: boom in a Ray task"), messages);
    }

    @Test
    void anUnreachableAddressFailsNamingItAndTheFix() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        spark.range(0, 2).createOrReplaceTempView("data");
        String messages = failsLeavingDeltaAsItWas(
                rayCell("st(field(n,long))", "context.build_result([{'n': 1}])")
                        .replace(ray.clientAddress(), "127.0.0.1:" + closed),
                "7L AS n");
        assertTrue(
                messages.contains("RayConnectError: Cannot connect to the Ray cluster at '127.0.0.1:" + closed
                        + "': Connection refused; check that the address is the cluster's Ray Client server"),
                messages);
    }

    @Test
    void aReferenceFetchedTwiceFails() {
        spark.range(0, 4, 1, 2).createOrReplaceTempView("data");
        String messages = failsLeavingDeltaAsItWas(
                rayCell(
                        "st(field(n,long))",
                        "@ray.remote",
                        "def twice(ref):",
                        "    return sum(1 for _ in RayContext.collect_from([ref, ref]))",
                        "context.build_result([{'n': ray.get(twice.remote(ray_context.data_servers()[0]))}])",
                        ""),
                "7L AS n");
        assertTrue(
                Pattern.compile("DataServerError: The data server refused partition 0 of serving [0-9a-f]{16} "
                                + "at 127\\.0\\.0\\.1:\\d+: partition 0 of serving [0-9a-f]{16} was fetched already; each "
                                + "reference can be read once")
                        .matcher(messages)
                        .find(),
                messages);
    }

    @Test
    void aWrongSecretIsRefused() {
        spark.range(0, 4, 1, 2).createOrReplaceTempView("data");
        String messages = failsLeavingDeltaAsItWas(
                rayCell(
                        "st(field(n,long))",
                        "@ray.remote",
                        "def count(ref):",
                        "    return sum(1 for _ in RayContext.collect_from([ref]))",
                        "forged = ray_context.data_servers()[1].split('#')[0] + '#' + '0' * 64",
                        "context.build_result([{'n': ray.get(count.remote(forged))}])",
                        ""),
                "7L AS n");
        assertTrue(
                Pattern.compile("DataServerError: The data server refused partition 1 of serving [0-9a-f]{16} "
                                + "at 127\\.0\\.0\\.1:\\d+: Wrong secret for partition 1 of serving [0-9a-f]{16}")
                        .matcher(messages)
                        .find(),
                messages);
    }

    @Test
    void servedInputIsReleasedAndNothingIsLeftRunning() throws Exception {
        spark.range(0, 6, 1, 3).createOrReplaceTempView("data");
        // One reference fetched, two never: the transform's end releases them all.
        String cell = rayCell(
                "st(field(n,long))",
                "context.build_result([{'n': sum(1 for _ in RayContext.collect_from(ray_context.data_servers()[:1]))}])",
                "");
        assertEquals("[2]", ByzerCellRunner.run(spark, cell).first().toString());
        assertEquals(0, ServedPartitionRegistry.shared().size());
        // Every connection to the partition server was closed: its handler threads end after 5 s idle.
        waitUntil(
                () -> io.tributary.serving.PartitionServer.on("127.0.0.1").handlerThreads() == 0,
                "the partition server's handler threads end");
        PythonWorkerPool.shared().stopAll();
        waitUntil(
                () -> ProcessHandle.current()
                        .descendants()
                        .noneMatch(p ->
                                p.isAlive() && p.info().commandLine().orElse("").contains("tributary_runtime")),
                "the Python workers exit");
    }

    private static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(100);
        }
    }
}
