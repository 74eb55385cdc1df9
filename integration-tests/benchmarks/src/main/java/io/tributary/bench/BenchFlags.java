package io.tributary.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A benchmark's command-line arguments: {@code --name value} pairs, each name at most once and only the names the
 * benchmark takes, so a typo fails the run before it starts instead of running with a default.
 */
public final class BenchFlags {
    private final Map<String, String> values;

    private BenchFlags(Map<String, String> values) {
        this.values = values;
    }

    /**
     * @param allowed the names the benchmark takes, with their dashes ({@code --days})
     * @throws IllegalArgumentException naming the argument at fault and the allowed names
     */
    public static BenchFlags parse(String[] args, String... allowed) {
        List<String> names = Arrays.asList(allowed);
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!names.contains(args[i])) {
                throw new IllegalArgumentException(
                        "Unknown argument " + args[i] + "; allowed: " + String.join(", ", names));
            }
            if (i + 1 == args.length) {
                throw new IllegalArgumentException("Argument " + args[i] + " needs a value");
            }
            if (values.put(args[i], args[i + 1]) != null) {
                throw new IllegalArgumentException("Argument " + args[i] + " is given twice");
            }
        }
        return new BenchFlags(values);
    }

    public Optional<String> text(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public Path path(String name, Path fallback) {
        return text(name).map(Path::of).orElse(fallback);
    }

    /** @throws IllegalArgumentException when the value is not a whole number of at least 1 */
    public int positive(String name, int fallback) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= 1) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " takes a whole number of at least 1, got " + value);
    }

    /** @throws IllegalArgumentException when the value is not one of {@code choices} */
    public String oneOf(String name, String fallback, String... choices) {
        String value = values.getOrDefault(name, fallback);
        if (!Arrays.asList(choices).contains(value)) {
            throw new IllegalArgumentException(name + " takes " + String.join(" or ", choices) + ", got " + value);
        }
        return value;
    }
}
