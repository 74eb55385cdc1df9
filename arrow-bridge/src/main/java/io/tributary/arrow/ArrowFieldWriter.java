package io.tributary.arrow;

import java.util.List;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.NullVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.spark.sql.catalyst.expressions.SpecializedGetters;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.MapData;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Copies one Spark value (from an InternalRow or ArrayData ordinal) into one slot of an Arrow vector. One subclass
 * per vector kind; nested writers hold their children's writers.
 */
abstract class ArrowFieldWriter {

    final void write(SpecializedGetters in, int ordinal, int index) {
        if (in.isNullAt(ordinal)) {
            writeNull(index);
        } else {
            writeValue(in, ordinal, index);
        }
    }

    /**
     * Writes values 0 to {@code count - 1} of {@code column} into slots {@code index} onwards: one column of a
     * columnar batch, seen as ArrayData (Spark's {@code ColumnarArray}), so the per-value code is the row path's.
     */
    final void writeAll(SpecializedGetters column, int count, int index) {
        for (int i = 0; i < count; i++) {
            write(column, i, index + i);
        }
    }

    abstract void writeValue(SpecializedGetters in, int ordinal, int index);

    abstract void writeNull(int index);

    /**
     * Writes a valid slot holding the type's empty value (zeros, false, an empty string or binary, an empty list or
     * map, a struct of empty fields). A null struct's slot in a child field that is not nullable gets this instead of
     * a null: Arrow does not let a non-nullable field hold nulls, and pyarrow refuses such data ("nulls in input
     * cannot be viewed as non-nullable"), while readers look at no child of a null struct.
     */
    abstract void writeEmpty(int index);

    /**
     * Makes a top-level vector ready for the next batch, after a batch of {@code rows} rows was unloaded. Nested
     * writers are reset by their parent vector's {@code reset()}.
     */
    abstract void reset(int rows);

    /**
     * The writer for a vector allocated from {@link SparkToArrowSchema#toArrow} or
     * {@link SparkToArrowSchema#toExportedArrow}.
     */
    static ArrowFieldWriter forVector(ValueVector vector) {
        // MapVector extends ListVector, so maps (in either layout) are tested first.
        if (vector instanceof MapVector v) {
            return new MapWriter(v);
        } else if (vector instanceof ListVector v && SparkToArrowSchema.isMapList(v.getField())) {
            return new MapWriter(v);
        } else if (vector instanceof ListVector v) {
            return new ListWriter(v);
        } else if (vector instanceof StructVector v) {
            return new StructWriter(v);
        } else if (vector instanceof BitVector v) {
            return new BooleanWriter(v);
        } else if (vector instanceof TinyIntVector v) {
            return new ByteWriter(v);
        } else if (vector instanceof SmallIntVector v) {
            return new ShortWriter(v);
        } else if (vector instanceof IntVector || vector instanceof DateDayVector) {
            return new IntWriter((BaseFixedWidthVector) vector);
        } else if (vector instanceof BigIntVector
                || vector instanceof TimeStampMicroTZVector
                || vector instanceof TimeStampMicroVector) {
            return new LongWriter((BaseFixedWidthVector) vector);
        } else if (vector instanceof Float4Vector v) {
            return new FloatWriter(v);
        } else if (vector instanceof Float8Vector v) {
            return new DoubleWriter(v);
        } else if (vector instanceof DecimalVector v) {
            return new DecimalWriter(v);
        } else if (vector instanceof VarCharVector v) {
            return new StringWriter(v);
        } else if (vector instanceof VarBinaryVector v) {
            return new BinaryWriter(v);
        } else if (vector instanceof NullVector) {
            return new NullWriter();
        }
        throw new IllegalStateException(
                "No Arrow writer for vector " + vector.getClass().getSimpleName());
    }

