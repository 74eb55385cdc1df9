package io.tributary.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** What a script prints reaches the executor log within the caps, and all of it (within its bound) a file. */
class ScriptOutputTest {
    static final StructType PID = new StructType().add("pid", DataTypes.LongType);
    static final Pattern KEPT_IN = Pattern.compile("the output is kept in (\\S+), up to");

    @AfterAll
    static void deleteKeptFiles() throws IOException {
        Path dir = ScriptOutputFiles.directory();
        for (Path file : files(dir)) {
            Files.delete(file);
        }
        Files.delete(dir);
    }

    /** Runs {@code code} (which returns its worker's pid); the log lines it made. */
    static List<String> logOf(String code, Map<String, String> options, long[] pid) {
        try (CapturedLog log = new CapturedLog(PythonWorker.class)) {
            List<String> out =
                    PythonTaskRunTest.run(code + "\ncontext.build_result([{'pid': os.getpid()}])", PID, options, 0);
            pid[0] = Long.parseLong(out.get(0));
            // The script's output, without the pool's own lines (a worker started).
            return log.messages().stream().filter(m -> m.startsWith("python[")).toList();
        }
    }

    static Path keptFile(String message) {
        Matcher m = KEPT_IN.matcher(message);
        assertTrue(m.find(), message);
        return Path.of(m.group(1));
    }

    @Test
    void sigusr1LogsThePythonStackOfEveryThreadAndTheScriptGoesOn() {
        long[] pid = new long[1];
        List<String> log = logOf(
                String.join(
                        "\n",
                        "import os, signal, time",
                        "def waiting_here():",
                        "    os.kill(os.getpid(), signal.SIGUSR1)",
                        "    time.sleep(0.2)",
                        "waiting_here()",
                        "print('went on')"),
                Map.of(),
                pid);
        String p = "python[" + pid[0] + "]: ";
        assertTrue(log.contains(p + "  File \"<python transform>\", line 3 in waiting_here"), log.toString());
        assertEquals(p + "went on", log.get(log.size() - 1), log.toString());
    }

    @Test
    void aHugeLineIsLoggedCutAndKeptWholeInTheTaskFile() throws IOException {
        long[] pid = new long[1];
        List<String> log = logOf(
                "import os\nprint()\nprint('x' * 5_000_000)\nprint('after')", Map.of("maxLogLineBytes", "100"), pid);
        String p = "python[" + pid[0] + "]: ";
        assertEquals(3, log.size(), log.toString());
        assertEquals(p, log.get(0));
        Path file = keptFile(log.get(1));
        assertEquals(
                p + "x".repeat(100) + "… [line cut: 100 of its 5000000 bytes logged (option 'maxLogLineBytes');"
                        + " the output is kept in " + file + ", up to 16777216 bytes (option 'maxOutputFileBytes')]",
                log.get(1));
        assertEquals(p + "after", log.get(2));
        assertEquals("\n" + "x".repeat(5_000_000) + "\nafter\n", Files.readString(file));
        assertTrue(file.getFileName().toString().matches("run-\\d+-worker-" + pid[0] + "\\.log"), file.toString());
    }

    @Test
    void theFileKeepsAtMostItsBoundAndSaysWhatItCut() throws IOException {
        long[] pid = new long[1];
        List<String> log = logOf(
                "import os\nprint('y' * 5_000_000)\nprint('after')",
                Map.of("maxLogLineBytes", "10", "maxOutputFileBytes", "1m"),
                pid);
        Path file = keptFile(log.get(0));
        assertTrue(log.get(0).endsWith("up to 1048576 bytes (option 'maxOutputFileBytes')]"), log.get(0));
        assertEquals(
                "y".repeat(1_048_576) + "\n[output cut here: the file holds the first 1048576 bytes (option "
                        + "'maxOutputFileBytes'); 3951431 more bytes were not kept]\n",
                Files.readString(file));
    }

