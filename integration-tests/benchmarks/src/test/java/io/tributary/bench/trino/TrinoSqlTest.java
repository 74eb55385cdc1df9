package io.tributary.bench.trino;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrinoSqlTest {
    private static final String PREDICATE = "\"timestamp\" >= TIMESTAMP '2023-01-01 00:00:00.000 UTC'"
            + " AND \"timestamp\" < TIMESTAMP '2023-01-04 00:00:00.000 UTC'";
    private final TrinoSql sql = new TrinoSql(
            List.of("node_memory_MemFree_bytes", "node_memory_Active_bytes"),
            Instant.parse("2023-01-01T00:00:00Z"),
            Instant.parse("2023-01-04T00:00:00Z"));

    @Test
    void everyReadCarriesTheTimePredicateTrinoPushesDown() {
        assertEquals(
                "SELECT count(*) FROM prometheus.\"default\".\"node_memory_MemFree_bytes\" WHERE " + PREDICATE,
                sql.countOf("node_memory_MemFree_bytes"));
        assertEquals(
                "SELECT count(*) FROM (SELECT 1 FROM prometheus.\"default\".\"node_memory_MemFree_bytes\" WHERE "
                        + PREDICATE
                        + " UNION ALL SELECT 1 FROM prometheus.\"default\".\"node_memory_Active_bytes\" WHERE "
                        + PREDICATE + ")",
                sql.countAll());
        assertEquals(
                "CREATE TABLE delta.bench.node_memory AS SELECT labels, \"timestamp\", value FROM"
                        + " prometheus.\"default\".\"node_memory_MemFree_bytes\" WHERE " + PREDICATE
                        + " UNION ALL SELECT labels,"
                        + " \"timestamp\", value FROM prometheus.\"default\".\"node_memory_Active_bytes\" WHERE "
                        + PREDICATE,
                sql.createDeltaTable());
    }

    @Test
    void millisecondsAreKeptInTheTimeLiterals() {
        TrinoSql subSecond = new TrinoSql(
                List.of("up"), Instant.parse("2023-01-01T00:00:00.250Z"), Instant.parse("2023-01-01T01:00:00.001Z"));
        assertEquals(
                "SELECT count(*) FROM prometheus.\"default\".\"up\" WHERE \"timestamp\" >= TIMESTAMP"
                        + " '2023-01-01 00:00:00.250 UTC' AND \"timestamp\" < TIMESTAMP '2023-01-01 01:00:00.001 UTC'",
                subSecond.countOf("up"));
    }

    @Test
    void aMetricThatIsNoPrometheusNameIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sql.countOf("up\" OR 1=1"));
        assertEquals("metric must be a Prometheus metric name, got 'up\" OR 1=1'", e.getMessage());
    }

    @Test
    void theDeltaSchemaAndTableStatements() {
        assertEquals("CREATE SCHEMA IF NOT EXISTS delta.bench", TrinoSql.createDeltaSchema());
        assertEquals("DROP TABLE IF EXISTS delta.bench.node_memory", TrinoSql.dropDeltaTable());
    }

    @Test
    void theCatalogsTrinoReadsAndWrites() {
        assertEquals(
                List.of(
                        "connector.name=prometheus",
                        "prometheus.uri=http://127.0.0.1:9090",
                        "prometheus.query.chunk.size.duration=1d",
                        "prometheus.max.query.range.duration=1500d",
                        "prometheus.cache.ttl=30s",
                        "prometheus.case-insensitive-name-matching=true"),
                TrinoServer.prometheusCatalog("http://127.0.0.1:9090"));
        assertEquals(
                List.of(
                        "connector.name=delta_lake",
                        "hive.metastore=file",
                        "hive.metastore.catalog.dir=file:///tmp/bench/metastore",
                        "fs.hadoop.enabled=true"),
                TrinoServer.deltaCatalog(Path.of("/tmp/bench/metastore")));
    }
}
