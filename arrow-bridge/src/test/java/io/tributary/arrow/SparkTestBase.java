package io.tributary.arrow;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/** The module's SparkSession and a per-test working directory under target/, kept after the run for inspection. */
abstract class SparkTestBase {
    static final SparkSession spark = TestSpark.get();

    Path tmp;

    @BeforeEach
    void workDir(TestInfo test) throws IOException {
        tmp = TestDirs.fresh(getClass().getSimpleName() + "-"
                + test.getTestMethod().orElseThrow().getName());
    }
}
