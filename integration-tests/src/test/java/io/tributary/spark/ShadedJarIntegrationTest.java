package io.tributary.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.testing.BuildArtifacts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The build's check of the jar users pass to spark-submit: every class in it is Tributary's own or relocated under
 * {@code io.tributary.shaded} (so nothing can clash with a library Spark or the cluster ships), and its service
 * files name classes that are in the jar.
 */
class ShadedJarIntegrationTest {
    private static final String VERSIONED = "META-INF/versions/";
    private static JarFile jar;
    private static Set<String> classes;

    @BeforeAll
    static void openJar() throws IOException {
        jar = new JarFile(BuildArtifacts.pluginJar().toFile());
        classes = jar.stream()
                .map(JarEntry::getName)
                .filter(name -> name.endsWith(".class"))
                .map(ShadedJarIntegrationTest::unversioned)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String unversioned(String entry) {
        return entry.startsWith(VERSIONED) ? entry.substring(entry.indexOf('/', VERSIONED.length()) + 1) : entry;
    }

    @Test
    void everyClassIsOwnOrRelocated() {
        List<String> foreign = classes.stream()
                .filter(name -> !name.startsWith("io/tributary/"))
                .collect(Collectors.toList());
        assertTrue(
                foreign.isEmpty(),
                "unrelocated classes in the plugin jar (relocate them under io.tributary.shaded"
                        + " in spark-plugin/pom.xml, or leave them to Spark): "
                        + foreign.subList(0, Math.min(20, foreign.size())));
        assertTrue(classes.contains("io/tributary/prometheus/PrometheusDataSource.class"));
    }

    @Test
    void serviceFilesNameClassesInTheJar() throws IOException {
        assertTrue(services("org.apache.spark.sql.sources.DataSourceRegister")
                .contains("io.tributary.prometheus.PrometheusDataSource"));
        assertEquals(
                List.of("io.tributary.spark.TributarySessionExtensions"),
                services("org.apache.spark.sql.SparkSessionExtensionsProvider"));
        for (JarEntry entry : jar.stream()
                .filter(e -> e.getName().startsWith("META-INF/services/") && !e.isDirectory())
                .collect(Collectors.toList())) {
            for (String provider : services(entry.getName().substring("META-INF/services/".length()))) {
                assertTrue(
                        classes.contains(provider.replace('.', '/') + ".class"),
                        entry.getName() + " names " + provider + ", which is not in the jar");
            }
        }
    }

    private static List<String> services(String service) throws IOException {
        JarEntry entry = jar.getJarEntry("META-INF/services/" + service);
        assertTrue(entry != null, "the jar lacks META-INF/services/" + service);
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(jar.getInputStream(entry), StandardCharsets.UTF_8))) {
            return reader.lines()
                    .map(line -> line.replaceAll("#.*", "").trim())
                    .filter(line -> !line.isEmpty())
                    .collect(Collectors.toList());
        }
    }
}
