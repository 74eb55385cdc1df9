package io.tributary.athena;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.types.StructType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The Parquet files an UNLOAD wrote under its prefix: listing them, their schema, and removing them. */
final class UnloadOutput {
    private final S3Location prefix;
    private final List<ParquetFilePartition> files;

    private UnloadOutput(S3Location prefix, List<ParquetFilePartition> files) {
        this.prefix = prefix;
        this.files = files;
    }

    static UnloadOutput list(S3Client s3, S3Location prefix) {
        List<ParquetFilePartition> files = new ArrayList<>();
        for (S3Object object : objects(s3, prefix)) {
            // UNLOAD writes only data files under its prefix (the manifest goes to the query's output location).
            if (object.size() > 0) {
                files.add(new ParquetFilePartition(new S3Location(prefix.bucket(), object.key()), object.size()));
            }
        }
        return new UnloadOutput(prefix, files);
    }

    private static Iterable<S3Object> objects(S3Client s3, S3Location prefix) {
        return s3.listObjectsV2Paginator(r -> r.bucket(prefix.bucket()).prefix(prefix.key()))
                .contents();
    }

    /** True when the UNLOAD wrote no file: its query returned no rows. */
    boolean isEmpty() {
        return files.isEmpty();
    }

    /** The Spark schema of the first file's footer; Athena writes every file of one UNLOAD with the same schema. */
    StructType schema(S3Client s3) {
        if (files.isEmpty()) {
            throw new IllegalStateException("UNLOAD under " + prefix + " wrote no file to take a schema from");
        }
        ParquetFilePartition first = files.get(0);
        try (ParquetFileReader reader = ParquetFileReader.open(new S3InputFile(s3, first.file(), first.size()))) {
            return ParquetSchemaMapper.sparkSchema(
                    reader.getFooter().getFileMetaData().getSchema());
        } catch (IOException e) {
            throw new UncheckedIOException("Reading the Parquet footer of " + first.file(), e);
        }
    }

    List<InputPartition> partitions() {
        return new ArrayList<>(files);
    }

    /** Deletes everything under {@code prefix}, 1000 keys a request (S3's limit). */
    static void delete(S3Client s3, S3Location prefix) {
        List<ObjectIdentifier> batch = new ArrayList<>();
        for (S3Object object : objects(s3, prefix)) {
            batch.add(ObjectIdentifier.builder().key(object.key()).build());
            if (batch.size() == 1000) {
                deleteBatch(s3, prefix, batch);
            }
        }
        if (!batch.isEmpty()) {
            deleteBatch(s3, prefix, batch);
        }
    }

    private static void deleteBatch(S3Client s3, S3Location prefix, List<ObjectIdentifier> batch) {
        Delete delete = Delete.builder().objects(List.copyOf(batch)).quiet(true).build();
        s3.deleteObjects(r -> r.bucket(prefix.bucket()).delete(delete));
        batch.clear();
    }

    S3Location prefix() {
        return prefix;
    }
}
