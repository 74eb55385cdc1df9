package io.tributary.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Python interpreter the tests, the demo's test and the benchmarks run: {@code TRIBUTARY_PYTHON} when set, else
 * the checkout's {@code .venv/bin/python} (made by {@code dev/install-deps}), else {@code python3} from the PATH.
 * It must import pyarrow (Tributary's Python workers need it); {@link #executable()} says so plainly when it
 * cannot, instead of letting a test fail later on a worker's import error.
 */
public final class TestPython {
    /** The environment variable that names the interpreter. */
    public static final String ENV = "TRIBUTARY_PYTHON";

    private static String checked;

    private TestPython() {}

    /** An interpreter and where it was found, for messages. */
    record Choice(String executable, String source) {}

    /**
     * The interpreter, checked once per JVM to import pyarrow.
     *
     * @throws IllegalStateException naming the interpreter, where it came from and what to do, when it cannot be
     *     started or cannot import pyarrow
     */
    public static synchronized String executable() {
        if (checked == null) {
            Choice choice = choose(System.getenv(), ProjectDirectory.root());
            requirePyarrow(choice);
            checked = choice.executable();
        }
        return checked;
    }

    /** {@code TRIBUTARY_PYTHON}, else {@code root/.venv/bin/python} when it is executable, else {@code python3}. */
    static Choice choose(Map<String, String> environment, Path root) {
        String configured = environment.get(ENV);
        if (configured != null && !configured.isBlank()) {
            return new Choice(configured.strip(), ENV);
        }
        Path venv = root.resolve(".venv/bin/python");
        if (Files.isExecutable(venv)) {
            return new Choice(venv.toString(), "the checkout's .venv");
        }
        return new Choice("python3", "the PATH (no " + ENV + ", no .venv in " + root + ")");
    }

    static void requirePyarrow(Choice choice) {
        String problem;
        try {
            Process process = new ProcessBuilder(choice.executable(), "-c", "import pyarrow")
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                problem = "did not finish 'import pyarrow' within 60 s";
            } else if (process.exitValue() != 0) {
                problem = "cannot import pyarrow: "
                        + output.lines().reduce((first, last) -> last).orElse("exit code " + process.exitValue());
            } else {
                return;
            }
        } catch (IOException e) {
            problem = "cannot be started: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while checking the test Python " + choice.executable(), e);
        }
        throw new IllegalStateException("The test Python " + choice.executable() + " (from " + choice.source() + ") "
                + problem + ". Run dev/install-deps, or set " + ENV + " to an interpreter with pyarrow.");
    }
}
