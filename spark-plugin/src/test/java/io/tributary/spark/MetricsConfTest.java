package io.tributary.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class MetricsConfTest {
    @Test
    void defaultsServeNothingAndPushEveryTenSeconds() {
        MetricsConf conf = MetricsConf.from(new SparkConf(false));
        assertEquals(-1, conf.port);
        assertFalse(conf.served());
        assertEquals("0.0.0.0", conf.host);
        assertEquals(Duration.ofSeconds(10), conf.pushInterval);
    }

    @Test
    void readsPortHostAndInterval() {
        MetricsConf conf = MetricsConf.from(new SparkConf(false)
                .set("spark.tributary.metrics.port", "9464")
                .set("spark.tributary.metrics.host", "127.0.0.1")
                .set("spark.tributary.metrics.pushInterval", "2s"));
        assertEquals(9464, conf.port);
        assertEquals("127.0.0.1", conf.host);
        assertEquals(Duration.ofSeconds(2), conf.pushInterval);
        assertTrue(conf.served());
    }

    @Test
    void portZeroServesOnAnyFreePortAndMinusOneServesNothing() {
        assertTrue(MetricsConf.from(new SparkConf(false).set("spark.tributary.metrics.port", "0"))
                .served());
        assertFalse(MetricsConf.from(new SparkConf(false).set("spark.tributary.metrics.port", "-1"))
                .served());
    }

    @Test
    void badValuesNameTheConf() {
        IllegalArgumentException port = assertThrows(
                IllegalArgumentException.class,
                () -> MetricsConf.from(new SparkConf(false).set("spark.tributary.metrics.port", "http")));
        assertEquals(
                "Conf 'spark.tributary.metrics.port' must be a TCP port (0 for any free port, -1 or unset for no"
                        + " endpoint), got 'http'",
                port.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> MetricsConf.from(new SparkConf(false).set("spark.tributary.metrics.port", "70000")));
        IllegalArgumentException interval = assertThrows(
                IllegalArgumentException.class,
                () -> MetricsConf.from(new SparkConf(false).set("spark.tributary.metrics.pushInterval", "0s")));
        assertEquals(
                "Conf 'spark.tributary.metrics.pushInterval' must be a duration such as 500ms, 30s, 10m, 1h or 1d"
                        + " (a bare number is seconds), from 1ms to 365d, got '0s'",
                interval.getMessage());
    }
}
