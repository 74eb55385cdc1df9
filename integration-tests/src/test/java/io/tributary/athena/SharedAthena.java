package io.tributary.athena;

import io.tributary.testing.SparkTestSession;
import io.tributary.testing.athena.AthenaEmulator;
import io.tributary.testing.athena.S3Server;
import java.util.Map;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.SparkSession;

/** One S3 server and two Athena emulators per test JVM: one with S3 result files, one with managed storage. */
final class SharedAthena {
    static final String BUCKET = "athena-results";
    static final String OUTPUT = "s3://" + BUCKET + "/queries/";

    private static S3Server s3;
    private static AthenaEmulator athena;
    private static AthenaEmulator managed;

    private SharedAthena() {}

    static synchronized S3Server s3() throws Exception {
        if (s3 == null) {
            s3 = S3Server.start();
            s3.createBucket(BUCKET);
        }
        return s3;
    }

    static synchronized AthenaEmulator athena() throws Exception {
        if (athena == null) {
            athena = AthenaEmulator.start(s3(), OUTPUT);
            AthenaFixtureTables.create(athena);
        }
        return athena;
    }

    /** An emulator whose workgroup uses managed query result storage: no result file in S3. */
    static synchronized AthenaEmulator managed() throws Exception {
        if (managed == null) {
            managed = AthenaEmulator.start(s3(), null);
            AthenaFixtureTables.create(managed);
        }
        return managed;
    }

    static SparkSession spark() {
        return SparkTestSession.get();
    }

    static Map<String, String> options(AthenaEmulator emulator) throws Exception {
        return emulator.readOptions(s3(), "db");
    }

    static DataFrameReader read(AthenaEmulator emulator) throws Exception {
        return spark().read().format("athena").options(options(emulator));
    }
}
