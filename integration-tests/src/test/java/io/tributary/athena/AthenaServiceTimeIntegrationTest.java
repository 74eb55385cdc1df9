package io.tributary.athena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.testing.athena.AthenaEmulator;
import io.tributary.testing.athena.S3Server;
import io.tributary.testing.athena.ServiceTime;
import java.time.Duration;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The emulator's service-time model does what the benchmark says it does: each GetQueryResults page waits the
 * page latency, and every S3 request a reader makes goes through the delaying endpoint and waits the first-byte
 * latency. Only lower bounds are asserted (a wait the model guarantees), never how fast anything is.
 */
class AthenaServiceTimeIntegrationTest {
  private static final Duration LATENCY = Duration.ofMillis(200);
  /** 2500 rows plus the header row: three pages of at most 1000. */
  private static final String PAGED = "SELECT id FROM paged ORDER BY id";
  private static final long PAGED_ID_SUM = 2500L * 2499 / 2;

  @BeforeAll
  static void createPagedTable() throws Exception {
    SharedAthena.athena().sql("CREATE OR REPLACE TABLE db.paged AS SELECT CAST(i AS INTEGER) AS id FROM range(2500)"
        + " t(i)");
  }

  @AfterEach
  void modelOff() throws Exception {
    SharedAthena.athena().serviceTime(ServiceTime.NONE);
  }

  private static List<Row> readIds(String fetchMode) throws Exception {
    return SharedAthena.read(SharedAthena.athena()).option("fetchMode", fetchMode).option("query", PAGED).load()
        .collectAsList();
  }

  private static void assertAllIds(List<Row> rows, String mode) {
    assertEquals(2500, rows.size(), mode);
    assertEquals(0, rows.get(0).getInt(0), mode);
    assertEquals(2499, rows.get(2499).getInt(0), mode);
    assertEquals(PAGED_ID_SUM, rows.stream().mapToLong(r -> r.getInt(0)).sum(), mode);
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  @Test
  void everyGetQueryResultsPageWaitsThePageLatency() throws Exception {
    AthenaEmulator athena = SharedAthena.athena();
    assertAllIds(readIds("api"), "api without the model");

    athena.serviceTime(new ServiceTime(LATENCY, Duration.ZERO));
    int pagesBefore = athena.calls("GetQueryResults");
    long start = System.nanoTime();
    List<Row> rows = readIds("api");
    long elapsed = millisSince(start);
    int pages = athena.calls("GetQueryResults") - pagesBefore;

    assertAllIds(rows, "api with the model");
    assertTrue(pages >= 3, "2501 result rows need at least 3 pages, GetQueryResults was called " + pages + " times");
    // Pages chain by NextToken, so their waits add up.
    assertTrue(elapsed >= pages * LATENCY.toMillis(), pages + " pages at " + LATENCY.toMillis()
        + " ms each took only " + elapsed + " ms");
  }

  @Test
  void everyS3RequestOfTheReaderWaitsTheFirstByteLatency() throws Exception {
    AthenaEmulator athena = SharedAthena.athena();
    S3Server s3 = SharedAthena.s3();
    athena.serviceTime(new ServiceTime(Duration.ZERO, LATENCY));
    try (S3Client reader = s3.readerClient(); S3Client athenaSide = s3.client()) {
      long before = s3.readerRequests();
      athenaSide.putObject(r -> r.bucket(SharedAthena.BUCKET).key("latency/probe.txt"), RequestBody.fromString("x"));
      assertEquals(before, s3.readerRequests(), "the Athena side's own writes bypass the reader endpoint");

      long start = System.nanoTime();
      reader.headObject(r -> r.bucket(SharedAthena.BUCKET).key("latency/probe.txt"));
      assertTrue(millisSince(start) >= LATENCY.toMillis(), "HEAD");
      start = System.nanoTime();
      assertEquals("x", reader.getObjectAsBytes(r -> r.bucket(SharedAthena.BUCKET).key("latency/probe.txt"))
          .asUtf8String());
      assertTrue(millisSince(start) >= LATENCY.toMillis(), "GET");
      start = System.nanoTime();
      assertEquals(1, reader.listObjectsV2(r -> r.bucket(SharedAthena.BUCKET).prefix("latency/")).keyCount());
      assertTrue(millisSince(start) >= LATENCY.toMillis(), "LIST");
      assertEquals(before + 3, s3.readerRequests(), "one delayed pass per request");
    }

    // The reader's S3 traffic goes through the delaying endpoint in both S3 modes.
    for (String mode : List.of("csv", "unload")) {
      long before = s3.readerRequests();
      long start = System.nanoTime();
      assertAllIds(readIds(mode), mode);
      long requests = s3.readerRequests() - before;
      assertTrue(requests >= 1, mode + " read made no request to the reader endpoint");
      assertTrue(millisSince(start) >= LATENCY.toMillis(), mode);
    }
  }
}
