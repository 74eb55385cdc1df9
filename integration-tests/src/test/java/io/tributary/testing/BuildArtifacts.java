package io.tributary.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The jars the build made, as integration tests (run by failsafe in integration-tests/) find them. */
public final class BuildArtifacts {
    private BuildArtifacts() {}

    /** The shaded plugin jar users pass to spark-submit: the only {@code tributary-*.jar} in spark-plugin/target. */
    public static Path pluginJar() throws IOException {
        return onlyFile(Path.of("..", "spark-plugin", "target"), "tributary-*.jar");
    }

    /** This module's own jar (fixtures, demo and test jobs). */
    public static Path integrationTestsJar() throws IOException {
        return onlyFile(Path.of("target"), "tributary-integration-tests-*.jar");
    }

    private static Path onlyFile(Path dir, String glob) throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob)) {
            files.forEach(found::add);
        }
        assertEquals(1, found.size(), "exactly one " + glob + " in " + dir + ": " + found);
        return found.get(0);
    }
}