    @Test
    void manyLinesStopAtTheLineCapWithOneLineSayingWhereTheRestIs() throws IOException {
        long[] pid = new long[1];
        List<String> log =
                logOf("import os\nfor i in range(100_000):\n    print(i)", Map.of("maxLogLinesPerTask", "1000"), pid);
        String p = "python[" + pid[0] + "]: ";
        assertEquals(1002, log.size());
        for (int i = 0; i < 1000; i++) {
            assertEquals(p + i, log.get(i));
        }
        Path file = keptFile(log.get(1000));
        String task = "run \\d+ outside Spark tasks";
        assertTrue(
                log.get(1000)
                        .matches(Pattern.quote(p) + "\\[the output of " + task + " is no longer logged: "
                                + "1000 lines, 2890 bytes logged \\(limits: 1000 lines, option 'maxLogLinesPerTask', 1048576 bytes, "
                                + "option 'maxLogBytesPerTask'\\); the output is kept in "
                                + Pattern.quote(file.toString())
                                + ", up to 16777216 bytes \\(option 'maxOutputFileBytes'\\)\\]"),
                log.get(1000));
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            all.append(i).append('\n');
        }
        assertTrue(
                log.get(1001)
                        .matches(Pattern.quote(p) + "\\[" + task + " wrote 100000 lines, " + all.length()
                                + " bytes of output; 99000 lines were not logged; all of it is in "
                                + Pattern.quote(file.toString())
                                + "\\]"),
                log.get(1001));
        assertEquals(all.toString(), Files.readString(file));
    }

    @Test
    void theByteCapCountsLoggedBytesAndEachTaskHasItsOwnBudget() {
        long[] pid = new long[1];
        Map<String, String> caps = Map.of("maxLogBytesPerTask", "1k", "maxLogLineBytes", "300");
        List<String> log = logOf("import os\nfor i in range(50):\n    print('%03d' % i + 'z' * 497)", caps, pid);
        String p = "python[" + pid[0] + "]: ";
        // 300 bytes of each line are logged: three lines fit into 1024 bytes, the fourth does not.
        assertEquals(5, log.size(), log.toString());
        for (int i = 0; i < 3; i++) {
            assertTrue(
                    log.get(i)
                            .startsWith(p + String.format("%03d", i) + "z".repeat(297) + "… [line cut: 300 of "
                                    + "its 500 bytes logged"),
                    log.get(i));
        }
        assertTrue(
                log.get(3)
                        .contains("is no longer logged: 3 lines, 900 bytes logged (limits: 10000 lines, "
                                + "option 'maxLogLinesPerTask', 1024 bytes, option 'maxLogBytesPerTask')"),
                log.get(3));
        assertTrue(
                log.get(4)
                        .contains(" wrote 50 lines, 25050 bytes of output; 47 lines were not logged; all of "
                                + "it is in "),
                log.get(4));
        // The same worker's next task starts with a whole budget.
        long first = pid[0];
        assertEquals(List.of("python[" + first + "]: next task"), logOf("import os\nprint('next task')", caps, pid));
        assertEquals(first, pid[0]);
    }

    @Test
    void outputThatFitsIsLoggedWholeAndKeepsNoFile() throws IOException {
        Path dir = ScriptOutputFiles.directory();
        List<Path> before = files(dir);
        long[] pid = new long[1];
        List<String> log =
                logOf("import os, sys\nprint('one')\nprint('')\nsys.stdout.write('no newline')", Map.of(), pid);
        String p = "python[" + pid[0] + "]: ";
        assertEquals(List.of(p + "one", p, p + "no newline"), log);
        assertEquals(before, files(dir));
    }

    @Test
    void aScriptThatRedirectsItsOutputLeavesTheNextTaskLogged() throws IOException {
        Path elsewhere = Files.createTempFile("elsewhere", ".txt");
        try {
            long[] pid = new long[1];
            String redirect = """
                    import os, sys
                    os.dup2(os.open(%s, os.O_WRONLY | os.O_APPEND), 2)
                    sys.stdout = open(%<s, "a")
                    print("to the file")
                    sys.stdout.flush()
                    """.formatted("'" + elsewhere + "'");
            assertEquals(List.of(), logOf(redirect, Map.of(), pid));
            long first = pid[0];
            assertEquals(
                    List.of("python[" + first + "]: back in the log"),
                    logOf("import os\nprint('back in the log')", Map.of(), pid));
            assertEquals(first, pid[0], "the same worker");
            assertEquals("to the file\n", Files.readString(elsewhere));
        } finally {
            Files.delete(elsewhere);
        }
    }

    @Test
    void aFailedScriptStillLogsItsOutputAndTheTracebackReachesTheError() {
        try (CapturedLog log = new CapturedLog(PythonWorker.class)) {
            PythonTransformException e = assertThrows(
                    PythonTransformException.class,
                    () -> PythonTaskRunTest.run(
                            "print('before the error')\nraise ValueError('boom')", PID, Map.of(), 0));
            assertTrue(e.getMessage().contains("ValueError: boom"), e.getMessage());
            assertTrue(
                    log.messages().stream().anyMatch(m -> m.endsWith("]: before the error")),
                    log.messages().toString());
        }
    }

    @Test
    void capsAreOptionsAndSessionConfs() {
        ScriptOutputLimits limits = PythonTransformOptions.from(
                        "pass",
                        PID,
                        Map.of("maxLogLineBytes", "2k", "MAXLOGLINESPERTASK", "7"),
                        Map.of(
                                "spark.tributary.python.maxLogLineBytes",
                                "1k",
                                "spark.tributary.python.maxLogBytesPerTask",
                                "3m",
                                "spark.tributary.python.maxOutputFileBytes",
                                "5000",
                                "spark.tributary.python.maxOutputFiles",
                                "9"),
                        Map.of())
                .outputLimits();
        assertEquals(new ScriptOutputLimits(2048, 7, 3 * 1024 * 1024, 5000, 9), limits);
        assertEquals(
                ScriptOutputLimits.DEFAULTS,
                PythonTransformOptions.from("pass", PID, Map.of(), Map.of(), Map.of())
                        .outputLimits());
        assertEquals(new ScriptOutputLimits(8192, 10_000, 1 << 20, 16 << 20, 64), ScriptOutputLimits.DEFAULTS);
        assertEquals(
                "Option 'maxLogLineBytes' must be a size such as 512k, 64m or 1g (a bare number is bytes), from"
                        + " 1 to 1m, got '2m'",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> PythonTransformOptions.from(
                                        "pass", PID, Map.of("maxLogLineBytes", "2m"), Map.of(), Map.of()))
                        .getMessage());
        assertEquals(
                "Option 'maxOutputFileBytes' must be a size such as 512k, 64m or 1g (a bare number is bytes),"
                        + " from 1 to 9223372036854775807, got 'lots'",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> PythonTransformOptions.from(
                                        "pass",
                                        PID,
                                        Map.of(),
                                        Map.of("spark.tributary.python.maxOutputFileBytes", "lots"),
                                        Map.of()))
                        .getMessage());
        assertEquals(
                "Option 'maxLogLinesPerTask' must be a whole number from 1 to 2147483647, got '0'",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> PythonTransformOptions.from(
                                        "pass", PID, Map.of("maxLogLinesPerTask", "0"), Map.of(), Map.of()))
                        .getMessage());
    }

    @Test
    void utf8IsCutBetweenCharacters() {
        byte[] text = "aé€😀".getBytes(StandardCharsets.UTF_8); // 1 + 2 + 3 + 4 bytes
        int[] expected = {0, 1, 1, 3, 3, 3, 6, 6, 6, 6, 10};
        for (int length = 0; length <= text.length; length++) {
            assertEquals(expected[length], ScriptOutputLog.Utf8.boundary(text, length), "length " + length);
        }
    }

    @Test
    void keptFilesAreBoundedInNumber() throws IOException {
        Path dir = Files.createTempDirectory("kept");
        List<Path> made = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            made.add(Files.writeString(dir.resolve("f" + i), "x"));
            ScriptOutputFiles.keep(made.get(i), 2);
        }
        assertFalse(Files.exists(made.get(0)));
        assertFalse(Files.exists(made.get(1)));
        assertEquals(List.of(made.get(2), made.get(3)), files(dir));
    }

    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.sorted().toList();
        }
    }
}
