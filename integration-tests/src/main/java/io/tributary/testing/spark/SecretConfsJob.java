package io.tributary.testing.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The job the secret-redaction test submits with spark-submit (event log and UI on): secrets arrive as launch-time
 * {@code --conf}s, by {@code spark.conf().set} and by SQL {@code SET}; a Prometheus read and an {@code athena_query}
 * use them; then the job saves what the UI's REST API and SQL pages show, and stops (which completes the event log).
 * Arguments: {@code <output directory> <properties file>}; the file holds {@code prometheusUrl}, {@code metric},
 * {@code start}, {@code end}, {@code athenaEndpoint}, and the secrets {@code bearerToken}, {@code accessKeyId},
 * {@code secretAccessKey}, {@code sessionToken}, {@code scriptToken} and {@code optionOrgId} (a read option). Writes
 * {@code result.txt}: the Prometheus row count and the Athena answer; {@code sql-answers.txt}: what {@code SET key},
 * {@code SET} and {@code EXPLAIN SET ...} answer; and {@code streaming-plan.txt}: a streaming Prometheus read's plan.
 */
public final class SecretConfsJob {
    private SecretConfsJob() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Properties job = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of(args[1]), StandardCharsets.UTF_8)) {
            job.load(reader);
        }
        SparkSession spark = SparkSession.builder().getOrCreate();
        spark.conf().set("spark.tributary.prometheus.bearerToken", job.getProperty("bearerToken"));
        spark.sql("SET spark.tributary.athena.accessKeyId=" + job.getProperty("accessKeyId"));
        spark.sql("SET spark.tributary.athena.secretAccessKey=" + job.getProperty("secretAccessKey"));
        // As the Thrift server does, the statement's text is the description the SQL tab shows.
        String setSessionToken = "SET spark.tributary.athena.sessionToken=" + job.getProperty("sessionToken");
        spark.sparkContext().setJobDescription(setSessionToken);
        spark.sql(setSessionToken);
        spark.sparkContext().setJobDescription(null);
        spark.sql("SET spark.tributary.python.conf.apiToken=" + job.getProperty("scriptToken"));

        long samples = spark.read()
                .format("prometheus")
                .option("url", job.getProperty("prometheusUrl"))
                .option("metrics", job.getProperty("metric"))
                .option("start", job.getProperty("start"))
                .option("end", job.getProperty("end"))
                .load()
                .count();
        List<Row> answer = spark.sql("SELECT answer FROM athena_query('SELECT 42 AS answer', map('endpoint', '"
                        + job.getProperty("athenaEndpoint")
                        + "', 'region', 'us-east-1', 'fetchMode', 'api', 'pollInterval', "
                        + "'20ms'))")
                .collectAsList();
        Files.writeString(
                out.resolve("result.txt"), samples + " " + answer.get(0).get(0));
        // What SQL itself answers about the secrets: SET with a key, SET alone, and EXPLAIN of a SET statement.
        List<String> shown = new ArrayList<>();
        for (String statement : List.of(
                "SET spark.tributary.athena.secretAccessKey",
                "SET",
                "EXPLAIN EXTENDED SET spark.tributary.athena.sessionToken=" + job.getProperty("sessionToken"))) {
            for (Row row : spark.sql(statement).collectAsList()) {
                shown.add(row.mkString("\t"));
            }
        }
        Files.write(out.resolve("sql-answers.txt"), shown, StandardCharsets.UTF_8);
        // A streaming source's plan prints its read options.
        String streamingPlan = spark.readStream()
                .format("prometheus")
                .option("url", job.getProperty("prometheusUrl"))
                .option("query", job.getProperty("metric"))
                .option("start", job.getProperty("start"))
                .option("header.X-Scope-OrgID", job.getProperty("optionOrgId"))
                .load()
                .queryExecution()
                .analyzed()
                .treeString();
        Files.writeString(out.resolve("streaming-plan.txt"), streamingPlan);

        SparkContext context = spark.sparkContext();
        context.listenerBus().waitUntilEmpty(60_000L); // the UI's stores have seen every event so far
        saveUi(context, out);
        spark.stop();
    }

    /** The REST API's environment, jobs, stages and SQL executions (with plans), and each execution's page. */
    private static void saveUi(SparkContext context, Path out) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        String ui = context.uiWebUrl().get();
        String api = ui + "/api/v1/applications/" + context.applicationId();
        save(http, api + "/environment", out.resolve("environment.json"));
        save(http, api + "/jobs", out.resolve("jobs.json"));
        save(http, api + "/stages?details=true", out.resolve("stages.json"));
        save(http, api + "/sql?details=true&planDescription=true", out.resolve("sql.json"));
        JsonNode executions =
                new ObjectMapper().readTree(out.resolve("sql.json").toFile());
        for (JsonNode execution : executions) {
            long id = execution.get("id").asLong();
            save(http, ui + "/SQL/execution/?id=" + id, out.resolve("sql-execution-" + id + ".html"));
        }
    }

    private static void save(HttpClient http, String url, Path file) throws IOException, InterruptedException {
        HttpResponse<InputStream> response =
                http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("GET " + url + " answered " + response.statusCode() + ": "
                        + new String(body.readAllBytes(), StandardCharsets.UTF_8));
            }
            Files.copy(body, file);
        }
    }
}
