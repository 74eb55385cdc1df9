package io.tributary.testing.spark;

import io.tributary.flight.TributaryFlight;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;

/**
 * The job the Flight cluster test submits: once both executors are up, serves 100,000 rows in 8 partitions as
 * {@code cluster_rows} over Arrow Flight, writes the driver's Flight port to {@code <dir>/flight-port}, and ends
 * when {@code <dir>/done} appears (or after 4 minutes). Argument: {@code <dir>}.
 */
public final class ClusterFlightJob {
    private ClusterFlightJob() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        SparkSession spark = SparkSession.builder().getOrCreate();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        // The driver and both executors: only then do the partitions spread over both.
        while (spark.sparkContext().getExecutorMemoryStatus().size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        TributaryFlight.serve("cluster_rows", spark.range(0, 100_000, 1, 8).selectExpr("id", "id * 3 AS triple"));
        Path port = dir.resolve("flight-port.tmp");
        Files.writeString(port, spark.sparkContext().getConf().get("spark.tributary.flight.boundPort"));
        Files.move(port, dir.resolve("flight-port"), StandardCopyOption.ATOMIC_MOVE);
        while (!Files.exists(dir.resolve("done")) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        spark.stop();
    }
}
