package io.tributary.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.testing.BuildArtifacts;
import io.tributary.testing.athena.AthenaEmulator;
import io.tributary.testing.athena.S3Server;
import io.tributary.testing.prometheus.NodeMemoryHistory;
import io.tributary.testing.prometheus.PrometheusServer;
import io.tributary.testing.spark.SecretConfsJob;
import java.io.File;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A driver started by spark-submit (with the plugin, or with the jar alone), with the event log and the UI (on
 * loopback), gets Tributary secrets as launch-time {@code --conf}s, by {@code spark.conf().set} and by SQL
 * {@code SET}, and runs a Prometheus read and an {@code athena_query} that use them ({@link SecretConfsJob}). Then
 * the event log, the UI's REST answers and SQL pages and the driver's own log are searched for the secrets: none may
 * be there, and the keys must be there with Spark's redaction text, which shows the search looked where Spark shows
 * confs. Each driver has its own JVM, since the test JVM's one session runs without event log or UI.
 */
class SecretConfRedactionIntegrationTest {
    private static final Instant START = Instant.parse("2023-01-01T00:00:00Z");
    private static final String REDACTED = "*********(redacted)";
    /** The confs the job sets by SQL SET (the bearer token it sets by spark.conf().set). */
    private static final List<String> SET_KEYS = List.of(
            "spark.tributary.athena.accessKeyId",
            "spark.tributary.athena.secretAccessKey",
            "spark.tributary.athena.sessionToken",
            "spark.tributary.python.conf.apiToken");

    @Test
    void withThePluginNoSecretShowsAnywhere() throws Exception {
        Run run = Run.sparkSubmit(true);
        run.assertNoSecretIn(run.files());

        String eventLog = run.eventLog();
        // The environment record (launch-time confs, and spark-submit's command line, which carries them).
        assertContains(eventLog, "\"spark.tributary.prometheus.header.X-Scope-OrgID\":\"" + REDACTED + "\"");
        assertContains(eventLog, "\"spark.tributary.python.conf.dsn\":\"" + REDACTED + "\"");
        assertContains(eventLog, "\"sun.java.command\":\"" + REDACTED + "\"");
        // Job and stage properties, which carry the session's confs, and the SQL executions' modified confs.
        assertContains(eventLog, "\"spark.tributary.prometheus.bearerToken\":\"" + REDACTED + "\"");
        for (String key : SET_KEYS) {
            assertContains(eventLog, "\"" + key + "\":\"" + REDACTED + "\"");
            // The SET statement's plan, in the UI's formatted explain mode: "Arguments: (key,Some(value))".
            assertContains(eventLog, "Arguments: (" + key + ",Some(" + REDACTED);
        }
        assertContains(eventLog, "\"description\":\"SET spark.tributary.athena.sessionToken=" + REDACTED + "\"");
        run.assertUiRedacts();
    }

    /**
     * Without {@code spark.plugins}, the session extensions (loaded from the jar's service file) install the redaction
     * once the SparkContext has started: the UI (which redacts when it serves a page) and the event log's SQL
     * execution records hide every secret; the event log's first environment record and its job properties are the
     * plugin's part (see the README's Security section).
     */
    @Test
    void withTheJarAloneTheUiAndTheSqlRecordsShowNoSecret() throws Exception {
        Run run = Run.sparkSubmit(false);
        Map<String, String> ui = new LinkedHashMap<>(run.uiFiles);
        ui.put("driver log", run.driverLog);
        run.assertNoSecretIn(ui);

        List<String> sqlRecords = run.eventLog()
                .lines()
                .filter(line -> line.startsWith("{\"Event\":\"org.apache.spark.sql.execution.ui.SparkListenerSQL"))
                .toList();
        assertEquals(
                12,
                sqlRecords.stream()
                        .filter(line -> line.contains("SparkListenerSQLExecutionStart\""))
                        .count(),
                "4 SET statements, the Prometheus count, the athena_query, and the 3 statements whose answers are collected"
                        + " (each runs as a command, then its answer is collected)");
        run.assertNoSecretIn(Map.of("the event log's SQL records", String.join("\n", sqlRecords)));
        for (String key : SET_KEYS) {
            assertContains(String.join("\n", sqlRecords), "\"" + key + "\":\"" + REDACTED + "\""); // modified confs
            assertContains(String.join("\n", sqlRecords), "Arguments: (" + key + ",Some(" + REDACTED);
        }
        assertContains(
                String.join("\n", sqlRecords),
                "\"description\":\"SET spark.tributary.athena.sessionToken=" + REDACTED + "\"");
        run.assertUiRedacts();
    }

