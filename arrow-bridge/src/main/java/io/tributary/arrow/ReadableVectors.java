package io.tributary.arrow;

import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VariableWidthFieldVector;
import org.apache.arrow.vector.complex.LargeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Turns a vector into the readable shape {@link ArrowToSparkSchema#readableField} chose for it. Where only lists
 * become maps (Tributary's own map columns), the new vector shares the batch's buffers; otherwise the values are
 * copied one by one: only the columns ArrowColumnVector cannot take as they are pay for it (Polars' string views,
 * large lists, millisecond or nanosecond timestamps).
 */
final class ReadableVectors {
    private ReadableVectors() {}

    /** A new vector the caller closes; {@code source} stays as it is. */
    static FieldVector convert(ValueVector source, Field target, BufferAllocator allocator) {
        FieldVector out = target.createVector(allocator);
        if (sameBuffers(source.getField(), target)) {
            share((FieldVector) source, out);
            return out;
        }
        out.allocateNew();
        int n = source.getValueCount();
        for (int i = 0; i < n; i++) {
            copy(source, i, out, i);
        }
        out.setValueCount(n);
        return out;
    }

    /** Whether the two fields differ at most where a list is read as a map, whose buffers are a list's. */
    private static boolean sameBuffers(Field from, Field to) {
        ArrowType a = from.getType();
        ArrowType b = to.getType();
        boolean listAsMap = a.getTypeID() == ArrowType.ArrowTypeID.List && b.getTypeID() == ArrowType.ArrowTypeID.Map;
        if (!listAsMap && !a.equals(b)
                || from.getChildren().size() != to.getChildren().size()) {
            return false;
        }
        for (int c = 0; c < from.getChildren().size(); c++) {
            if (!sameBuffers(from.getChildren().get(c), to.getChildren().get(c))) {
                return false;
            }
        }
        return true;
    }

    /** Loads {@code source}'s buffers, with their own references, into {@code target}, as an IPC reader would. */
    private static void share(FieldVector source, FieldVector target) {
        target.loadFieldBuffers(
                new ArrowFieldNode(source.getValueCount(), source.getNullCount()), source.getFieldBuffers());
        List<FieldVector> from = source.getChildrenFromFields();
        List<FieldVector> to = target.getChildrenFromFields();
        for (int c = 0; c < from.size(); c++) {
            share(from.get(c), to.get(c));
        }
    }

    private static void copy(ValueVector src, int from, FieldVector dst, int to) {
        if (src.isNull(from)) {
            setNull(dst, to);
        } else if (dst instanceof ListVector list) {
            long start = src instanceof LargeListVector l
                    ? l.getElementStartIndex(from)
                    : ((ListVector) src).getElementStartIndex(from);
            long end = src instanceof LargeListVector l
                    ? l.getElementEndIndex(from)
                    : ((ListVector) src).getElementEndIndex(from);
            ValueVector srcElements =
                    src instanceof LargeListVector l ? l.getDataVector() : ((ListVector) src).getDataVector();
            int offset = list.startNewValue(to);
            int count = Math.toIntExact(end - start);
            for (int j = 0; j < count; j++) {
                copy(srcElements, (int) start + j, list.getDataVector(), offset + j);
            }
            list.endValue(to, count);
        } else if (dst instanceof StructVector struct) {
            struct.setIndexDefined(to);
            List<FieldVector> children = struct.getChildrenFromFields();
            List<FieldVector> srcChildren = ((StructVector) src).getChildrenFromFields();
            for (int c = 0; c < children.size(); c++) {
                copy(srcChildren.get(c), from, children.get(c), to);
            }
        } else if (dst instanceof BaseVariableWidthVector v) {
            v.setSafe(to, ((VariableWidthFieldVector) src).get(from));
        } else if (dst instanceof TimeStampVector ts && src instanceof TimeStampVector sts) {
            ts.setSafe(
                    to,
                    toMicros(
                            sts.get(from), ((ArrowType.Timestamp) sts.getField().getType()).getUnit()));
        } else {
            dst.copyFromSafe(from, to, src);
        }
    }

    static long toMicros(long value, TimeUnit unit) {
        switch (unit) {
            case SECOND:
                return Math.multiplyExact(value, 1_000_000L);
            case MILLISECOND:
                return Math.multiplyExact(value, 1_000L);
            case NANOSECOND:
                return Math.floorDiv(value, 1_000L);
            default:
                return value;
        }
    }

    private static void setNull(FieldVector v, int index) {
        if (v instanceof BaseFixedWidthVector f) {
            f.setNull(index);
        } else if (v instanceof BaseVariableWidthVector w) {
            w.setNull(index);
        } else if (v instanceof ListVector l) {
            l.setNull(index);
        } else if (v instanceof StructVector s) {
            s.setNull(index);
            for (FieldVector c : s.getChildrenFromFields()) {
                setNull(c, index);
            }
        }
        // NullVector: every slot is null already.
    }
}
