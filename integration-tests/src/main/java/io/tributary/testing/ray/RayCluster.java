package io.tributary.testing.ray;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Ray cluster for tests: {@code ray start --head --block} from the given Python environment,
 * loopback addresses and free ports (the GCS and Ray Client server ports outside Ray's default worker port range
 * 10002-19999), no dashboard. It runs in a process group of its own, which {@link #close()} stops (SIGTERM, then
 * SIGKILL for what is left), so every process Ray started goes with it.
 */
public final class RayCluster implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process head;
    private final Path tempDir;
    private final int gcsPort;
    private final int clientPort;

    private RayCluster(Process head, Path tempDir, int gcsPort, int clientPort) {
        this.head = head;
        this.tempDir = tempDir;
        this.gcsPort = gcsPort;
        this.clientPort = clientPort;
    }

    /**
     * Starts a head node with {@code cpus} CPUs and {@code gpus} GPUs (Ray believes what it is told) and waits
     * until its GCS and Ray Client server accept connections.
     *
     * @param python the interpreter of an environment with {@code ray[client]} (its {@code bin/ray} is used)
     */
    public static RayCluster start(String python, int cpus, int gpus) throws IOException {
        Path ray = Path.of(python).getParent().resolve("ray");
        if (!Files.isExecutable(ray)) {
            throw new IllegalStateException("No ray command next to " + python + "; run dev/install-deps");
        }
        int gcsPort = freePort();
        int clientPort = freePort();
        int agentPort = freePort();
        // Ray's socket paths must stay short (AF_UNIX limit): a short directory right in the temporary directory.
        Path tempDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "ray-");
        List<String> command = new ArrayList<>(List.of(
                "setsid",
                ray.toString(),
                "start",
                "--head",
                "--block",
                "--num-cpus=" + cpus,
                "--num-gpus=" + gpus,
                "--node-ip-address=127.0.0.1",
                "--port=" + gcsPort,
                "--ray-client-server-port=" + clientPort,
                "--dashboard-agent-listen-port=" + agentPort,
                "--include-dashboard=false",
                "--disable-usage-stats",
                "--temp-dir=" + tempDir));
        Path log = tempDir.resolve("ray-start.log");
        Process head = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        RayCluster cluster = new RayCluster(head, tempDir, gcsPort, clientPort);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!(accepts(gcsPort) && accepts(clientPort))) {
            if (!head.isAlive() || System.nanoTime() > deadline) {
                cluster.close();
                throw new IllegalStateException(
                        "Ray did not start (" + (head.isAlive() ? "timeout" : "exit code " + head.exitValue()) + "): "
                                + Files.readString(log));
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cluster.close();
                throw new IllegalStateException("interrupted while Ray started", e);
            }
        }
        return cluster;
    }

    /** Byzer's form of a Ray Client address, {@code 127.0.0.1:<client server port>}. */
    public String clientAddress() {
        return "127.0.0.1:" + clientPort;
    }

    /** The GCS address, for a driver connect. */
    public String gcsAddress() {
        return "127.0.0.1:" + gcsPort;
    }

    /** The pids of the cluster's processes (the head's process group) now. */
    public List<Long> processIds() {
        return ProcessHandle.of(head.pid())
                .map(h -> {
                    List<Long> pids = new ArrayList<>(List.of(h.pid()));
                    h.descendants().forEach(d -> pids.add(d.pid()));
                    return pids;
                })
                .orElse(List.of());
    }

    @Override
    public void close() {
        List<ProcessHandle> processes = new ArrayList<>();
        ProcessHandle.of(head.pid()).ifPresent(h -> {
            processes.add(h);
            h.descendants().forEach(processes::add);
        });
        signalGroup("TERM");
        try {
            if (!head.waitFor(15, TimeUnit.SECONDS)) {
                signalGroup("KILL");
            }
            // Ray's servers may outlive the head's exit for a while; what is left after that is killed.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (processes.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            signalGroup("KILL");
            // Ray's workers start sessions of their own, out of the group; they were started by it all the same.
            processes.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle p : processes) {
                p.onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("Ray's processes did not stop", e);
        }
        deleteTree(tempDir);
    }

    private void signalGroup(String signal) {
        try {
            // setsid made the head the leader of its own process group: the group id is its pid.
            new ProcessBuilder("kill", "-" + signal, "--", "-" + head.pid())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // Ray's leftovers in /tmp are harmless; the test's outcome does not depend on them.
        }
    }
}
