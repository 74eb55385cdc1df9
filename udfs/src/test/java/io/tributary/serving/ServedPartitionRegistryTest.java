package io.tributary.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServedPartitionRegistryTest {
    private static final String SECRET = "s3cr3t";

    @TempDir
    Path tmp;

    private final AtomicLong now = new AtomicLong();
    private final ServedPartitionRegistry registry = new ServedPartitionRegistry(now::get);

    private Path file(String name, String content) throws IOException {
        return Files.writeString(tmp.resolve(name), content);
    }

    @Test
    void aPartitionIsHandedOverOnceToWhoeverHasTheSecret() throws Exception {
        Path file = file("p0", "arrow bytes");
        registry.register("abc", 0, file, PartitionTicket.secretHash(SECRET), Duration.ofMinutes(1));

        PartitionAccessException wrong = assertThrows(
                PartitionAccessException.class, () -> registry.take(new PartitionTicket("abc", 0, "guess")));
        assertEquals("Wrong secret for partition 0 of serving abc", wrong.getMessage());

        try (InputStream in =
                registry.take(new PartitionTicket("abc", 0, SECRET)).open(Duration.ofMinutes(1))) {
            assertEquals("arrow bytes", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        PartitionAccessException twice = assertThrows(
                PartitionAccessException.class, () -> registry.take(new PartitionTicket("abc", 0, SECRET)));
        assertEquals(
                "partition 0 of serving abc was fetched already; each reference can be read once", twice.getMessage());

        PartitionAccessException unknown = assertThrows(
                PartitionAccessException.class, () -> registry.take(new PartitionTicket("abc", 1, SECRET)));
        assertEquals(
                "No partition 1 of serving abc is served here: it was never registered on this server, "
                        + "expired unfetched, or was released when its transform ended",
                unknown.getMessage());
    }

    @Test
    void anUnfetchedPartitionExpiresAndItsFileIsDeleted() throws Exception {
        Path file = file("p0", "x");
        registry.register("abc", 0, file, PartitionTicket.secretHash(SECRET), Duration.ofSeconds(30));
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        registry.sweep();
        assertEquals(1, registry.size(), "at its deadline it is still there");
        now.incrementAndGet();
        registry.sweep();
        assertEquals(0, registry.size());
        assertFalse(Files.exists(file));
        assertThrows(PartitionAccessException.class, () -> registry.take(new PartitionTicket("abc", 0, SECRET)));
    }

    @Test
    void releaseNeedsTheSecretAndDropsEveryPartitionOfTheServing() throws Exception {
        Path p0 = file("p0", "a");
        Path p1 = file("p1", "b");
        Path other = file("other", "c");
        registry.register("abc", 0, p0, PartitionTicket.secretHash(SECRET), Duration.ofMinutes(1));
        registry.register("abc", 1, p1, PartitionTicket.secretHash(SECRET), Duration.ofMinutes(1));
        registry.register("def", 0, other, PartitionTicket.secretHash("other"), Duration.ofMinutes(1));

        PartitionAccessException wrong =
                assertThrows(PartitionAccessException.class, () -> registry.release("abc", "guess"));
        assertEquals("Wrong secret for serving abc", wrong.getMessage());
        assertEquals(3, registry.size());

        assertEquals(2, registry.release("abc", SECRET));
        assertEquals(1, registry.size());
        assertFalse(Files.exists(p0));
        assertFalse(Files.exists(p1));
        assertTrue(Files.exists(other));
    }

    @Test
    void ticketsAndTheirDescriptionsLeaveTheSecretOut() {
        PartitionTicket ticket = new PartitionTicket("abc", 3, SECRET);
        assertEquals("PartitionTicket[partition 3 of serving abc]", ticket.toString());
        assertTrue(PartitionTicket.newSecret().matches("[0-9a-f]{64}"));
        assertTrue(PartitionTicket.newServingId().matches("[0-9a-f]{16}"));
    }

    @Test
    void theServerStreamsAPartitionOnceAndReleasesOnRequest() throws Exception {
        PartitionServer server = PartitionServer.on("127.0.0.1");
        String serving = PartitionTicket.newServingId();
        String secret = PartitionTicket.newSecret();
        byte[] content = "the partition's Arrow IPC stream".getBytes(StandardCharsets.UTF_8);
        Path p0 = Files.write(tmp.resolve("served0"), content);
        Path p1 = Files.write(tmp.resolve("served1"), content);
        ServedPartitionRegistry.shared()
                .register(serving, 0, p0, PartitionTicket.secretHash(secret), Duration.ofMinutes(1));
        ServedPartitionRegistry.shared()
                .register(serving, 1, p1, PartitionTicket.secretHash(secret), Duration.ofMinutes(1));

        try (InputStream in =
                PartitionClient.fetch("127.0.0.1", server.port(), new PartitionTicket(serving, 0, secret))) {
            assertArrayEquals(content, in.readAllBytes());
        }
        // The server deletes the file after it has sent the last byte, so a moment after the client read it.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (Files.exists(p0) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(Files.exists(p0), "a sent partition's file is deleted");
        PartitionAccessException again = assertThrows(
                PartitionAccessException.class,
                () -> PartitionClient.fetch("127.0.0.1", server.port(), new PartitionTicket(serving, 0, secret)));
        assertEquals(
                "Partition server 127.0.0.1:" + server.port() + ": partition 0 of serving " + serving
                        + " was fetched already; each reference can be read once",
                again.getMessage());

        assertThrows(
                PartitionAccessException.class,
                () -> PartitionClient.release("127.0.0.1", server.port(), serving, "guess"));
        assertEquals(2, PartitionClient.release("127.0.0.1", server.port(), serving, secret));
        assertFalse(Files.exists(p1));
    }
}
