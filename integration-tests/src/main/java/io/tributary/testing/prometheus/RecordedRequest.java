package io.tributary.testing.prometheus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request as {@link FaultInjectingProxy} received it, for assertions on what a client sent.
 *
 * @param method e.g. {@code GET}
 * @param path the decoded path, e.g. {@code /api/v1/query_range}
 * @param queryParameters decoded URL query parameters, in order
 * @param formParameters decoded {@code application/x-www-form-urlencoded} body parameters (POST), in order
 * @param headers header values by lower-case name, in order
 * @param body the body as UTF-8 text (empty when none)
 * @param fault the fault applied to this request, or null when it was forwarded untouched
 */
public record RecordedRequest(
        String method,
        String path,
        Map<String, List<String>> queryParameters,
        Map<String, List<String>> formParameters,
        Map<String, List<String>> headers,
        String body,
        Fault fault) {

    /** Query and form parameters together (query first), as Prometheus itself merges them. */
    public Map<String, List<String>> parameters() {
        Map<String, List<String>> all = new LinkedHashMap<>();
        queryParameters.forEach(
                (k, v) -> all.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        formParameters.forEach(
                (k, v) -> all.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        all.replaceAll((k, v) -> List.copyOf(v));
        return all;
    }

    /** The first value of parameter {@code name} (query or form), or null. */
    public String parameter(String name) {
        List<String> values = parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The first value of header {@code name} (any case), or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
