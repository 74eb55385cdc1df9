package io.tributary.arrow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Test working directories under target/test-work, emptied at the start of each test and kept afterwards. */
final class TestDirs {
    private TestDirs() {}

    static Path fresh(String name) throws IOException {
        Path dir = Path.of("target", "test-work", name).toAbsolutePath();
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
        return dir;
    }
}
