package io.tributary.arrow;

import java.util.List;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;
import scala.Function1;

/** arrow-bridge's all-types rows (package-private in its test jar) as the InternalRows a task reads. */
public final class AllTypesRows {
    private AllTypesRows() {}

    /** Every type the Arrow bridge writes, nested, edge values and nulls at every level. */
    public static final StructType SCHEMA = AllTypesData.SCHEMA;

    /** The six rows of {@link #SCHEMA}, in id order. */
    public static List<InternalRow> rows() {
        Function1<Object, Object> toInternal = CatalystTypeConverters.createToCatalystConverter(SCHEMA);
        return AllTypesData.rows().stream()
                .map(row -> (InternalRow) toInternal.apply(row))
                .toList();
    }
}
