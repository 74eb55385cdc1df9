package io.tributary.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/** Spark rows in the canonical JSON form arrow_check.py prints, so values compare exactly, type by type. */
final class CanonicalRows {
    static final ObjectMapper JSON = new ObjectMapper();

    private CanonicalRows() {}

    /** Rows sorted by their {@code id} column, as JSON text. */
    static String of(List<Row> rows) {
        List<Object> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(canon(r));
        }
        out.sort(Comparator.comparingLong(m -> ((Number) ((Map<?, ?>) m).get("id")).longValue()));
        return json(out);
    }

    /** One column of canonical rows, e.g. to compare column by column. */
    static List<String> column(JsonNode rows, String name) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : rows) {
            out.add(r.get(name).toString());
        }
        return out;
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(JSON.valueToTree(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Object canon(Object v) {
        if (v == null || v instanceof Boolean) {
            return v;
        } else if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long) {
            return ((Number) v).longValue();
        } else if (v instanceof Float f) {
            return floatBits(f.doubleValue());
        } else if (v instanceof Double d) {
            return floatBits(d);
        } else if (v instanceof BigDecimal d) {
            return "d:" + d.toPlainString();
        } else if (v instanceof String s) {
            return "s:" + s;
        } else if (v instanceof byte[] b) {
            return "b:" + HexFormat.of().formatHex(b);
        } else if (v instanceof Instant t) {
            return "tz:" + micros(t.getEpochSecond(), t.getNano());
        } else if (v instanceof LocalDateTime t) {
            return "ntz:" + micros(t.toEpochSecond(ZoneOffset.UTC), t.getNano());
        } else if (v instanceof LocalDate d) {
            return "date:" + d.toEpochDay();

        } else if (v instanceof Row r) {
            Map<String, Object> out = new LinkedHashMap<>();
            StructType schema = r.schema();
            for (int i = 0; i < schema.size(); i++) {
                StructField f = schema.fields()[i];
                out.put(f.name(), canon(r.get(i)));
            }
            return out;
        } else if (v instanceof scala.collection.Map<?, ?> m) {
            List<Map<String, Object>> entries = new ArrayList<>();
            CollectionConverters.asJava(m).forEach((k, x) -> {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("key", canon(k));
                e.put("value", canon(x));
                entries.add(e);
            });
            entries.sort(Comparator.comparing(e -> json(e.get("key"))));
            return entries;
        } else if (v instanceof scala.collection.Seq<?> s) {
            List<Object> out = new ArrayList<>();
            for (Object e : CollectionConverters.asJava(s)) {
                out.add(canon(e));
            }
            return out;
        }
        throw new IllegalArgumentException("no canonical form for " + v.getClass());
    }

    private static String floatBits(double d) {
        return Double.isNaN(d) ? "nan" : "f:" + String.format("%016x", Double.doubleToRawLongBits(d));
    }

    private static long micros(long epochSecond, int nano) {
        return epochSecond * 1_000_000L + nano / 1_000;
    }

    /**
     * Equal rows, compared column by column first so a failure names the column. Lives here, not in a test class
     * that starts this module's SparkSession, so integration tests can call it without touching their own session.
     */
    static void assertColumnsEqual(JsonNode expected, JsonNode actual) {
        assertEquals(expected.size(), actual.size(), "row count");
        List<String> names = new ArrayList<>();
        expected.get(0).fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            assertEquals(CanonicalRows.column(expected, name), CanonicalRows.column(actual, name), "column " + name);
        }
        assertEquals(expected.toString(), actual.toString());
    }
}
