package io.tributary.prometheus;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads one source's options with Spark's precedence: the read option (case-insensitive, as Spark treats
 * options) first, then the session conf {@code spark.tributary.prometheus.<option>}.
 */
final class OptionLookup {
  static final String SESSION_CONF_PREFIX = "spark.tributary.prometheus.";

  private final Map<String, String> merged;

  private OptionLookup(Map<String, String> merged) {
    this.merged = merged;
  }

  static OptionLookup of(Map<String, String> options, Map<String, String> sessionConf) {
    Map<String, String> merged = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    sessionConf.forEach((key, value) -> {
      if (key.startsWith(SESSION_CONF_PREFIX)) {
        merged.put(key.substring(SESSION_CONF_PREFIX.length()), value);
      }
    });
    merged.putAll(options);
    return new OptionLookup(merged);
  }

  String get(String name) {
    String value = merged.get(name);
    return value == null || value.isBlank() ? null : value;
  }

  String get(String name, String defaultValue) {
    String value = get(name);
    return value == null ? defaultValue : value;
  }

  boolean has(String name) {
    return get(name) != null;
  }

  boolean getBoolean(String name, boolean defaultValue) {
    String value = get(name);
    if (value == null) {
      return defaultValue;
    }
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true": return true;
      case "false": return false;
      default:
        throw new IllegalArgumentException("Option '" + name + "' must be true or false, got '" + value + "'");
    }
  }

  long getLong(String name, long defaultValue, long min) {
    String value = get(name);
    if (value == null) {
      return defaultValue;
    }
    try {
      long parsed = Long.parseLong(value.trim());
      if (parsed >= min) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below with the allowed range
    }
    throw new IllegalArgumentException(
        "Option '" + name + "' must be a whole number >= " + min + ", got '" + value + "'");
  }

  /** Every option whose name starts with the prefix, keyed by the rest of the name as the user wrote it. */
  Map<String, String> withPrefix(String prefix) {
    Map<String, String> found = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    merged.forEach((key, value) -> {
      if (key.regionMatches(true, 0, prefix, 0, prefix.length()) && key.length() > prefix.length()) {
        found.put(key.substring(prefix.length()), value);
      }
    });
    return found;
  }
}
