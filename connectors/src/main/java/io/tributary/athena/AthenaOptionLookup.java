package io.tributary.athena;

import java.util.Map;
import java.util.TreeMap;

/**
 * Raw option values with the source's precedence: the read option first (case-insensitive, as Spark treats
 * options), then the session conf {@code spark.tributary.athena.<option>}. Blank values count as absent.
 */
final class AthenaOptionLookup {
  static final String SESSION_CONF_PREFIX = "spark.tributary.athena.";

  private final Map<String, String> values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

  AthenaOptionLookup(Map<String, String> options, Map<String, String> sessionConf) {
    for (Map.Entry<String, String> conf : sessionConf.entrySet()) {
      String key = conf.getKey();
      if (key.regionMatches(true, 0, SESSION_CONF_PREFIX, 0, SESSION_CONF_PREFIX.length())) {
        values.put(key.substring(SESSION_CONF_PREFIX.length()), conf.getValue());
      }
    }
    values.putAll(options);
  }

  /** The value, trimmed, or null when the option is absent or blank. */
  String value(String option) {
    String raw = values.get(option);
    if (raw == null || raw.isBlank()) {
      return null;
    }
    return raw.trim();
  }

  String valueOr(String option, String fallback) {
    String value = value(option);
    return value == null ? fallback : value;
  }
}
