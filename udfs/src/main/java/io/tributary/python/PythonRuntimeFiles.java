package io.tributary.python;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The worker's Python code ({@code tributary_runtime} and {@code pyjava}) ships as resources in the jar and is
 * unpacked once per JVM into {@code <tmp>/tributary-python-<content hash>}, which goes on the worker's PYTHONPATH.
 * The hash names the directory, so a new jar never meets an old copy, and JVMs sharing a machine share one copy.
 */
final class PythonRuntimeFiles {
    static final String RESOURCE_ROOT = "io/tributary/python/runtime/";
    static final String FILE_LIST = RESOURCE_ROOT + "FILES";

    private static Path unpacked;

    private PythonRuntimeFiles() {}

    /** The directory to put on PYTHONPATH, unpacked on first use. */
    static synchronized Path directory() {
        if (unpacked == null) {
            unpacked = unpack(Path.of(System.getProperty("java.io.tmpdir")));
        }
        return unpacked;
    }

    static Path unpack(Path parent) {
        Map<String, byte[]> files = load();
        Path target = parent.resolve("tributary-python-" + hash(files));
        if (Files.isDirectory(target)) {
            return target;
        }
        try {
            Files.createDirectories(parent);
            Path staging = Files.createTempDirectory(parent, "tributary-python-staging-");
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                Path path = staging.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.write(path, file.getValue());
            }
            try {
                // Another JVM may unpack the same files at the same time; whoever renames first wins.
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                deleteTree(staging);
            } catch (IOException e) {
                deleteTree(staging);
                if (!Files.isDirectory(target)) {
                    throw e;
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot unpack Tributary's Python worker files into " + parent, e);
        }
    }

    private static Map<String, byte[]> load() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : new String(read(FILE_LIST), StandardCharsets.UTF_8).split("\n")) {
            if (!name.isBlank()) {
                files.put(name.trim(), read(RESOURCE_ROOT + name.trim()));
            }
        }
        return files;
    }

    private static byte[] read(String resource) {
        try (InputStream in = PythonRuntimeFiles.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Resource " + resource + " is missing from Tributary's jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read resource " + resource, e);
        }
    }

    private static String hash(Map<String, byte[]> files) {
        MessageDigest digest = Sha256.newDigest();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            digest.update(file.getKey().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(file.getValue());
        }
        return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
