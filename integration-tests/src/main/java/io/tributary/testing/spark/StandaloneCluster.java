package io.tributary.testing.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Spark standalone cluster on loopback: one Master and N Workers, each its own JVM started from Spark's
 * jars (no Spark distribution needed). {@code SPARK_HOME} is a directory of links to the launch classpath's jars,
 * which is what Workers build executor classpaths from.
 */
public final class StandaloneCluster implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Path sparkHome;
    private final List<String> classpath;
    private final List<String> jvmFlags;
    private final List<Process> processes = new ArrayList<>();
    private final int masterPort;

    private StandaloneCluster(Path sparkHome, List<String> classpath, List<String> jvmFlags, int masterPort) {
        this.sparkHome = sparkHome;
        this.classpath = classpath;
        this.jvmFlags = jvmFlags;
        this.masterPort = masterPort;
    }

    /**
     * @param workDir where SPARK_HOME, logs and worker directories go
     * @param classpath the jars of Spark (and Delta) to run the cluster from
     * @param jvmFlags the module flags Spark needs on the JVMs started here
     */
    public static StandaloneCluster start(
            Path workDir, List<String> classpath, List<String> jvmFlags, int workers, int coresPerWorker)
            throws IOException, InterruptedException {
        Path sparkHome = Files.createDirectories(workDir.resolve("spark-home"));
        Path jars = Files.createDirectories(sparkHome.resolve("jars"));
        for (String entry : classpath) {
            Path jar = Path.of(entry);
            Path link = jars.resolve(jar.getFileName());
            if (entry.endsWith(".jar") && !Files.exists(link)) {
                Files.createSymbolicLink(link, jar.toAbsolutePath());
            }
        }
        // The launcher reads SPARK_HOME/jars only in a "release" layout, which this file marks.
        Files.writeString(sparkHome.resolve("RELEASE"), "Spark jars for Tributary's tests\n");
        StandaloneCluster cluster = new StandaloneCluster(sparkHome, classpath, jvmFlags, freePort());
        try {
            cluster.startProcess(
                    "master",
                    workDir,
                    List.of(
                            "org.apache.spark.deploy.master.Master",
                            "--host",
                            "127.0.0.1",
                            "--port",
                            Integer.toString(cluster.masterPort),
                            "--webui-port",
                            "0"));
            cluster.awaitPort(cluster.masterPort);
            for (int i = 0; i < workers; i++) {
                Path workerDir = Files.createDirectories(workDir.resolve("worker-" + i));
                cluster.startProcess(
                        "worker-" + i,
                        workDir,
                        List.of(
                                "org.apache.spark.deploy.worker.Worker",
                                "--host",
                                "127.0.0.1",
                                "--cores",
                                Integer.toString(coresPerWorker),
                                "--memory",
                                "1g",
                                "--webui-port",
                                "0",
                                "--work-dir",
                                workerDir.toString(),
                                cluster.masterUrl()));
            }
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** The integration tests' classpath (written by the build to {@code target/classpath.txt}). */
    public static List<String> testClasspath() throws IOException {
        return java.util.Arrays.asList(
                Files.readString(Path.of("target", "classpath.txt")).trim().split(java.io.File.pathSeparator));
    }

    /** The module and Netty flags of this JVM (or {@code tributary.sparkJvmFlags}) that Spark's JVMs need. */
    public static List<String> testJvmFlags() {
        List<String> flags = new ArrayList<>();
        for (String flag : System.getProperty(
                        "tributary.sparkJvmFlags",
                        String.join(
                                " ",
                                java.lang.management.ManagementFactory.getRuntimeMXBean()
                                        .getInputArguments()))
                .split(" ")) {
            if (flag.startsWith("--add-") || flag.startsWith("-XX:+Ignore") || flag.startsWith("-Dio.netty")) {
                flags.add(flag);
            }
        }
        return flags;
    }

    /**
     * Runs {@code SparkSubmit --deploy-mode client --jars <pluginJar> <confs> --class <mainClass> <jobJar> <args>}
     * against this cluster and waits for it; its output goes to {@code log}.
     *
     * @return the exit code, or -1 when it did not finish within {@code timeout} (then it is killed)
     */
    public int submit(
            Path log,
            Path pluginJar,
            Path jobJar,
            String mainClass,
            List<String> confs,
            List<String> args,
            Duration timeout)
            throws IOException, InterruptedException {
        List<String> submitArgs =
                new ArrayList<>(List.of("--jars", pluginJar.toAbsolutePath().toString()));
        for (String conf : confs) {
            submitArgs.add("--conf");
            submitArgs.add(conf);
        }
        submitArgs.addAll(List.of("--class", mainClass, jobJar.toAbsolutePath().toString()));
        submitArgs.addAll(args);
        Process process = submit(submitArgs, log);
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    public String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    public Path sparkHome() {
        return sparkHome;
    }

    /**
     * Starts {@code SparkSubmit --master <this cluster> --deploy-mode client <args>} as users run it, with the
     * cluster's classpath, JVM flags and SPARK_HOME; its output goes to {@code log}.
     */
    public Process submit(List<String> args, Path log) throws IOException {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmFlags);
        command.addAll(List.of(
                "-cp",
                String.join(java.io.File.pathSeparator, classpath),
                "org.apache.spark.deploy.SparkSubmit",
                "--master",
                masterUrl(),
                "--deploy-mode",
                "client"));
        command.addAll(args);
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SPARK_HOME", sparkHome.toString());
        return builder.start();
    }

    private void startProcess(String name, Path workDir, List<String> mainAndArgs) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(String.join(java.io.File.pathSeparator, classpath));
        command.addAll(mainAndArgs);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve(name + ".log").toFile());
        builder.environment().put("SPARK_HOME", sparkHome.toString());
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        // Without a Spark build tree, the launcher cannot guess the Scala version executors are built for.
        builder.environment().put("SPARK_SCALA_VERSION", "2.13");
        processes.add(builder.start());
    }

    private void awaitPort(int port) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("Spark master did not listen on " + port + " within " + READY_TIMEOUT);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (Process process : processes) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