    /** One driver's run: what it left in its event log, UI answers and log. */
    private static final class Run {
        final Map<String, String> secrets = new LinkedHashMap<>();
        final Map<String, String> eventLogFiles;
        final Map<String, String> uiFiles;
        final String driverLog;

        private Run(
                Map<String, String> secrets,
                Map<String, String> eventLogFiles,
                Map<String, String> uiFiles,
                String driverLog) {
            this.secrets.putAll(secrets);
            this.eventLogFiles = eventLogFiles;
            this.uiFiles = uiFiles;
            this.driverLog = driverLog;
        }

        /** Runs {@link SecretConfsJob} by spark-submit, with or without the plugin, and checks its reads' results. */
        static Run sparkSubmit(boolean withPlugin) throws Exception {
            Path work =
                    Files.createDirectories(Path.of("target", "secret-confs-it").toAbsolutePath());
            Path eventLogs = Files.createTempDirectory(work, "event-log");
            Path ui = Files.createTempDirectory(work, "ui");
            Path log = Files.createTempFile(work, "spark-submit", ".log");
            Map<String, String> secrets = new LinkedHashMap<>();
            for (String name : List.of(
                    "orgId",
                    "launchDsn",
                    "bearerToken",
                    "accessKeyId",
                    "secretAccessKey",
                    "sessionToken",
                    "scriptToken",
                    "optionOrgId")) {
                secrets.put(name, name + "-" + UUID.randomUUID());
            }
            NodeMemoryHistory history = NodeMemoryHistory.builder()
                    .instances(1)
                    .start(START)
                    .duration(Duration.ofMinutes(30))
                    .build();
            history.writeOpenMetrics(work.resolve("history.om"));

            try (PrometheusServer prometheus =
                            PrometheusServer.start(work.resolve("prometheus"), work.resolve("history.om"));
                    S3Server s3 = S3Server.start();
                    AthenaEmulator athena = startAthena(s3)) {
                Properties job = new Properties();
                job.setProperty("prometheusUrl", prometheus.url());
                job.setProperty("metric", NodeMemoryHistory.ACTIVE);
                job.setProperty("start", START.toString());
                job.setProperty("end", history.lastSampleTime().toString());
                job.setProperty("athenaEndpoint", athena.endpoint().toString());
                secrets.forEach(job::setProperty);
                Path jobFile = Files.createTempFile(work, "job", ".properties");
                try (Writer writer = Files.newBufferedWriter(jobFile, StandardCharsets.UTF_8)) {
                    job.store(writer, null);
                }
                List<String> arguments = new ArrayList<>();
                if (withPlugin) {
                    arguments.addAll(List.of("--conf", "spark.plugins=io.tributary.spark.TributaryPlugin"));
                }
                arguments.addAll(List.of(
                        "--conf",
                        "spark.eventLog.enabled=true",
                        "--conf",
                        "spark.eventLog.dir=" + eventLogs.toUri(),
                        "--conf",
                        "spark.eventLog.compress=false",
                        "--conf",
                        "spark.ui.enabled=true",
                        "--conf",
                        "spark.ui.port=0",
                        "--conf",
                        "spark.tributary.prometheus.header.X-Scope-OrgID=" + secrets.get("orgId"),
                        "--conf",
                        "spark.tributary.python.conf.dsn=" + secrets.get("launchDsn"),
                        "--class",
                        SecretConfsJob.class.getName(),
                        BuildArtifacts.integrationTestsJar().toAbsolutePath().toString(),
                        ui.toString(),
                        jobFile.toString()));
                runSparkSubmit(log, arguments);
            }

            long gridPoints = Duration.between(START, history.lastSampleTime()).dividedBy(Duration.ofSeconds(15)) + 1;
            assertEquals(
                    gridPoints + " 42", Files.readString(ui.resolve("result.txt")), "both reads ran with the secrets");
            return new Run(secrets, readAll(eventLogs), readAll(ui), Files.readString(log, StandardCharsets.UTF_8));
        }

        Map<String, String> files() {
            Map<String, String> all = new LinkedHashMap<>(eventLogFiles);
            all.putAll(uiFiles);
            all.put("driver log", driverLog);
            return all;
        }

