package io.tributary.prometheus.client;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Set;

/**
 * The redirect rule: every request carries the credentials and {@code header.*} values, so a redirect is followed
 * only within the origin of option {@code url} (same scheme, host and port; or http on port 80 to https on port
 * 443 of the same host). A redirect anywhere else fails the request, naming the origin it pointed to, so that the
 * user can set {@code url} to that server if it is the one to read. 303 turns the request into a GET, as HTTP
 * says; 301, 302, 307 and 308 keep the method and body (remote read is a POST).
 */
final class SameOriginRedirect {
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private SameOriginRedirect() {}

    static boolean isRedirect(int status) {
        return REDIRECTS.contains(status);
    }

    /** The request to send next for the redirect {@code response} to {@code request}. */
    static HttpRequest follow(HttpRequest request, HttpResponse<?> response, String description) {
        int status = response.statusCode();
        String location = response.headers().firstValue("Location").orElse(null);
        if (location == null) {
            throw new PrometheusQueryException(status, null, "a redirect without a Location header", description);
        }
        URI from = request.uri();
        URI to;
        try {
            to = from.resolve(location.trim());
        } catch (IllegalArgumentException e) {
            to = null;
        }
        String scheme =
                to == null || to.getScheme() == null ? "" : to.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || to.getHost() == null) {
            throw new PrometheusQueryException(
                    status, null, "a redirect whose Location is not an http(s) URL with a" + " host", description);
        }
        if (!sameOrigin(from, to)) {
            String origin = origin(to);
            throw new PrometheusQueryException(
                    status,
                    null,
                    "redirected to " + origin + ", another origin than"
                            + " option '" + PrometheusConnection.URL
                            + "'; redirects are followed only within that origin, so"
                            + " that credentials and headers never reach another server. If " + origin
                            + " is the server to read,"
                            + " set option '" + PrometheusConnection.URL + "' to it",
                    description);
        }
        if (status == 303) {
            return HttpRequest.newBuilder(
                            request,
                            (name, value) -> !name.equalsIgnoreCase("Content-Type")
                                    && !name.equalsIgnoreCase("Content-Encoding"))
                    .uri(to)
                    .GET()
                    .build();
        }
        return HttpRequest.newBuilder(request, (name, value) -> true).uri(to).build();
    }

    /** Both http(s) URLs with a host. */
    static boolean sameOrigin(URI from, URI to) {
        if (to.getRawUserInfo() != null || !from.getHost().equalsIgnoreCase(to.getHost())) {
            return false;
        }
        String fromScheme = from.getScheme().toLowerCase(Locale.ROOT);
        String toScheme = to.getScheme().toLowerCase(Locale.ROOT);
        int fromPort = port(fromScheme, from);
        int toPort = port(toScheme, to);
        if (fromScheme.equals(toScheme)) {
            return fromPort == toPort;
        }
        return fromScheme.equals("http") && toScheme.equals("https") && fromPort == 80 && toPort == 443;
    }

    /** {@code scheme://host:port} of an http(s) URL, nothing more: no user-info, path or query reaches a message. */
    static String origin(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port(scheme, uri);
    }

    private static int port(String scheme, URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return scheme.equals("https") ? 443 : 80;
    }
}
