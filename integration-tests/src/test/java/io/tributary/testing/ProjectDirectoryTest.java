package io.tributary.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectDirectoryTest {
    @Test
    void theRootIsTheNearestDirectoryWithDevSparkSubmit(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("checkout");
        Files.createDirectories(root.resolve("dev"));
        Files.writeString(root.resolve("dev/spark-submit"), "");
        Path module = Files.createDirectories(root.resolve("integration-tests/benchmarks"));
        assertEquals(root, ProjectDirectory.rootAbove(module));
        assertEquals(root, ProjectDirectory.rootAbove(root));
    }

    @Test
    void outsideACheckoutItSaysSo(@TempDir Path dir) {
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> ProjectDirectory.rootAbove(dir));
        assertEquals(
                "No Tributary checkout (a directory with dev/spark-submit) at or above " + dir
                        + "; run the tests and benchmarks from inside the checkout",
                error.getMessage());
    }

    @Test
    void theTestsRunInsideThisCheckout() {
        assertTrue(Files.isRegularFile(ProjectDirectory.root().resolve("integration-tests/pom.xml")));
    }
}