    /**
     * A fixed-width scalar vector written in place. Why not {@code setSafe}: it recomputes the vector's capacity
     * (two buffer reads and a division) for every value; here the capacity is kept in a field and only re-read
     * after growing. One final subclass per Java type keeps each value copy monomorphic, so the JIT inlines the
     * row getter into it.
     *
     * <p>Every slot is written once per batch, a null as zeros, so between batches only the validity bits need
     * clearing ({@link #reset}). Arrow's {@code reset()} zeroes the whole data buffers as well: for the benchmark's
     * rows about as many bytes as the batch's values, every batch. Null slots hold zeros as before, so the files
     * are byte for byte the same.
     *
     * <p>The cached addresses stay valid because only {@link #grow} reallocates these buffers while a batch is
     * filled ({@code reset} clears them in place) and the vector is cleared only when the builder closes.
     */
    abstract static class FixedWidthWriter extends ArrowFieldWriter {
        private final BaseFixedWidthVector vector;
        /** Bytes per value slot; 0 for booleans, whose values are bits cleared with the validity bits by reset. */
        private final int slotBytes;

        private int capacity;
        private long validity;
        long data;

        FixedWidthWriter(BaseFixedWidthVector vector) {
            this.vector = vector;
            this.slotBytes = vector.getTypeWidth();
            refresh();
        }

        /** Makes room for {@code index}, marks it valid, and returns the address of its value slot. */
        final long slot(int index, int width) {
            if (index >= capacity) {
                grow(index);
            }
            setValid(validity, index);
            return data + (long) index * width;
        }

        @Override
        final void writeNull(int index) {
            if (index >= capacity) {
                grow(index);
            }
            // The validity bit is already clear; the slot gets zeros, as Arrow's own reset would leave it.
            Platform.setMemory(data + (long) index * slotBytes, (byte) 0, slotBytes);
        }

        @Override
        final void writeEmpty(int index) {
            // A boolean's value bit was cleared with the batch's bits (slotBytes 0): false.
            Platform.setMemory(slot(index, slotBytes), (byte) 0, slotBytes);
        }

        @Override
        void reset(int rows) {
            clearBits(validity, rows);
            vector.setValueCount(0);
        }

        private void grow(int index) {
            while (index >= vector.getValueCapacity()) {
                vector.reAlloc();
            }
            refresh();
        }

        private void refresh() {
            capacity = vector.getValueCapacity();
            validity = capacity == 0 ? 0 : vector.getValidityBufferAddress();
            data = capacity == 0 ? 0 : vector.getDataBufferAddress();
        }
    }

    static void setValid(long bitmap, int index) {
        long address = bitmap + (index >>> 3);
        Platform.putByte(null, address, (byte) (Platform.getByte(null, address) | (1 << (index & 7))));
    }

    /** Clears the bits of indexes 0 to {@code count - 1} (and the rest of their last byte). */
    static void clearBits(long bitmap, int count) {
        if (count > 0) {
            Platform.setMemory(bitmap, (byte) 0, (count + 7) >>> 3);
        }
    }

    private static final class BooleanWriter extends FixedWidthWriter {
        BooleanWriter(BitVector vector) {
            super(vector);
        }

        @Override
        void writeValue(SpecializedGetters in, int ordinal, int index) {
            slot(index, 0);
            if (in.getBoolean(ordinal)) {
                setValid(data, index);
            }
        }

        @Override
        void reset(int rows) {
            super.reset(rows);
            clearBits(data, rows);
        }
    }

    private static final class ByteWriter extends FixedWidthWriter {
        ByteWriter(TinyIntVector vector) {
            super(vector);
        }

        @Override
        void writeValue(SpecializedGetters in, int ordinal, int index) {
            Platform.putByte(null, slot(index, 1), in.getByte(ordinal));
        }
    }

    private static final class ShortWriter extends FixedWidthWriter {
        ShortWriter(SmallIntVector vector) {
            super(vector);
        }

        @Override
        void writeValue(SpecializedGetters in, int ordinal, int index) {
            Platform.putShort(null, slot(index, 2), in.getShort(ordinal));
        }
    }

