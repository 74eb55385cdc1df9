package io.tributary.athena;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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

  static final String DEFAULT_CATALOG = "AwsDataCatalog";
  static final String DEFAULT_WORKGROUP = "primary";
  static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);
  static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofMinutes(30);
  static final int DEFAULT_MAX_RETRIES = 10;
  static final long DEFAULT_CSV_SPLIT_SIZE = 64L << 20;
  /** Athena's own bound on result reuse: 7 days. */
  static final int MAX_RESULT_REUSE_MINUTES = 10080;

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

  private AthenaSourceOptions(AthenaOptionLookup lookup) {
    query = lookup.value(QUERY);
    table = lookup.value(TABLE);
    if ((query == null) == (table == null)) {
      throw new IllegalArgumentException("Give exactly one of the options '" + QUERY + "' (a SQL statement) and '"
          + TABLE + "' (a table name such as db.tbl); got " + (query == null ? "neither" : "both"));
    }
    database = lookup.value(DATABASE);
    if (table != null && database == null && !table.contains(".")) {
      throw new IllegalArgumentException("Option '" + TABLE + "' = '" + table
          + "' has no database: write it as db.tbl or set the option '" + DATABASE + "'");
    }
    catalog = lookup.valueOr(CATALOG, DEFAULT_CATALOG);
    workgroup = lookup.valueOr(WORKGROUP, DEFAULT_WORKGROUP);
    region = lookup.value(REGION);
    String output = lookup.value(OUTPUT_LOCATION);
    outputLocation = output == null ? null : S3Location.parse(OUTPUT_LOCATION, output).asPrefix();
    fetchMode = FetchMode.parse(FETCH_MODE, lookup.valueOr(FETCH_MODE, "auto"));
    String parameters = lookup.value(EXECUTION_PARAMETERS);
    executionParameters = parameters == null ? List.of() : parseParameters(parameters);
    String reuse = lookup.value(RESULT_REUSE_MAX_AGE_MINUTES);
    resultReuseMaxAgeMinutes =
        reuse == null ? 0 : OptionValues.intInRange(RESULT_REUSE_MAX_AGE_MINUTES, reuse, 0, MAX_RESULT_REUSE_MINUTES);
    String poll = lookup.value(POLL_INTERVAL);
    pollInterval = poll == null ? DEFAULT_POLL_INTERVAL : positive(POLL_INTERVAL, OptionValues.duration(POLL_INTERVAL, poll));
    String timeout = lookup.value(QUERY_TIMEOUT);
    queryTimeout =
        timeout == null ? DEFAULT_QUERY_TIMEOUT : positive(QUERY_TIMEOUT, OptionValues.duration(QUERY_TIMEOUT, timeout));
    String retries = lookup.value(MAX_RETRIES);
    maxRetries = retries == null ? DEFAULT_MAX_RETRIES : OptionValues.intInRange(MAX_RETRIES, retries, 0, 100);
    profile = lookup.value(PROFILE);
    accessKeyId = lookup.value(ACCESS_KEY_ID);
    secretAccessKey = lookup.value(SECRET_ACCESS_KEY);
    sessionToken = lookup.value(SESSION_TOKEN);
    requireCredentialText(ACCESS_KEY_ID, accessKeyId);
    requireCredentialText(SECRET_ACCESS_KEY, secretAccessKey);
    requireCredentialText(SESSION_TOKEN, sessionToken);
    if ((accessKeyId == null) != (secretAccessKey == null)) {
      throw new IllegalArgumentException("Options '" + ACCESS_KEY_ID + "' and '" + SECRET_ACCESS_KEY
          + "' go together: give both or neither");
    }
    if (sessionToken != null && accessKeyId == null) {
      throw new IllegalArgumentException("Option '" + SESSION_TOKEN + "' needs '" + ACCESS_KEY_ID + "' and '"
          + SECRET_ACCESS_KEY + "'");
    }
    if (profile != null && accessKeyId != null) {
      throw new IllegalArgumentException("Give either option '" + PROFILE + "' or '" + ACCESS_KEY_ID + "'/'"
          + SECRET_ACCESS_KEY + "', not both");
    }
    endpoint = endpoint(ENDPOINT, lookup.value(ENDPOINT));
    s3Endpoint = endpoint(S3_ENDPOINT, lookup.value(S3_ENDPOINT));
    String pathStyle = lookup.value(S3_PATH_STYLE);
    s3PathStyle = pathStyle != null && OptionValues.bool(S3_PATH_STYLE, pathStyle);
    String keep = lookup.value(KEEP_UNLOAD_OUTPUT);
    keepUnloadOutput = keep != null && OptionValues.bool(KEEP_UNLOAD_OUTPUT, keep);
    String split = lookup.value(CSV_SPLIT_SIZE);
    csvSplitSize = split == null ? DEFAULT_CSV_SPLIT_SIZE : OptionValues.bytes(CSV_SPLIT_SIZE, split);
    if (csvSplitSize < 1024) {
      throw new IllegalArgumentException("Option '" + CSV_SPLIT_SIZE + "' must be at least 1k, got '" + split + "'");
    }
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
    return new AthenaSourceOptions(new AthenaOptionLookup(options, sessionConf));
  }

  /** For tests: read options only, no session. */
  static AthenaSourceOptions from(Map<String, String> options) {
    return from(options, Collections.emptyMap());
  }

  private static Duration positive(String option, Duration value) {
    if (value.isZero()) {
      throw new IllegalArgumentException("Option '" + option + "' must be greater than zero");
    }
    return value;
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
        + (endpoint != null ? ", endpoint=" + endpoint : "") + (s3Endpoint != null ? ", s3Endpoint=" + s3Endpoint : "")
        + "}";
  }
}
