package io.tributary.python;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.spark.sql.types.StructType;

/**
 * Python transforms known by name, so that SQL can run them as {@code python_transform('input', 'name')}. A name is
 * defined either from Java ({@link #register}, for this driver JVM) or from the session's SQL confs:
 * <pre>
 * SET spark.tributary.python.transform.add_one.file=/jobs/add_one.py;     -- a script or a whole Byzer cell
 * SET spark.tributary.python.transform.add_one.schema=st(field(a,long));  -- unless the cell declares #%schema
 * SET spark.tributary.python.transform.add_one.dataMode=data;             -- any PythonTransformOptions option
 * </pre>
 * ({@code .code=<script>} works too, for one-line scripts or confs set from code.) A Java registration wins over
 * confs of the same name.
 */
public final class PythonTransformRegistry {
    public static final String CONF_PREFIX = PythonTransformOptions.CONF_PREFIX + "transform.";
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Map<String, PythonTransformSpec> REGISTERED = new ConcurrentHashMap<>();

    private PythonTransformRegistry() {}

    /** Registers (or replaces) {@code name} for every session of this JVM. */
    public static void register(String name, String code, StructType schema, Map<String, String> options) {
        requireName(name);
        REGISTERED.put(name, new PythonTransformSpec(Objects.requireNonNull(code, "code"), schema, options));
    }

    public static void unregister(String name) {
        REGISTERED.remove(name);
    }

    /** Whether {@code text} has the form of a transform name (an identifier) rather than of a script. */
    public static boolean isName(String text) {
        return NAME.matcher(text).matches();
    }

    /** The transform called {@code name}, from a registration or from {@code sessionConf}; empty if neither. */
    public static Optional<PythonTransformSpec> lookup(String name, Map<String, String> sessionConf) {
        if (!NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        PythonTransformSpec registered = REGISTERED.get(name);
        if (registered != null) {
            return Optional.of(registered);
        }
        String prefix = CONF_PREFIX + name + ".";
        Map<String, String> entries = new LinkedHashMap<>();
        sessionConf.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                entries.put(key.substring(prefix.length()), value);
            }
        });
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(fromConf(name, prefix, entries));
    }

    private static PythonTransformSpec fromConf(String name, String prefix, Map<String, String> entries) {
        String file = entries.remove("file");
        String code = entries.remove("code");
        if ((file == null) == (code == null)) {
            throw new IllegalArgumentException("Python transform '" + name + "' needs exactly one of the confs '"
                    + prefix + "file' and '" + prefix + "code'");
        }
        if (file != null) {
            try {
                code = Files.readString(Path.of(file));
            } catch (IOException e) {
                throw new UncheckedIOException("Conf '" + prefix + "file': cannot read " + file, e);
            }
        }
        String schema = entries.remove("schema");
        PythonTransformSpec script = PythonTransformSpec.fromScript(code);
        return script.withSchemaText(schema).withOptions(entries);
    }

    private static void requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("A Python transform name must be an identifier ([A-Za-z_][A-Za-z0-9_]*),"
                    + " but was '" + name + "'");
        }
    }
}
