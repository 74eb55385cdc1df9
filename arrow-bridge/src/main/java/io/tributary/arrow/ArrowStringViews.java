package io.tributary.arrow;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The layout of a stream whose strings and binaries are Arrow's view types ({@code Utf8View}, {@code BinaryView};
 * pyarrow's {@code string_view}, {@code binary_view}): Polars keeps strings in that layout, so it takes such columns
 * without converting them, where it rewrites every value of a plain {@code Utf8} column.
 *
 * <p>A string or binary that is directly the element of a list stays {@code Utf8}/{@code Binary}: pyarrow 25's
 * {@code to_pandas()} cannot convert a list of views ("Not implemented type for Arrow list to pandas:
 * string_view"), while it converts views at the top level, in structs, and in the key/value structs of maps.
 *
 * <p>Only the stream's schema and record batches change: batches are still built in {@code Utf8} vectors, and
 * {@link ArrowBatchUnloader#unload(org.apache.arrow.vector.VectorSchemaRoot,
 * org.apache.arrow.vector.compression.CompressionCodec, Schema)} writes their values as views.
 */
public final class ArrowStringViews {
    private ArrowStringViews() {}

    /** {@code schema} with its strings and binaries as views, except those directly inside a list. */
    public static Schema toViews(Schema schema) {
        List<Field> fields = new ArrayList<>();
        for (Field field : schema.getFields()) {
            fields.add(toViews(field, false));
        }
        return new Schema(fields, schema.getCustomMetadata());
    }

    private static Field toViews(Field field, boolean listElement) {
        ArrowType type = field.getType();
        boolean list = type.getTypeID() == ArrowType.ArrowTypeID.List;
        List<Field> children = new ArrayList<>();
        for (Field child : field.getChildren()) {
            children.add(toViews(child, list));
        }
        if (!listElement && type.getTypeID() == ArrowType.ArrowTypeID.Utf8) {
            type = ArrowType.Utf8View.INSTANCE;
        } else if (!listElement && type.getTypeID() == ArrowType.ArrowTypeID.Binary) {
            type = ArrowType.BinaryView.INSTANCE;
        }
        return new Field(
                field.getName(),
                new FieldType(field.isNullable(), type, field.getDictionary(), field.getMetadata()),
                children);
    }

    /** Whether {@code field} is a view, which the unloader writes from the plain vector of the same values. */
    static boolean isView(Field field) {
        ArrowType.ArrowTypeID id = field.getType().getTypeID();
        return id == ArrowType.ArrowTypeID.Utf8View || id == ArrowType.ArrowTypeID.BinaryView;
    }
}
