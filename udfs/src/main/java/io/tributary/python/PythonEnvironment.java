package io.tributary.python;

import java.io.File;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The interpreter a transform runs with: {@code spark.tributary.python.executable}, or the one of the environment
 * named by the {@code env} option. Resolved on the driver, from text only; whether it runs is found out on the
 * executor that starts it.
 *
 * @param executable the python binary to start
 * @param binDirectory the environment's bin directory, put first on the worker's PATH; null for no environment
 */
record PythonEnvironment(String executable, String binDirectory) implements Serializable {
    static final String DEFAULT_EXECUTABLE = "python3";

    /**
     * @param env Byzer's {@code #%env} value: absent, empty or {@code :} for none; a virtualenv or conda environment
     *            directory; or {@code source /path/bin/activate [name]}
     * @param executable the interpreter when there is no environment
     */
    static PythonEnvironment resolve(String env, String executable) {
        String value = env == null ? "" : env.trim();
        if (value.isEmpty() || value.equals(":")) {
            return new PythonEnvironment(executable, null);
        }
        if (value.startsWith("source ") || value.startsWith(". ") || value.startsWith("conda activate ")) {
            return fromActivateLine(value);
        }
        return fromDirectory(Path.of(value));
    }

    /** {@code source /opt/miniconda3/bin/activate ray1.8.0}: the conda root's envs/ray1.8.0, or the root itself. */
    private static PythonEnvironment fromActivateLine(String line) {
        String[] words = line.split("\\s+");
        if (words[0].equals("conda")) {
            throw invalid(
                    line,
                    "'conda activate' needs the conda root; write 'source <conda root>/bin/activate "
                            + words[words.length - 1] + "'");
        }
        if (words.length < 2 || words.length > 3) {
            throw invalid(line, "expected 'source <path>/bin/activate [environment name]'");
        }
        Path activate = Path.of(words[1]);
        if (!activate.isAbsolute()) {
            activate = onPath(words[1])
                    .orElseThrow(() -> invalid(
                            line,
                            "'" + words[1] + "' is not on the PATH; give the absolute path of conda's bin/activate"));
        }
        Path bin = activate.toAbsolutePath().getParent();
        if (bin == null || bin.getParent() == null) {
            throw invalid(line, "'" + activate + "' is not inside a conda installation's bin directory");
        }
        Path root = bin.getParent();
        String name = words.length == 3 ? words[2] : "base";
        Path named = Path.of(name);
        Path envDir = name.equals("base")
                ? root
                : named.isAbsolute() ? named : root.resolve("envs").resolve(name);
        return fromDirectory(envDir);
    }

    Optional<String> bin() {
        return Optional.ofNullable(binDirectory);
    }

    private static PythonEnvironment fromDirectory(Path dir) {
        Path bin = dir.resolve("bin");
        Path python = Files.isExecutable(bin.resolve("python")) || !Files.isExecutable(bin.resolve("python3"))
                ? bin.resolve("python")
                : bin.resolve("python3");
        return new PythonEnvironment(python.toString(), bin.toString());
    }

    private static Optional<Path> onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static IllegalArgumentException invalid(String value, String why) {
        return new IllegalArgumentException("Option '" + PythonTransformOptions.ENV + "' = '" + value + "': " + why
                + ". Allowed: ':' (no environment), a virtualenv or conda environment directory, or "
                + "'source <conda root>/bin/activate [name]'");
    }
}
