package io.tributary.prometheus.client;

import io.tributary.options.OptionReader;
import io.tributary.secrets.SecretText;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

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

    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);
    /** Thirty times Prometheus' default --query.timeout (2m): longer, a stuck request looks like a hung read. */
    static final Duration MAX_TIMEOUT = Duration.ofHours(1);

    static final int DEFAULT_MAX_RETRIES = 5;
    /** With backoff of up to 30 s each, 100 retries already wait almost an hour for one request. */
    static final int MAX_MAX_RETRIES = 100;

    static final Duration DEFAULT_RETRY_INITIAL_DELAY = Duration.ofMillis(500);
    /** {@link PrometheusHttpClient#MAX_RETRY_DELAY}: no backoff is longer, so a longer first delay means nothing. */
    static final Duration MAX_RETRY_INITIAL_DELAY = PrometheusHttpClient.MAX_RETRY_DELAY;

    /** Headers java.net.http sets itself and refuses to take from callers. */
    static final Set<String> RESTRICTED_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade");

    /**
     * The {@code url} option: an http(s) URL with a host, any path prefix, no credentials, query or fragment.
     *
     * @throws IllegalArgumentException naming the option; the value is never quoted when it may hold a password
     */
    public static URI parseUrl(String text) {
        if (text == null) {
            throw new IllegalArgumentException("Option '" + URL + "' is required, e.g. http://127.0.0.1:9090"
                    + " (a path prefix such as http://thanos:10902/prefix is allowed)");
        }
        // Decided on the raw text, before any parsing: a password may hold '/', '@', '?' or '#', which make
        // java.net.URI see another host, or none, and a message quoting the value would show the password.
        if (text.indexOf('@') >= 0) {
            throw new IllegalArgumentException("Option '" + URL + "' must not carry credentials (it holds an '@', which"
                    + " starts them; write an '@' in a path as %40): use the options '" + USER + "' and '" + PASSWORD
                    + "'. Its value is not shown");
        }
        try {
            URI uri = new URI(text.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null) {
                throw new URISyntaxException(text, "not an http(s) URL with a host");
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new URISyntaxException(text, "a query string or fragment is not allowed");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Option '" + URL + "' must be an http:// or https:// URL with a host,"
                    + " got '" + text + "' (" + e.getReason() + ")");
        }
    }

    /**
     * The connection options of one read (auth, headers, TLS, timeout, retries), as {@code lookup} gives them.
     *
     * @param url the {@link #parseUrl parsed} {@code url} option
     * @throws IllegalArgumentException naming the option at fault
     */
    public static PrometheusConnection from(OptionReader lookup, URI url) {
        String user = lookup.get(USER);
        String password = lookup.get(PASSWORD);
        String bearerToken = lookup.get(BEARER_TOKEN);
        String bearerTokenFile = lookup.get(BEARER_TOKEN_FILE);
        if (password != null && user == null) {
            throw new IllegalArgumentException("Option '" + PASSWORD + "' needs option '" + USER + "'");
        }
        int authKinds = (user != null ? 1 : 0) + (bearerToken != null ? 1 : 0) + (bearerTokenFile != null ? 1 : 0);
        if (authKinds > 1) {
            throw new IllegalArgumentException("Options '" + USER + "', '" + BEARER_TOKEN + "' and '"
                    + BEARER_TOKEN_FILE + "' are alternatives: set at most one");
        }
        if (bearerToken != null) {
            SecretText.requireToken("Option '" + BEARER_TOKEN + "'", bearerToken);
        }
        Map<String, String> headers = parseHeaders(lookup.withPrefix(HEADER_PREFIX));
        Duration timeout = lookup.getDuration(
                TIMEOUT, DEFAULT_TIMEOUT, PrometheusDuration.SYNTAX, PrometheusDuration.MIN, MAX_TIMEOUT);
        int maxRetries = lookup.getInt(MAX_RETRIES, DEFAULT_MAX_RETRIES, 0, MAX_MAX_RETRIES);
        Duration retryInitialDelay = lookup.getDuration(
                RETRY_INITIAL_DELAY,
                DEFAULT_RETRY_INITIAL_DELAY,
                PrometheusDuration.SYNTAX,
                PrometheusDuration.MIN,
                MAX_RETRY_INITIAL_DELAY);
        return new PrometheusConnection(
                url,
                user,
                password == null ? "" : password,
                bearerToken,
                bearerTokenFile,
                headers,
                lookup.get(TLS_CA_FILE),
                lookup.getBoolean(TLS_INSECURE, false),
                timeout,
                maxRetries,
                retryInitialDelay);
    }

    /**
     * The {@code header.<Name>} options, values trimmed. Checked here, naming the option, because the JDK's own check
     * would quote a value in its exception.
     */
    private static Map<String, String> parseHeaders(Map<String, String> raw) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        raw.forEach((name, value) -> {
            String option = HEADER_PREFIX + name;
            if (!isHeaderName(name)) {
                throw new IllegalArgumentException("Option '" + option + "' does not name an HTTP header: a name is"
                        + " letters, digits and !#$%&'*+-.^_`|~");
            }
            if (RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException(
                        "Option '" + option + "' sets a header the HTTP client manages itself;" + " not allowed: "
                                + new TreeSet<>(RESTRICTED_HEADERS));
            }
            String trimmed = value.trim();
            SecretText.requireFieldValue("Option '" + option + "'", trimmed);
            headers.put(name, trimmed);
        });
        return headers;
    }

    /** RFC 9110 token: the characters of a header name. */
    private static boolean isHeaderName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alphanumeric && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

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

    public PrometheusConnection(
            URI baseUrl,
            String user,
            String password,
            String bearerToken,
            String bearerTokenFile,
            Map<String, String> headers,
            String tlsCaFile,
            boolean tlsInsecure,
            Duration timeout,
            int maxRetries,
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

    URI baseUrl() {
        return baseUrl;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    String bearerToken() {
        return bearerToken;
    }

    String bearerTokenFile() {
        return bearerTokenFile;
    }

    public Map<String, String> headers() {
        return headers;
    }

    String tlsCaFile() {
        return tlsCaFile;
    }

    boolean tlsInsecure() {
        return tlsInsecure;
    }

    public Duration timeout() {
        return timeout;
    }

    int maxRetries() {
        return maxRetries;
    }

    Duration retryInitialDelay() {
        return retryInitialDelay;
    }

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
