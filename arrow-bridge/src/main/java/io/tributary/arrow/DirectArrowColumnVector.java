package io.tributary.arrow;

import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarArray;
import org.apache.spark.sql.vectorized.ColumnarMap;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * A flat Arrow vector of one loaded batch (numbers, booleans, dates, timestamps, strings, binary) read straight from
 * its buffers' memory. Why not Spark's {@code ArrowColumnVector}: each of its reads goes through Arrow's checked
 * accessors, which test the buffer's reference count and bounds and, for strings, the validity bit up to three times
 * per value; converting a batch's rows to Spark's {@code UnsafeRow}s spent most of its time there. Here the buffer
 * addresses and the batch's null count are taken once, when the vector is wrapped, and every read is one memory
 * access (two for a string's offsets).
 *
 * <p>The addresses are only valid while the batch is loaded: wrap each batch's vectors anew (as
 * {@link BatchColumnVectors#of} is used) and never read a wrapper after its reader moved on, exactly as with
 * {@code ArrowColumnVector}, whose strings also point into the batch. Arrow buffers are little-endian, as is every
 * platform Spark's Arrow support runs on. Nested and decimal vectors are not flat and stay with
 * {@code ArrowColumnVector}.
 */
final class DirectArrowColumnVector extends ColumnVector {
    /** Address of the validity bitmap, or 0 when the batch has no nulls (the bitmap is then never read). */
    private final long validity;

    private final long values;
    /** Address of the 32-bit offsets of a string or binary vector; 0 for fixed-width vectors. */
    private final long offsets;

    private final int nullCount;

    private DirectArrowColumnVector(DataType type, ValueVector vector) {
        super(type);
        // IPC may omit the bitmap of a batch without nulls; Arrow then reports a buffer of capacity 0.
        boolean hasBitmap = vector.getValidityBuffer().capacity() > 0;
        this.nullCount = hasBitmap ? vector.getNullCount() : 0;
        this.validity = nullCount > 0 ? vector.getValidityBuffer().memoryAddress() : 0;
        this.values = vector.getDataBuffer().memoryAddress();
        this.offsets = vector instanceof BaseVariableWidthVector
                ? vector.getOffsetBuffer().memoryAddress()
                : 0;
    }

    /** The direct reader for {@code vector}, or null when it is not a flat vector of a type read here. */
    static DirectArrowColumnVector tryWrap(ValueVector vector) {
        DataType type = sparkType(vector);
        return type == null ? null : new DirectArrowColumnVector(type, vector);
    }

    /** The Spark type for the vector classes Spark's own {@code ArrowColumnVector} maps to it, null for others. */
    private static DataType sparkType(ValueVector vector) {
        if (vector instanceof BitVector) {
            return DataTypes.BooleanType;
        } else if (vector instanceof TinyIntVector) {
            return DataTypes.ByteType;
        } else if (vector instanceof SmallIntVector) {
            return DataTypes.ShortType;
        } else if (vector instanceof IntVector) {
            return DataTypes.IntegerType;
        } else if (vector instanceof DateDayVector) {
            return DataTypes.DateType;
        } else if (vector instanceof BigIntVector) {
            return DataTypes.LongType;
        } else if (vector instanceof TimeStampMicroTZVector) {
            return DataTypes.TimestampType;
        } else if (vector instanceof TimeStampMicroVector) {
            return DataTypes.TimestampNTZType;
        } else if (vector instanceof Float4Vector) {
            return DataTypes.FloatType;
        } else if (vector instanceof Float8Vector) {
            return DataTypes.DoubleType;
        } else if (vector instanceof VarCharVector) {
            return DataTypes.StringType;
        } else if (vector instanceof VarBinaryVector) {
            return DataTypes.BinaryType;
        }
        return null;
    }

    @Override
    public boolean hasNull() {
        return nullCount > 0;
    }

    @Override
    public int numNulls() {
        return nullCount;
    }

    @Override
    public boolean isNullAt(int rowId) {
        return validity != 0 && !bit(validity, rowId);
    }

    private static boolean bit(long bitmap, int index) {
        return (Platform.getByte(null, bitmap + (index >>> 3)) & (1 << (index & 7))) != 0;
    }

    @Override
    public boolean getBoolean(int rowId) {
        return bit(values, rowId);
    }

    @Override
    public byte getByte(int rowId) {
        return Platform.getByte(null, values + rowId);
    }

    @Override
    public short getShort(int rowId) {
        return Platform.getShort(null, values + 2L * rowId);
    }

    @Override
    public int getInt(int rowId) {
        return Platform.getInt(null, values + 4L * rowId);
    }

    @Override
    public long getLong(int rowId) {
        return Platform.getLong(null, values + 8L * rowId);
    }

    @Override
    public float getFloat(int rowId) {
        return Platform.getFloat(null, values + 4L * rowId);
    }

    @Override
    public double getDouble(int rowId) {
        return Platform.getDouble(null, values + 8L * rowId);
    }

    /** Like ArrowColumnVector: null for a null slot; otherwise a view of the batch's bytes, not a copy. */
    @Override
    public UTF8String getUTF8String(int rowId) {
        return isNullAt(rowId) ? null : UTF8String.fromAddress(null, values + start(rowId), length(rowId));
    }

    @Override
    public byte[] getBinary(int rowId) {
        if (isNullAt(rowId)) {
            return null;
        }
        byte[] bytes = new byte[length(rowId)];
        Platform.copyMemory(null, values + start(rowId), bytes, Platform.BYTE_ARRAY_OFFSET, bytes.length);
        return bytes;
    }

    private int start(int rowId) {
        return Platform.getInt(null, offsets + 4L * rowId);
    }

    private int length(int rowId) {
        return start(rowId + 1) - start(rowId);
    }

    @Override
    public Decimal getDecimal(int rowId, int precision, int scale) {
        throw notFlat();
    }

    @Override
    public ColumnarArray getArray(int rowId) {
        throw notFlat();
    }

    @Override
    public ColumnarMap getMap(int rowId) {
        throw notFlat();
    }

    @Override
    public ColumnVector getChild(int ordinal) {
        throw notFlat();
    }

    private UnsupportedOperationException notFlat() {
        return new UnsupportedOperationException(
                "A " + dataType().simpleString() + " column has no " + "decimals, arrays, maps or children");
    }

    /** The buffers belong to the batch's reader, which frees them. */
    @Override
    public void close() {}
}