    /** int and date (days since the epoch, as Spark keeps it). */
    static final class IntWriter extends FixedWidthWriter {
        IntWriter(BaseFixedWidthVector vector) {
            super(vector);
        }

        @Override
        void writeValue(SpecializedGetters in, int ordinal, int index) {
            Platform.putInt(null, slot(index, 4), in.getInt(ordinal));
        }
    }

    /** bigint and both timestamps (microseconds since the epoch, as Spark keeps them). */
    static final class LongWriter extends FixedWidthWriter {
        LongWriter(BaseFixedWidthVector vector) {
            super(vector);
        }

        @Override
        void writeValue(SpecializedGetters in, int ordinal, int index) {
            Platform.putLong(null, slot(index, 8), in.getLong(ordinal));
        }
    }

    private static final class FloatWriter extends FixedWidthWriter {
        FloatWriter(Float4Vector vector) {
            super(vector);
        }

        @Override
        void writeValue(SpecializedGetters in, int ordinal, int index) {
            Platform.putFloat(null, slot(index, 4), in.getFloat(ordinal));
        }
    }

    static final class DoubleWriter extends FixedWidthWriter {
        DoubleWriter(Float8Vector vector) {
            super(vector);
        }

        @Override
        void writeValue(SpecializedGetters in, int ordinal, int index) {
            Platform.putDouble(null, slot(index, 8), in.getDouble(ordinal));
        }
    }

    private static final class DecimalWriter extends ArrowFieldWriter {
        private final DecimalVector vector;
        private final int precision;
        private final int scale;

        DecimalWriter(DecimalVector vector) {
            this.vector = vector;
            this.precision = vector.getPrecision();
            this.scale = vector.getScale();
        }

        @Override
        void writeValue(SpecializedGetters in, int ordinal, int index) {
            Decimal value = in.getDecimal(ordinal, precision, scale);
            // Spark keeps decimals of up to 18 digits as an unscaled long: no BigDecimal on the common path.
            if (precision <= Decimal.MAX_LONG_DIGITS()) {
                vector.setSafe(index, value.toUnscaledLong());
            } else {
                vector.setSafe(index, value.toJavaBigDecimal());
            }
        }

        @Override
        void writeNull(int index) {
            vector.setNull(index);
        }

        @Override
        void writeEmpty(int index) {
            vector.setSafe(index, 0L);
        }

        @Override
        void reset(int rows) {
            vector.reset();
        }
    }

    /**
     * A string or binary vector written in place, with the capacities kept in fields as for fixed widths. From an
     * {@link UnsafeRow} the bytes are copied straight out of the row: no {@code UTF8String} or {@code byte[]} per
     * value (the JIT did not scalar-replace them; they were most of the writer's allocation). Every offset is
     * written once per batch and the first is always 0, so between batches only the validity bits need clearing.
     */
    abstract static class VariableWidthWriter extends ArrowFieldWriter {
        /** Values up to this many bytes are copied from an UnsafeRow word by word. */
        private static final int SHORT_VALUE = 64;

        private final BaseVariableWidthVector vector;
        private int capacity;
        private long dataCapacity;
        private long validity;
        private long offsets;
        private long data;

        VariableWidthWriter(BaseVariableWidthVector vector) {
            this.vector = vector;
            refresh();
        }

        final void writeFromRow(UnsafeRow row, int ordinal, int index) {
            long offsetAndSize = row.getLong(ordinal);
            Object base = row.getBaseObject();
            long offset = row.getBaseOffset() + (int) (offsetAndSize >> 32);
            int length = (int) offsetAndSize;
            if (length > SHORT_VALUE) {
                append(index, base, offset, length);
                return;
            }
            // UnsafeRow pads every variable-length value to whole 8-byte words, so a short value is copied as
            // words: cheaper than a copyMemory call per value. The bytes past its end are overwritten by the next
            // value or lie beyond the last offset, which the IPC writer never reads.
            int start = startOffset(index);
            int words = (length + 7) >>> 3;
            long end = (long) start + length;
            if ((long) start + words * 8L > dataCapacity) {
                growData((long) start + words * 8L);
            }
            long to = data + start;
            for (int w = 0; w < words; w++) {
                Platform.putLong(null, to + w * 8L, Platform.getLong(base, offset + w * 8L));
            }
            finishValue(index, end);
        }

