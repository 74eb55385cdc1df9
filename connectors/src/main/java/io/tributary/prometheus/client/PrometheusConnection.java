package io.tributary.prometheus.client;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * How to reach one Prometheus-compatible server: base URL (with any path prefix, as for Thanos or Mimir), auth,
 * TLS, timeouts and retries. Carries secrets to the executors, so {@link #toString()} prints none of them.
 */
public final class PrometheusConnection implements Serializable {
  private static final long serialVersionUID = 1L;

  // The options that configure a connection, named in the client's messages.
  public static final String URL = "url";
  public static final String USER = "user";
  public static final String PASSWORD = "password";
  public static final String BEARER_TOKEN = "bearerToken";
  public static final String BEARER_TOKEN_FILE = "bearerTokenFile";
  public static final String HEADER_PREFIX = "header.";
  public static final String TLS_CA_FILE = "tlsCaFile";
  public static final String TLS_INSECURE = "tlsInsecure";
  public static final String TIMEOUT = "timeout";
  public static final String MAX_RETRIES = "maxRetries";
  public static final String RETRY_INITIAL_DELAY = "retryInitialDelay";

  private final URI baseUrl;
  private final String user;
  private final String password;
  private final String bearerToken;
  private final String bearerTokenFile;
  private final Map<String, String> headers;
  private final String tlsCaFile;
  private final boolean tlsInsecure;
  private final Duration timeout;
  private final int maxRetries;
  private final Duration retryInitialDelay;

  public PrometheusConnection(URI baseUrl, String user, String password, String bearerToken, String bearerTokenFile,
      Map<String, String> headers, String tlsCaFile, boolean tlsInsecure, Duration timeout, int maxRetries,
      Duration retryInitialDelay) {
    this.baseUrl = baseUrl;
    this.user = user;
    this.password = password;
    this.bearerToken = bearerToken;
    this.bearerTokenFile = bearerTokenFile;
    this.headers = Map.copyOf(headers);
    this.tlsCaFile = tlsCaFile;
    this.tlsInsecure = tlsInsecure;
    this.timeout = timeout;
    this.maxRetries = maxRetries;
    this.retryInitialDelay = retryInitialDelay;
  }

  URI baseUrl() { return baseUrl; }
  String user() { return user; }
  String password() { return password; }
  String bearerToken() { return bearerToken; }
  String bearerTokenFile() { return bearerTokenFile; }
  public Map<String, String> headers() { return headers; }
  String tlsCaFile() { return tlsCaFile; }
  boolean tlsInsecure() { return tlsInsecure; }
  public Duration timeout() { return timeout; }
  int maxRetries() { return maxRetries; }
  Duration retryInitialDelay() { return retryInitialDelay; }

  /** The base URL as safe to show: without any user-info part. */
  public String displayUrl() {
    return redact(baseUrl);
  }

  static String redact(URI uri) {
    if (uri.getRawUserInfo() == null) {
      return uri.toString();
    }
    return uri.toString().replace(uri.getRawUserInfo() + "@", "");
  }

  /** What kind of authentication is used, never its values. */
  public String authDescription() {
    if (user != null) {
      return "basic";
    }
    if (bearerToken != null || bearerTokenFile != null) {
      return "bearer";
    }
    return "none";
  }

  @Override
  public String toString() {
    return "PrometheusConnection[url=" + displayUrl() + ", auth=" + authDescription()
        + ", headers=" + headers.keySet() + ", tlsCaFile=" + tlsCaFile + ", tlsInsecure=" + tlsInsecure
        + ", timeout=" + PrometheusDuration.format(timeout) + ", maxRetries=" + maxRetries + "]";
  }
}