        /** Spark 4 writes the event log as a directory of event files (with rolling off, one) and a status file. */
        String eventLog() {
            return String.join(
                    "\n",
                    eventLogFiles.entrySet().stream()
                            .filter(file -> Path.of(file.getKey())
                                    .getFileName()
                                    .toString()
                                    .startsWith("events_"))
                            .map(Map.Entry::getValue)
                            .toList());
        }

        void assertNoSecretIn(Map<String, String> files) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                for (Map.Entry<String, String> secret : secrets.entrySet()) {
                    assertFalse(
                            file.getValue().contains(secret.getValue()),
                            secret.getKey() + " shows in " + file.getKey());
                }
            }
        }

        /** The keys are where the UI and SQL show confs, with Spark's redaction text for values. */
        void assertUiRedacts() {
            String environment = uiFile("environment.json").replaceAll("\\s+", "");
            assertContains(environment, "[\"spark.tributary.prometheus.header.X-Scope-OrgID\",\"" + REDACTED + "\"]");
            assertContains(environment, "[\"spark.tributary.python.conf.dsn\",\"" + REDACTED + "\"]");
            String sql = uiFile("sql.json");
            assertContains(sql, "Arguments: (spark.tributary.athena.secretAccessKey,Some(" + REDACTED);
            assertContains(sql, "Arguments: (spark.tributary.python.conf.apiToken,Some(" + REDACTED);
            assertContains(sql, "\"description\" : \"SET spark.tributary.athena.sessionToken=" + REDACTED + "\"");
            String pages = String.join(
                    "\n",
                    uiFiles.entrySet().stream()
                            .filter(file -> file.getKey().endsWith(".html"))
                            .map(Map.Entry::getValue)
                            .toList());
            assertContains(pages, "spark.tributary.athena.sessionToken");
            assertTrue(pages.contains(REDACTED), "the SQL pages show the modified confs redacted");
            String answers = uiFile("sql-answers.txt");
            assertTrue(answers.startsWith("spark.tributary.athena.secretAccessKey\t" + REDACTED + "\n"), answers);
            assertContains(answers, "spark.tributary.prometheus.bearerToken\t" + REDACTED + "\n");
            assertContains(answers, "SetCommand (spark.tributary.athena.sessionToken,Some(" + REDACTED);
            assertContains(uiFile("streaming-plan.txt"), "header.X-Scope-OrgID=" + REDACTED);
        }

        private String uiFile(String name) {
            return uiFiles.entrySet().stream()
                    .filter(file -> file.getKey().endsWith(File.separator + name))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElseThrow();
        }
    }

    private static AthenaEmulator startAthena(S3Server s3) throws Exception {
        s3.createBucket("athena-results");
        return AthenaEmulator.start(s3, "s3://athena-results/queries/");
    }

    private static void assertContains(String text, String expected) {
        assertTrue(text.contains(expected), "expected to find " + expected);
    }

    /** Every file under {@code dir}, by path. */
    private static Map<String, String> readAll(Path dir) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                files.put(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return files;
    }

    /** spark-submit, local[2], with the plugin jar as users pass it; the UI and the driver bound to loopback. */
    private static void runSparkSubmit(Path log, List<String> arguments) throws Exception {
        List<String> classpath = Arrays.asList(
                Files.readString(Path.of("target", "classpath.txt")).trim().split(File.pathSeparator));
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String flag :
                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (flag.startsWith("--add-") || flag.startsWith("-XX:+Ignore") || flag.startsWith("-Dio.netty")) {
                command.add(flag);
            }
        }
        command.addAll(List.of(
                "-cp",
                String.join(File.pathSeparator, classpath),
                "org.apache.spark.deploy.SparkSubmit",
                "--master",
                "local[2]",
                "--jars",
                BuildArtifacts.pluginJar().toAbsolutePath().toString(),
                "--conf",
                "spark.driver.host=127.0.0.1",
                "--conf",
                "spark.driver.bindAddress=127.0.0.1",
                "--conf",
                "spark.sql.shuffle.partitions=2"));
        command.addAll(arguments);
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1"); // the UI binds to it
        Process process = builder.start();
        boolean finished = process.waitFor(4, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(
                0,
                finished ? process.exitValue() : -1,
                "spark-submit failed; its log ends with:\n" + output.substring(Math.max(0, output.length() - 4000)));
    }
}