        final void append(int index, Object base, long offset, int length) {
            int start = startOffset(index);
            long end = (long) start + length;
            if (end > dataCapacity) {
                growData(end);
            }
            Platform.copyMemory(base, offset, null, data + start, length);
            finishValue(index, end);
        }

        private void finishValue(int index, long end) {
            Platform.putInt(null, offsets + ((long) index + 1) * Integer.BYTES, (int) end);
            setValid(validity, index);
            vector.setLastSet(index);
        }

        @Override
        final void writeNull(int index) {
            int start = startOffset(index);
            Platform.putInt(null, offsets + ((long) index + 1) * Integer.BYTES, start);
            vector.setLastSet(index);
        }

        @Override
        final void writeEmpty(int index) {
            finishValue(index, startOffset(index));
        }

        @Override
        final void reset(int rows) {
            clearBits(validity, rows);
            vector.setValueCount(0);
        }

        /** Makes room for {@code index} and returns where its bytes start (the end of the previous value). */
        private int startOffset(int index) {
            if (index >= capacity) {
                while (index >= vector.getValueCapacity()) {
                    vector.reallocValidityAndOffsetBuffers();
                }
                refresh();
            }
            if (vector.getLastSet() < index - 1) {
                // Slots skipped since the last write become empty values, as Arrow's setSafe does.
                vector.fillEmpties(index);
                refresh();
            }
            return Platform.getInt(null, offsets + (long) index * Integer.BYTES);
        }

        private void growData(long end) {
            if (end > Integer.MAX_VALUE) {
                throw new IllegalStateException("An Arrow batch holds more than 2 GiB of strings or binary in "
                        + "one column; lower maxRecordsPerBatch");
            }
            while (end > vector.getDataBuffer().capacity()) {
                vector.reallocDataBuffer();
            }
            refresh();
        }

        private void refresh() {
            capacity = vector.getValueCapacity();
            validity = capacity == 0 ? 0 : vector.getValidityBufferAddress();
            offsets = capacity == 0 ? 0 : vector.getOffsetBufferAddress();
            dataCapacity = vector.getDataBuffer().capacity();
            data = dataCapacity == 0 ? 0 : vector.getDataBufferAddress();
        }
    }

    static final class StringWriter extends VariableWidthWriter {
        StringWriter(VarCharVector vector) {
            super(vector);
        }

        @Override
        void writeValue(SpecializedGetters in, int ordinal, int index) {
            if (in instanceof UnsafeRow row) {
                writeFromRow(row, ordinal, index);
            } else {
                UTF8String s = in.getUTF8String(ordinal);
                append(index, s.getBaseObject(), s.getBaseOffset(), s.numBytes());
            }
        }
    }

    private static final class BinaryWriter extends VariableWidthWriter {
        BinaryWriter(VarBinaryVector vector) {
            super(vector);
        }

        @Override
        void writeValue(SpecializedGetters in, int ordinal, int index) {
            if (in instanceof UnsafeRow row) {
                writeFromRow(row, ordinal, index);
            } else {
                byte[] bytes = in.getBinary(ordinal);
                append(index, bytes, Platform.BYTE_ARRAY_OFFSET, bytes.length);
            }
        }
    }

    private static final class NullWriter extends ArrowFieldWriter {
        @Override
        void writeValue(SpecializedGetters in, int ordinal, int index) {
            // A void column holds only nulls; NullVector has no slots to fill.
        }

        @Override
        void writeNull(int index) {
            // As above.
        }

        @Override
        void writeEmpty(int index) {
            // As above: a void field is nullable in Arrow whatever Spark says.
        }

        @Override
        void reset(int rows) {
            // As above.
        }
    }

