package io.tributary.athena;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tributary.options.OptionReader;
import io.tributary.options.StandardDuration;
import io.tributary.secrets.SecretText;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The options of one {@code spark.read.format("athena")}, parsed and validated once. Precedence: read option, then
 * session conf {@code spark.tributary.athena.<option>}, then the default below. Credentials are kept for the
 * executors but never appear in {@link #toString()}, descriptions or error messages.
 */
public final class AthenaSourceOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String QUERY = "query";
    public static final String TABLE = "table";
    public static final String DATABASE = "database";
    public static final String CATALOG = "catalog";
    public static final String WORKGROUP = "workgroup";
    public static final String REGION = "region";
    public static final String OUTPUT_LOCATION = "outputLocation";
    public static final String FETCH_MODE = "fetchMode";
    public static final String EXECUTION_PARAMETERS = "executionParameters";
    public static final String RESULT_REUSE_MAX_AGE_MINUTES = "resultReuseMaxAgeMinutes";
    public static final String POLL_INTERVAL = "pollInterval";
    public static final String QUERY_TIMEOUT = "queryTimeout";
    public static final String MAX_RETRIES = "maxRetries";
    public static final String PROFILE = "profile";
    public static final String ACCESS_KEY_ID = "accessKeyId";
    public static final String SECRET_ACCESS_KEY = "secretAccessKey";
    public static final String SESSION_TOKEN = "sessionToken";
    public static final String ENDPOINT = "endpoint";
    public static final String S3_ENDPOINT = "s3Endpoint";
    public static final String S3_PATH_STYLE = "s3PathStyle";
    public static final String KEEP_UNLOAD_OUTPUT = "keepUnloadOutput";
    public static final String CSV_SPLIT_SIZE = "csvSplitSize";
    /** The source's name in its session confs, {@code spark.tributary.athena.<option>}. */
    static final String SOURCE = "athena";
    /** Every option the source reads. */
    static final List<String> OPTIONS = List.of(
            QUERY,
            TABLE,
            DATABASE,
            CATALOG,
            WORKGROUP,
            REGION,
            OUTPUT_LOCATION,
            FETCH_MODE,
            EXECUTION_PARAMETERS,
            RESULT_REUSE_MAX_AGE_MINUTES,
            POLL_INTERVAL,
            QUERY_TIMEOUT,
            MAX_RETRIES,
            PROFILE,
            ACCESS_KEY_ID,
            SECRET_ACCESS_KEY,
            SESSION_TOKEN,
            ENDPOINT,
            S3_ENDPOINT,
            S3_PATH_STYLE,
            KEEP_UNLOAD_OUTPUT,
            CSV_SPLIT_SIZE);

    static final String OPTIONS_DOCUMENTED_AT =
            "The options of format(\"athena\") are listed in README.md under \"Athena\"";

    static final String DEFAULT_CATALOG = "AwsDataCatalog";
    static final String DEFAULT_WORKGROUP = "primary";
    static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);
    static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofMinutes(30);
    static final int DEFAULT_MAX_RETRIES = 10;
    static final long DEFAULT_CSV_SPLIT_SIZE = 64L << 20;
    /** Athena's own bound on result reuse: 7 days. */
    static final int MAX_RESULT_REUSE_MINUTES = 10080;

    static final Duration MIN_DURATION = Duration.ofMillis(1);
    /** Polls back off to at most 5 s anyway; a first wait beyond 10 minutes only delays noticing the result. */
    static final Duration MAX_POLL_INTERVAL = Duration.ofMinutes(10);
    /** A day: far beyond any query Athena itself lets run, and still a bound that a read cannot hang past. */
    static final Duration MAX_QUERY_TIMEOUT = Duration.ofHours(24);

    static final int MAX_MAX_RETRIES = 100;
    /** Below 1k a split is mostly record-boundary search; above 16g one task reads more than an executor holds. */
    static final long MIN_CSV_SPLIT_SIZE = 1L << 10;

    static final long MAX_CSV_SPLIT_SIZE = 16L << 30;

    private final String query;
    private final String table;
    private final String database;
    private final String catalog;
    private final String workgroup;
    private final String region;
    private final S3Location outputLocation;
    private final FetchMode fetchMode;
    private final List<String> executionParameters;
    private final int resultReuseMaxAgeMinutes;
    private final Duration pollInterval;
    private final Duration queryTimeout;
    private final int maxRetries;
    private final String profile;
    private final String accessKeyId;
    private final String secretAccessKey;
    private final String sessionToken;
    private final URI endpoint;
    private final URI s3Endpoint;
    private final boolean s3PathStyle;
    private final boolean keepUnloadOutput;
    private final long csvSplitSize;

    private AthenaSourceOptions(OptionReader lookup) {
        lookup.refuseUnknown(OPTIONS, List.of(), OPTIONS_DOCUMENTED_AT);
        query = value(lookup, QUERY);
        table = value(lookup, TABLE);
        if ((query == null) == (table == null)) {
            throw new IllegalArgumentException("Give exactly one of the options '" + QUERY + "' (a SQL statement) and '"
                    + TABLE + "' (a table name such as db.tbl); got " + (query == null ? "neither" : "both"));
        }
        database = value(lookup, DATABASE);
        if (table != null && database == null && !table.contains(".")) {
            throw new IllegalArgumentException("Option '" + TABLE + "' = '" + table
                    + "' has no database: write it as db.tbl or set the option '" + DATABASE + "'");
        }
        catalog = lookup.get(CATALOG, DEFAULT_CATALOG).trim();
        workgroup = lookup.get(WORKGROUP, DEFAULT_WORKGROUP).trim();
        region = value(lookup, REGION);
        String output = value(lookup, OUTPUT_LOCATION);
        outputLocation = output == null
                ? null
                : S3Location.parse(OUTPUT_LOCATION, output).asPrefix();
        fetchMode = lookup.getEnum(FETCH_MODE, FetchMode.AUTO, FetchMode.class);
        String parameters = value(lookup, EXECUTION_PARAMETERS);
        executionParameters = parameters == null ? List.of() : parseParameters(parameters);
        resultReuseMaxAgeMinutes = lookup.getInt(RESULT_REUSE_MAX_AGE_MINUTES, 0, 0, MAX_RESULT_REUSE_MINUTES);
        pollInterval = lookup.getDuration(
                POLL_INTERVAL, DEFAULT_POLL_INTERVAL, StandardDuration.SYNTAX, MIN_DURATION, MAX_POLL_INTERVAL);
        queryTimeout = lookup.getDuration(
                QUERY_TIMEOUT, DEFAULT_QUERY_TIMEOUT, StandardDuration.SYNTAX, MIN_DURATION, MAX_QUERY_TIMEOUT);
        maxRetries = lookup.getInt(MAX_RETRIES, DEFAULT_MAX_RETRIES, 0, MAX_MAX_RETRIES);
        profile = value(lookup, PROFILE);
        accessKeyId = value(lookup, ACCESS_KEY_ID);
        secretAccessKey = value(lookup, SECRET_ACCESS_KEY);
        sessionToken = value(lookup, SESSION_TOKEN);
        requireCredentialText(ACCESS_KEY_ID, accessKeyId);
        requireCredentialText(SECRET_ACCESS_KEY, secretAccessKey);
        requireCredentialText(SESSION_TOKEN, sessionToken);
        if ((accessKeyId == null) != (secretAccessKey == null)) {
            throw new IllegalArgumentException("Options '" + ACCESS_KEY_ID + "' and '" + SECRET_ACCESS_KEY
                    + "' go together: give both or neither");
        }
        if (sessionToken != null && accessKeyId == null) {
            throw new IllegalArgumentException(
                    "Option '" + SESSION_TOKEN + "' needs '" + ACCESS_KEY_ID + "' and '" + SECRET_ACCESS_KEY + "'");
        }
        if (profile != null && accessKeyId != null) {
            throw new IllegalArgumentException("Give either option '" + PROFILE + "' or '" + ACCESS_KEY_ID + "'/'"
                    + SECRET_ACCESS_KEY + "', not both");
        }
        endpoint = endpoint(ENDPOINT, value(lookup, ENDPOINT));
        s3Endpoint = endpoint(S3_ENDPOINT, value(lookup, S3_ENDPOINT));
        s3PathStyle = lookup.getBoolean(S3_PATH_STYLE, false);
        keepUnloadOutput = lookup.getBoolean(KEEP_UNLOAD_OUTPUT, false);
        csvSplitSize = lookup.getBytes(CSV_SPLIT_SIZE, DEFAULT_CSV_SPLIT_SIZE, MIN_CSV_SPLIT_SIZE, MAX_CSV_SPLIT_SIZE);
    }

    /**
     * Parses read options (as Spark passes them) and the session conf.
     *
     * <pre>{@code
     * AthenaSourceOptions options = AthenaSourceOptions.from(
     *     Map.of("query", "SELECT 1", "region", "eu-west-1"), spark.conf().getAll());
     * }</pre>
     */
    public static AthenaSourceOptions from(Map<String, String> options, Map<String, String> sessionConf) {
        return new AthenaSourceOptions(OptionReader.of(SOURCE, options, sessionConf));
    }

    /** For tests: read options only, no session. */
    static AthenaSourceOptions from(Map<String, String> options) {
        return from(options, Collections.emptyMap());
    }

    /** The value, trimmed, or null when the option is not set; a blank value is refused. */
    private static String value(OptionReader lookup, String option) {
        String value = lookup.get(option);
        return value == null ? null : value.trim();
    }

    /**
     * AWS keys travel in signed headers; the HTTP client's own check of a header would quote the value, so a key with
     * a space or control character is refused here, by the option's name alone.
     */
    private static void requireCredentialText(String option, String value) {
        if (value != null) {
            SecretText.requireToken("Option '" + option + "'", value);
        }
    }

    private static URI endpoint(String option, String value) {
        if (value == null) {
            return null;
        }
        if (value.indexOf('@') >= 0) {
            // Whatever precedes an '@' would be credentials; the value is not quoted, whatever it holds.
            throw new IllegalArgumentException("Option '" + option + "' must not carry credentials (it holds an '@'):"
                    + " use the options '" + ACCESS_KEY_ID + "' and '" + SECRET_ACCESS_KEY + "', or '" + PROFILE
                    + "'. Its value is not shown");
        }
        try {
            URI uri = new URI(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                "Option '" + option + "' must be an http:// or https:// URL with a host, got '" + value + "'");
    }

    private static List<String> parseParameters(String json) {
        String problem = "Option '" + EXECUTION_PARAMETERS
                + "' must be a JSON array of strings, each one SQL literal for a '?' in order, e.g. [\"'2023-01-01'\", \"42\"]";
        List<String> values = new ArrayList<>();
        try (JsonParser parser = new JsonFactory().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new IllegalArgumentException(problem);
            }
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (token != JsonToken.VALUE_STRING) {
                    throw new IllegalArgumentException(problem);
                }
                values.add(parser.getText());
            }
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException(problem);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(problem, e);
        }
        return List.copyOf(values);
    }

    /** The SQL text given with {@code query}, or null in table mode. */
    public String query() {
        return query;
    }

    /** The table given with {@code table}, or null in query mode. */
    public String table() {
        return table;
    }

    public boolean isTableMode() {
        return table != null;
    }

    /** The database the table lives in: the {@code db} of {@code db.tbl}, else the {@code database} option. */
    String tableDatabase() {
        int dot = table.indexOf('.');
        return dot < 0 ? database : table.substring(0, dot);
    }

    String tableName() {
        int dot = table.indexOf('.');
        return dot < 0 ? table : table.substring(dot + 1);
    }

    public String database() {
        return database;
    }

    public String catalog() {
        return catalog;
    }

    public String workgroup() {
        return workgroup;
    }

    public String region() {
        return region;
    }

    /** Where results go, when given; otherwise the workgroup's configured location applies. */
    S3Location outputLocation() {
        return outputLocation;
    }

    public FetchMode fetchMode() {
        return fetchMode;
    }

    public List<String> executionParameters() {
        return executionParameters;
    }

    public int resultReuseMaxAgeMinutes() {
        return resultReuseMaxAgeMinutes;
    }

    public Duration pollInterval() {
        return pollInterval;
    }

    public Duration queryTimeout() {
        return queryTimeout;
    }

    public int maxRetries() {
        return maxRetries;
    }

    String profile() {
        return profile;
    }

    String accessKeyId() {
        return accessKeyId;
    }

    String secretAccessKey() {
        return secretAccessKey;
    }

    String sessionToken() {
        return sessionToken;
    }

    public URI endpoint() {
        return endpoint;
    }

    public URI s3Endpoint() {
        return s3Endpoint;
    }

    public boolean s3PathStyle() {
        return s3PathStyle;
    }

    public boolean keepUnloadOutput() {
        return keepUnloadOutput;
    }

    public long csvSplitSize() {
        return csvSplitSize;
    }

    /** Where credentials come from, without any secret in it. */
    String credentialSource() {
        if (accessKeyId != null) {
            return sessionToken == null ? "static keys" : "static session keys";
        }
        return profile != null ? "profile " + profile : "default provider chain";
    }

    @Override
    public String toString() {
        return "AthenaSourceOptions{" + (query != null ? "query=" + query : "table=" + table)
                + ", database=" + database + ", catalog=" + catalog + ", workgroup=" + workgroup + ", region=" + region
                + ", outputLocation=" + outputLocation + ", fetchMode=" + fetchMode.optionValue()
                + ", executionParameters=" + executionParameters.size()
                + ", resultReuseMaxAgeMinutes=" + resultReuseMaxAgeMinutes + ", pollInterval=" + pollInterval
                + ", queryTimeout=" + queryTimeout + ", credentials=" + credentialSource()
                + (endpoint != null ? ", endpoint=" + endpoint : "")
                + (s3Endpoint != null ? ", s3Endpoint=" + s3Endpoint : "")
                + "}";
    }
}
