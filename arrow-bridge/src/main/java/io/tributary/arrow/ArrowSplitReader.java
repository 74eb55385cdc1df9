package io.tributary.arrow;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryEncoder;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.vectorized.ColumnVectorUtils;
import org.apache.spark.sql.execution.vectorized.ConstantColumnVector;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * Reads the record batches of one Arrow IPC file whose start offset lies in a split's byte range, so a big file
 * spreads over several tasks and every batch is read by exactly one of them. Each batch is handed to Spark as
 * ArrowColumnVectors over the loaded buffers; only columns Spark cannot read as they are get copied.
 */
final class ArrowSplitReader implements Closeable {
    private final BufferAllocator allocator;
    private final ArrowFileReader reader;
    private final VectorSchemaRoot root;
    private final Map<Long, Dictionary> dictionaries;
    private final List<ArrowBlock> blocks = new ArrayList<>();
    private final int[] fileColumn;
    private final StructType requiredSchema;
    private final StructType partitionSchema;
    private final InternalRow partitionValues;
    private final List<AutoCloseable> batchResources = new ArrayList<>();
    private int nextBlock;
    private boolean closed;

    ArrowSplitReader(
            Configuration conf,
            Path path,
            long start,
            long length,
            StructType requiredSchema,
            StructType partitionSchema,
            InternalRow partitionValues) {
        this.requiredSchema = requiredSchema;
        this.partitionSchema = partitionSchema;
        this.partitionValues = partitionValues;
        this.allocator = new RootAllocator();
        try {
            this.reader = open(conf, path, allocator);
            for (ArrowBlock block : reader.getRecordBlocks()) {
                if (block.getOffset() >= start && block.getOffset() < start + length) {
                    blocks.add(block);
                }
            }
            this.root = reader.getVectorSchemaRoot();
            this.dictionaries = reader.getDictionaryVectors();
            Schema schema = root.getSchema();
            this.fileColumn = new int[requiredSchema.size()];
            for (int c = 0; c < fileColumn.length; c++) {
                fileColumn[c] = indexOf(schema, requiredSchema.fields()[c].name());
            }
        } catch (IOException e) {
            allocator.close();
            throw new UncheckedIOException("Cannot read Arrow file " + path, e);
        }
    }

    /**
     * The schema of an Arrow IPC file as its values read: a dictionary-encoded column has its dictionary's value
     * type (Arrow Java's root schema gives it the index type).
     */
    static Schema readSchema(Configuration conf, Path path) {
        try (BufferAllocator allocator = new RootAllocator();
                ArrowFileReader reader = open(conf, path, allocator)) {
            List<Field> fields = new ArrayList<>();
            for (Field f : reader.getVectorSchemaRoot().getSchema().getFields()) {
                if (f.getDictionary() == null) {
                    fields.add(f);
                } else {
                    Field values = reader.getDictionaryVectors()
                            .get(f.getDictionary().getId())
                            .getVector()
                            .getField();
                    fields.add(new Field(
                            f.getName(),
                            new FieldType(f.isNullable(), values.getType(), null, f.getMetadata()),
                            values.getChildren()));
                }
            }
            return new Schema(fields);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot read the schema of Arrow file " + path + " (is it an Arrow IPC file, not a stream?)", e);
        }
    }

    private static ArrowFileReader open(Configuration conf, Path path, BufferAllocator allocator) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        long size = fs.getFileStatus(path).getLen();
        return new ArrowFileReader(
                new HadoopSeekableChannel(fs.open(path), size), allocator, CommonsCompressionFactory.INSTANCE);
    }

    private static int indexOf(Schema schema, String name) {
        List<Field> fields = schema.getFields();
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).getName().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    boolean hasNext() {
        return nextBlock < blocks.size();
    }

    /** Loads the next batch; it stays valid until the next call. */
    ColumnarBatch next() {
        releaseBatchResources();
        try {
            reader.loadRecordBatch(blocks.get(nextBlock++));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read an Arrow record batch", e);
        }
        int rows = root.getRowCount();
        ColumnVector[] columns = new ColumnVector[requiredSchema.size() + partitionSchema.size()];
        for (int c = 0; c < requiredSchema.size(); c++) {
            columns[c] = fileColumn[c] < 0
                    ? nullColumn(rows, requiredSchema.fields()[c])
                    : BatchColumnVectors.of(readable(root.getVector(fileColumn[c])));
        }
        for (int p = 0; p < partitionSchema.size(); p++) {
            ConstantColumnVector constant = new ConstantColumnVector(rows, partitionSchema.fields()[p].dataType());
            ColumnVectorUtils.populate(constant, partitionValues, p);
            batchResources.add(constant);
            columns[requiredSchema.size() + p] = constant;
        }
        return new ColumnarBatch(columns, rows);
    }

    /** A column this file lacks reads as nulls, as in Spark's other file sources. */
    private ColumnVector nullColumn(int rows, StructField field) {
        ConstantColumnVector nulls = new ConstantColumnVector(rows, field.dataType());
        nulls.setNull();
        batchResources.add(nulls);
        return nulls;
    }

    private ValueVector readable(FieldVector vector) {
        ValueVector decoded = vector;
        if (vector.getField().getDictionary() != null) {
            decoded = DictionaryEncoder.decode(
                    vector, dictionaries.get(vector.getField().getDictionary().getId()), allocator);
            batchResources.add(decoded);
        }
        Field field = decoded.getField();
        Field target = ArrowToSparkSchema.readableField(field);
        if (target == field) {
            return decoded;
        }
        FieldVector converted = ReadableVectors.convert(decoded, target, allocator);
        batchResources.add(converted);
        return converted;
    }

    private void releaseBatchResources() {
        for (AutoCloseable r : batchResources) {
            try {
                r.close();
            } catch (Exception e) {
                throw new IllegalStateException("Cannot release Arrow batch memory", e);
            }
        }
        batchResources.clear();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        releaseBatchResources();
        try {
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot close Arrow file", e);
        } finally {
            allocator.close();
        }
    }
}
