package io.tributary.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestPythonTest {
    @TempDir
    Path checkout;

    @Test
    void theVariableComesFirst() throws Exception {
        Path venvPython = makeVenvPython();
        assertEquals(
                new TestPython.Choice("/opt/py/bin/python", "TRIBUTARY_PYTHON"),
                TestPython.choose(Map.of("TRIBUTARY_PYTHON", " /opt/py/bin/python "), checkout));
        assertEquals(
                new TestPython.Choice(venvPython.toString(), "the checkout's .venv"),
                TestPython.choose(Map.of("TRIBUTARY_PYTHON", " "), checkout));
    }

    @Test
    void thenTheCheckoutsVenvThenPython3() throws Exception {
        assertEquals(
                new TestPython.Choice("python3", "the PATH (no TRIBUTARY_PYTHON, no .venv in " + checkout + ")"),
                TestPython.choose(Map.of(), checkout));
        Path venvPython = makeVenvPython();
        assertEquals(
                new TestPython.Choice(venvPython.toString(), "the checkout's .venv"),
                TestPython.choose(Map.of(), checkout));
    }

    @Test
    void anInterpreterWithoutPyarrowIsRefusedSayingWhatToDo() throws Exception {
        // A real interpreter without pyarrow: a fresh virtualenv of the system's python3.
        Path venv = checkout.resolve("bare-venv");
        Process create = new ProcessBuilder("python3", "-m", "venv", "--without-pip", venv.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(create.getInputStream().readAllBytes());
        assertTrue(create.waitFor(2, TimeUnit.MINUTES) && create.exitValue() == 0, output);
        String python = venv.resolve("bin/python").toString();

        IllegalStateException error = assertThrows(
                IllegalStateException.class,
                () -> TestPython.requirePyarrow(new TestPython.Choice(python, "TRIBUTARY_PYTHON")));
        assertEquals(
                "The test Python " + python + " (from TRIBUTARY_PYTHON) cannot import pyarrow:"
                        + " ModuleNotFoundError: No module named 'pyarrow'. Run dev/install-deps, or set TRIBUTARY_PYTHON to an"
                        + " interpreter with pyarrow.",
                error.getMessage());
    }

    @Test
    void anInterpreterThatCannotStartIsRefused() {
        Path missing = checkout.resolve("no-such-python");
        IllegalStateException error = assertThrows(
                IllegalStateException.class,
                () -> TestPython.requirePyarrow(new TestPython.Choice(missing.toString(), "TRIBUTARY_PYTHON")));
        assertTrue(
                error.getMessage()
                        .startsWith("The test Python " + missing + " (from TRIBUTARY_PYTHON) cannot be"
                                + " started: Cannot run program \"" + missing + "\""),
                error.getMessage());
        assertTrue(
                error.getMessage()
                        .endsWith(
                                ". Run dev/install-deps, or set TRIBUTARY_PYTHON to an interpreter with" + " pyarrow."),
                error.getMessage());
    }

    private Path makeVenvPython() throws Exception {
        Path python = Files.createDirectories(checkout.resolve(".venv/bin")).resolve("python");
        Files.writeString(python, "#!/bin/sh\n");
        assertTrue(python.toFile().setExecutable(true));
        return python;
    }
}