    private static final class ListWriter extends ArrowFieldWriter {
        private final ListVector vector;
        private final ArrowFieldWriter element;

        ListWriter(ListVector vector) {
            this.vector = vector;
            this.element = forVector(vector.getDataVector());
        }

        @Override
        void writeValue(SpecializedGetters in, int ordinal, int index) {
            ArrayData array = in.getArray(ordinal);
            int n = array.numElements();
            int start = vector.startNewValue(index);
            for (int j = 0; j < n; j++) {
                element.write(array, j, start + j);
            }
            vector.endValue(index, n);
        }

        @Override
        void writeNull(int index) {
            vector.setNull(index);
        }

        @Override
        void writeEmpty(int index) {
            writeEmptyList(vector, index);
        }

        @Override
        void reset(int rows) {
            vector.reset();
        }
    }

    /** An empty list (or map) in slot {@code index}: valid, no elements. */
    static void writeEmptyList(ListVector vector, int index) {
        vector.startNewValue(index);
        vector.endValue(index, 0);
    }

    /** A Spark map into an Arrow Map or a list of key/value structs: both hold the entries the same way. */
    private static final class MapWriter extends ArrowFieldWriter {
        private final ListVector vector;
        private final StructVector entries;
        private final ArrowFieldWriter key;
        private final ArrowFieldWriter value;

        MapWriter(ListVector vector) {
            this.vector = vector;
            this.entries = (StructVector) vector.getDataVector();
            List<FieldVector> kv = entries.getChildrenFromFields();
            this.key = forVector(kv.get(0));
            this.value = forVector(kv.get(1));
        }

        @Override
        void writeValue(SpecializedGetters in, int ordinal, int index) {
            MapData map = in.getMap(ordinal);
            ArrayData keys = map.keyArray();
            ArrayData values = map.valueArray();
            int n = map.numElements();
            int start = vector.startNewValue(index);
            for (int j = 0; j < n; j++) {
                entries.setIndexDefined(start + j);
                key.write(keys, j, start + j);
                value.write(values, j, start + j);
            }
            vector.endValue(index, n);
        }

        @Override
        void writeNull(int index) {
            vector.setNull(index);
        }

        @Override
        void writeEmpty(int index) {
            writeEmptyList(vector, index);
        }

        @Override
        void reset(int rows) {
            vector.reset();
        }
    }

    private static final class StructWriter extends ArrowFieldWriter {
        private final StructVector vector;
        private final ArrowFieldWriter[] children;
        private final boolean[] nullableChildren;

        StructWriter(StructVector vector) {
            this.vector = vector;
            List<FieldVector> childVectors = vector.getChildrenFromFields();
            this.children = new ArrowFieldWriter[childVectors.size()];
            this.nullableChildren = new boolean[children.length];
            for (int c = 0; c < children.length; c++) {
                children[c] = forVector(childVectors.get(c));
                nullableChildren[c] = childVectors.get(c).getField().isNullable();
            }
        }

        @Override
        void writeValue(SpecializedGetters in, int ordinal, int index) {
            SpecializedGetters struct = in.getStruct(ordinal, children.length);
            vector.setIndexDefined(index);
            for (int c = 0; c < children.length; c++) {
                children[c].write(struct, c, index);
            }
        }

        @Override
        void writeNull(int index) {
            // Children get a slot too, so their buffers stay as long as the struct's.
            vector.setNull(index);
            writeEmptyChildren(index);
        }

        @Override
        void writeEmpty(int index) {
            vector.setIndexDefined(index);
            writeEmptyChildren(index);
        }

        /** Nullable children get a null, the others their empty value (see {@link ArrowFieldWriter#writeEmpty}). */
        private void writeEmptyChildren(int index) {
            for (int c = 0; c < children.length; c++) {
                if (nullableChildren[c]) {
                    children[c].writeNull(index);
                } else {
                    children[c].writeEmpty(index);
                }
            }
        }

        @Override
        void reset(int rows) {
            vector.reset();
        }
    }
}
