package io.tributary.athena;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.sources.And;
import org.apache.spark.sql.sources.EqualNullSafe;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.GreaterThan;
import org.apache.spark.sql.sources.GreaterThanOrEqual;
import org.apache.spark.sql.sources.In;
import org.apache.spark.sql.sources.IsNotNull;
import org.apache.spark.sql.sources.IsNull;
import org.apache.spark.sql.sources.LessThan;
import org.apache.spark.sql.sources.LessThanOrEqual;
import org.apache.spark.sql.sources.Not;
import org.apache.spark.sql.sources.Or;
import org.apache.spark.sql.sources.StringContains;
import org.apache.spark.sql.sources.StringEndsWith;
import org.apache.spark.sql.sources.StringStartsWith;

/**
 * Spark filters as Athena SQL. Every column is a quoted identifier and every value a typed literal, so no value can
 * change the statement. A filter that cannot be expressed exactly returns empty and stays with Spark.
 */
final class FilterSql {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

    private FilterSql() {}

    static Optional<String> toSql(Filter filter) {
        if (filter instanceof EqualTo) {
            return compare(((EqualTo) filter).attribute(), "=", ((EqualTo) filter).value());
        } else if (filter instanceof EqualNullSafe) {
            return compare(
                    ((EqualNullSafe) filter).attribute(), "IS NOT DISTINCT FROM", ((EqualNullSafe) filter).value());
        } else if (filter instanceof GreaterThan) {
            return compare(((GreaterThan) filter).attribute(), ">", ((GreaterThan) filter).value());
        } else if (filter instanceof GreaterThanOrEqual) {
            return compare(((GreaterThanOrEqual) filter).attribute(), ">=", ((GreaterThanOrEqual) filter).value());
        } else if (filter instanceof LessThan) {
            return compare(((LessThan) filter).attribute(), "<", ((LessThan) filter).value());
        } else if (filter instanceof LessThanOrEqual) {
            return compare(((LessThanOrEqual) filter).attribute(), "<=", ((LessThanOrEqual) filter).value());
        } else if (filter instanceof IsNull) {
            return column(((IsNull) filter).attribute()).map(column -> column + " IS NULL");
        } else if (filter instanceof IsNotNull) {
            return column(((IsNotNull) filter).attribute()).map(column -> column + " IS NOT NULL");
        } else if (filter instanceof In) {
            In in = (In) filter;
            if (in.values().length == 0) {
                return Optional.empty();
            }
            List<String> literals = new ArrayList<>();
            for (Object value : in.values()) {
                Optional<String> literal = literal(value);
                if (literal.isEmpty()) {
                    return Optional.empty();
                }
                literals.add(literal.get());
            }
            return column(in.attribute()).map(column -> column + " IN (" + String.join(", ", literals) + ")");
        } else if (filter instanceof And) {
            return both(((And) filter).left(), "AND", ((And) filter).right());
        } else if (filter instanceof Or) {
            return both(((Or) filter).left(), "OR", ((Or) filter).right());
        } else if (filter instanceof Not) {
            return toSql(((Not) filter).child()).map(sql -> "(NOT " + sql + ")");
        } else if (filter instanceof StringStartsWith) {
            return like(((StringStartsWith) filter).attribute(), "", ((StringStartsWith) filter).value(), "%");
        } else if (filter instanceof StringEndsWith) {
            return like(((StringEndsWith) filter).attribute(), "%", ((StringEndsWith) filter).value(), "");
        } else if (filter instanceof StringContains) {
            return like(((StringContains) filter).attribute(), "%", ((StringContains) filter).value(), "%");
        }
        return Optional.empty();
    }

    private static Optional<String> compare(String attribute, String operator, Object value) {
        Optional<String> literal = literal(value);
        return column(attribute).flatMap(column -> literal.map(l -> column + " " + operator + " " + l));
    }

    private static Optional<String> both(Filter left, String operator, Filter right) {
        Optional<String> l = toSql(left);
        Optional<String> r = toSql(right);
        return l.isPresent() && r.isPresent()
                ? Optional.of("(" + l.get() + " " + operator + " " + r.get() + ")")
                : Optional.empty();
    }

    /** LIKE with the value's own % and _ escaped, so "50%" matches only "50%". */
    private static Optional<String> like(String attribute, String before, String value, String after) {
        String escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return column(attribute)
                .map(column -> column + " LIKE " + SqlText.literal(before + escaped + after) + " ESCAPE '\\'");
    }

    /**
     * The quoted column a filter's attribute names. Spark writes names that need it in backquotes ({@code `odd "col`},
     * backquotes doubled) and nested fields as dotted paths; only top-level columns are pushed.
     */
    static Optional<String> column(String attribute) {
        if (!attribute.startsWith("`")) {
            return attribute.contains(".") ? Optional.empty() : Optional.of(SqlText.identifier(attribute));
        }
        StringBuilder name = new StringBuilder();
        for (int i = 1; i < attribute.length(); i++) {
            char c = attribute.charAt(i);
            if (c == '`') {
                if (i + 1 < attribute.length() && attribute.charAt(i + 1) == '`') {
                    name.append('`');
                    i++;
                } else {
                    return i == attribute.length() - 1
                            ? Optional.of(SqlText.identifier(name.toString()))
                            : Optional.empty();
                }
            } else {
                name.append(c);
            }
        }
        return Optional.empty();
    }

    static Optional<String> literal(Object value) {
        if (value instanceof String) {
            return Optional.of(SqlText.literal((String) value));
        } else if (value instanceof Boolean) {
            return Optional.of(((Boolean) value) ? "TRUE" : "FALSE");
        } else if (value instanceof Byte
                || value instanceof Short
                || value instanceof Integer
                || value instanceof Long) {
            return Optional.of(value.toString());
        } else if (value instanceof Double) {
            double d = (Double) value;
            return Double.isFinite(d) ? Optional.of("DOUBLE " + SqlText.literal(Double.toString(d))) : Optional.empty();
        } else if (value instanceof Float) {
            float f = (Float) value;
            return Float.isFinite(f) ? Optional.of("REAL " + SqlText.literal(Float.toString(f))) : Optional.empty();
        } else if (value instanceof BigDecimal) {
            return Optional.of("DECIMAL " + SqlText.literal(((BigDecimal) value).toPlainString()));
        } else if (value instanceof LocalDate) {
            return Optional.of("DATE " + SqlText.literal(value.toString()));
        } else if (value instanceof Date) {
            return Optional.of(
                    "DATE " + SqlText.literal(((Date) value).toLocalDate().toString()));
        } else if (value instanceof LocalDateTime) {
            return Optional.of("TIMESTAMP " + SqlText.literal(TIMESTAMP.format((LocalDateTime) value)));
        } else if (value instanceof Instant || value instanceof Timestamp) {
            Instant instant = value instanceof Instant ? (Instant) value : ((Timestamp) value).toInstant();
            return Optional.of(
                    "TIMESTAMP " + SqlText.literal(TIMESTAMP.format(instant.atOffset(ZoneOffset.UTC)) + " UTC"));
        }
        return Optional.empty();
    }
}
