package io.tributary.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;
import org.apache.spark.sql.catalyst.InternalRow;
import org.junit.jupiter.api.Test;

/** Local files go through a FileChannel (no .crc side file); other file systems through their Hadoop stream. */
class ArrowOutputChannelsTest extends SparkTestBase {

    /** Hadoop's local file system under another class, as a file system that adds behaviour would be. */
    public static final class TrackingLocalFileSystem extends LocalFileSystem {
        static final AtomicInteger CREATED = new AtomicInteger();

        @Override
        public FSDataOutputStream create(
                org.apache.hadoop.fs.Path f,
                FsPermission permission,
                boolean overwrite,
                int bufferSize,
                short replication,
                long blockSize,
                Progressable progress)
                throws IOException {
            CREATED.incrementAndGet();
            return super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
        }
    }

    @Test
    void localFilesHaveNoChecksumFileAndHadoopsPermissions() throws Exception {
        Path out = tmp.resolve("local");
        AllTypesData.dataFrame(spark).write().format("arrow").save(out.toString());

        List<Path> arrowFiles = filesEndingWith(out, ".arrow");
        assertEquals(3, arrowFiles.size());
        assertEquals(List.of(), filesEndingWith(out, ".arrow.crc"));
        for (Path f : arrowFiles) {
            // The default umask-mode 022, as Hadoop's create() applies it.
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
        }
        CanonicalRows.assertColumnsEqual(
                AllTypesData.expected(spark),
                PythonArrowCheck.run("polars-no-mmap", out).get("rows"));
    }

    @Test
    void otherFileSystemsAreWrittenThroughTheirHadoopStream() throws Exception {
        Configuration conf = new Configuration();
        conf.set("fs.file.impl", TrackingLocalFileSystem.class.getName());
        conf.setBoolean("fs.file.impl.disable.cache", true);
        TrackingLocalFileSystem.CREATED.set(0);
        Path dir = tmp.resolve("hadoop");

        write(dir.resolve("part-0.arrow"), conf, AllTypesData.internalRows(spark));

        assertEquals(1, TrackingLocalFileSystem.CREATED.get());
        // Hadoop's checksummed local file system wrote its side file: the stream really was Hadoop's.
        assertTrue(Files.exists(dir.resolve(".part-0.arrow.crc")));
        JsonNode read = PythonArrowCheck.run("pyarrow", dir);
        assertEquals("[[2,2,2]]", read.get("batches").toString());
        CanonicalRows.assertColumnsEqual(AllTypesData.expected(spark), read.get("rows"));
    }

    @Test
    void localFileGetsTheUmaskOfTheHadoopConf() throws Exception {
        Configuration conf = new Configuration();
        conf.set("fs.permissions.umask-mode", "077");
        Path file = tmp.resolve("private").resolve("part-0.arrow");

        write(file, conf, AllTypesData.internalRows(spark));

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        CanonicalRows.assertColumnsEqual(
                AllTypesData.expected(spark),
                PythonArrowCheck.run("pyarrow", file.getParent()).get("rows"));
    }

    @Test
    void existingFileIsNeitherOverwrittenNorDeleted() throws Exception {
        Path file = tmp.resolve("exists").resolve("part-0.arrow");
        List<InternalRow> rows = AllTypesData.internalRows(spark);
        write(file, new Configuration(), rows);
        byte[] before = Files.readAllBytes(file);

        UncheckedIOException e =
                assertThrows(UncheckedIOException.class, () -> write(file, new Configuration(), rows.subList(0, 1)));

        assertEquals("Cannot create Arrow file " + file.toUri(), e.getMessage());
        assertInstanceOf(FileAlreadyExistsException.class, e.getCause());
        assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(Files.readAllBytes(file)));
    }

    private static void write(Path file, Configuration conf, List<InternalRow> rows) {
        ArrowIpcPartitionWriter writer = new ArrowIpcPartitionWriter(
                file.toUri().toString(),
                AllTypesData.SCHEMA,
                conf,
                ArrowWriteOptions.from(Map.of("maxRecordsPerBatch", "2")));
        for (InternalRow row : rows) {
            writer.write(row);
        }
        writer.close();
    }

    private static List<Path> filesEndingWith(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .toList();
        }
    }
}
