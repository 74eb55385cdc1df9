package io.tributary.arrow;

import java.util.List;
import java.util.function.IntConsumer;

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

    abstract void writeValue(SpecializedGetters in, int ordinal, int index);

    abstract void writeNull(int index);

    /** The writer for a vector allocated from {@link SparkToArrowSchema#toArrow}. */
    static ArrowFieldWriter forVector(ValueVector vector) {
        // MapVector extends ListVector, so it is tested first.
        if (vector instanceof MapVector v) {
            return new MapWriter(v);
        } else if (vector instanceof ListVector v) {
            return new ListWriter(v);
        } else if (vector instanceof StructVector v) {
            return new StructWriter(v);
        } else if (vector instanceof BitVector v) {
            return new Leaf((in, o, i) -> v.setSafe(i, in.getBoolean(o) ? 1 : 0), v::setNull);
        } else if (vector instanceof TinyIntVector v) {
            return new Leaf((in, o, i) -> v.setSafe(i, in.getByte(o)), v::setNull);
        } else if (vector instanceof SmallIntVector v) {
            return new Leaf((in, o, i) -> v.setSafe(i, in.getShort(o)), v::setNull);
        } else if (vector instanceof IntVector v) {
            return new Leaf((in, o, i) -> v.setSafe(i, in.getInt(o)), v::setNull);
        } else if (vector instanceof BigIntVector v) {
            return new Leaf((in, o, i) -> v.setSafe(i, in.getLong(o)), v::setNull);
        } else if (vector instanceof Float4Vector v) {
            return new Leaf((in, o, i) -> v.setSafe(i, in.getFloat(o)), v::setNull);
        } else if (vector instanceof Float8Vector v) {
            return new Leaf((in, o, i) -> v.setSafe(i, in.getDouble(o)), v::setNull);
        } else if (vector instanceof DecimalVector v) {
            return decimalWriter(v);
        } else if (vector instanceof DateDayVector v) {
            return new Leaf((in, o, i) -> v.setSafe(i, in.getInt(o)), v::setNull);
        } else if (vector instanceof TimeStampMicroTZVector v) {
            return new Leaf((in, o, i) -> v.setSafe(i, in.getLong(o)), v::setNull);
        } else if (vector instanceof TimeStampMicroVector v) {
            return new Leaf((in, o, i) -> v.setSafe(i, in.getLong(o)), v::setNull);
        } else if (vector instanceof VarCharVector v) {
            return new Leaf((in, o, i) -> writeUtf8(v, i, in.getUTF8String(o)), v::setNull);
        } else if (vector instanceof VarBinaryVector v) {
            return new Leaf((in, o, i) -> v.setSafe(i, in.getBinary(o)), v::setNull);
        } else if (vector instanceof NullVector) {
            return new NullWriter();
        }
        throw new IllegalStateException("No Arrow writer for vector " + vector.getClass().getSimpleName());
    }

    /** Copies straight from the row's bytes when they are on the heap, as in UnsafeRow: no byte[] per value. */
    private static void writeUtf8(VarCharVector v, int index, UTF8String s) {
        if (s.getBaseObject() instanceof byte[] bytes) {
            v.setSafe(index, bytes, (int) (s.getBaseOffset() - Platform.BYTE_ARRAY_OFFSET), s.numBytes());
        } else {
            v.setSafe(index, s.getBytes());
        }
    }

    private static ArrowFieldWriter decimalWriter(DecimalVector v) {
        int precision = v.getPrecision();
        int scale = v.getScale();
        // Spark keeps decimals of up to 18 digits as an unscaled long: no BigDecimal on the common path.
        if (precision <= Decimal.MAX_LONG_DIGITS()) {
            return new Leaf((in, o, i) -> v.setSafe(i, in.getDecimal(o, precision, scale).toUnscaledLong()),
                    v::setNull);
        }
        return new Leaf((in, o, i) -> v.setSafe(i, in.getDecimal(o, precision, scale).toJavaBigDecimal()),
                v::setNull);
    }

    @FunctionalInterface
    interface ValueCopier {
        void copy(SpecializedGetters in, int ordinal, int index);
    }

    /** A scalar vector: a copier for values and the vector's own setNull. */
    private static final class Leaf extends ArrowFieldWriter {
        private final ValueCopier copier;
        private final IntConsumer nuller;

        Leaf(ValueCopier copier, IntConsumer nuller) {
            this.copier = copier;
            this.nuller = nuller;
        }

        @Override
        void writeValue(SpecializedGetters in, int ordinal, int index) {
            copier.copy(in, ordinal, index);
        }

        @Override
        void writeNull(int index) {
            nuller.accept(index);
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
    }

    private static final class MapWriter extends ArrowFieldWriter {
        private final MapVector vector;
        private final StructVector entries;
        private final ArrowFieldWriter key;
        private final ArrowFieldWriter value;

        MapWriter(MapVector vector) {
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
    }

    private static final class StructWriter extends ArrowFieldWriter {
        private final StructVector vector;
        private final ArrowFieldWriter[] children;

        StructWriter(StructVector vector) {
            this.vector = vector;
            List<FieldVector> childVectors = vector.getChildrenFromFields();
            this.children = new ArrowFieldWriter[childVectors.size()];
            for (int c = 0; c < children.length; c++) {
                children[c] = forVector(childVectors.get(c));
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
            // Children get a null slot too, so their buffers stay as long as the struct's.
            vector.setNull(index);
            for (ArrowFieldWriter child : children) {
                child.writeNull(index);
            }
        }
    }
}
