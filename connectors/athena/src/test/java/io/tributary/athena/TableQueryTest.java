package io.tributary.athena;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.sources.And;
import org.apache.spark.sql.sources.EqualNullSafe;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.GreaterThan;
import org.apache.spark.sql.sources.In;
import org.apache.spark.sql.sources.IsNull;
import org.apache.spark.sql.sources.LessThanOrEqual;
import org.apache.spark.sql.sources.Not;
import org.apache.spark.sql.sources.Or;
import org.apache.spark.sql.sources.StringContains;
import org.apache.spark.sql.sources.StringEndsWith;
import org.junit.jupiter.api.Test;

class TableQueryTest {
    private static String sql(Filter filter) {
        return FilterSql.toSql(filter).orElse("<not pushed>");
    }

    @Test
    void valuesBecomeTypedQuotedLiterals() {
        assertEquals("\"name\" = 'O''Brien'' OR 1=1 --'", sql(new EqualTo("name", "O'Brien' OR 1=1 --")));
        assertEquals("\"n\" = 42", sql(new EqualTo("n", 42L)));
        assertEquals("\"ok\" = TRUE", sql(new EqualTo("ok", true)));
        assertEquals("\"x\" > DOUBLE '1.5'", sql(new GreaterThan("x", 1.5)));
        assertEquals("\"x\" > REAL '2.5'", sql(new GreaterThan("x", 2.5f)));
        assertEquals("\"d\" <= DECIMAL '10.50'", sql(new LessThanOrEqual("d", new BigDecimal("10.50"))));
        assertEquals("\"day\" = DATE '2023-01-01'", sql(new EqualTo("day", LocalDate.parse("2023-01-01"))));
        assertEquals(
                "\"at\" > TIMESTAMP '2023-01-01 12:00:00.000001'",
                sql(new GreaterThan("at", LocalDateTime.parse("2023-01-01T12:00:00.000001"))));
        assertEquals(
                "\"at\" > TIMESTAMP '2023-01-01 12:00:00.500000 UTC'",
                sql(new GreaterThan("at", Timestamp.from(Instant.parse("2023-01-01T12:00:00.5Z")))));
        assertEquals("\"x\" IS NOT DISTINCT FROM 'a'", sql(new EqualNullSafe("x", "a")));
    }

    @Test
    void structureIsKeptAndNamesQuoted() {
        assertEquals(
                "(\"a\" IN (1, 2) OR (NOT \"b\" IS NULL))",
                sql(new Or(new In("a", new Object[] {1, 2}), new Not(new IsNull("b")))));
        assertEquals(
                "(\"odd \"\"col\" = 'x' AND \"it`s\" LIKE '%50\\%\\_%' ESCAPE '\\')",
                sql(new And(new EqualTo("`odd \"col`", "x"), new StringContains("`it``s`", "50%_"))));
        assertEquals("\"s\" LIKE '%''' ESCAPE '\\'", sql(new StringEndsWith("s", "'")));
    }

    @Test
    void whatCannotBeExpressedExactlyStaysWithSpark() {
        assertEquals(Optional.empty(), FilterSql.toSql(new EqualTo("x", Double.NaN)));
        assertEquals(Optional.empty(), FilterSql.toSql(new EqualTo("nested.field", 1)));
        assertEquals(Optional.empty(), FilterSql.toSql(new EqualTo("`a`.`b`", 1)));
        assertEquals(Optional.empty(), FilterSql.toSql(new EqualTo("x", new int[] {1})));
        assertEquals(Optional.empty(), FilterSql.toSql(new And(new EqualTo("a", 1), new EqualTo("b", Double.NaN))));
    }

    @Test
    void selectListsPrunedColumnsFiltersAndLimit() {
        TableQuery query =
                new TableQuery("my db", "t\"1", List.of("a", "b c"), List.of("\"a\" = 1", "\"b c\" IS NULL"), 10);
        assertEquals(
                "SELECT \"a\", \"b c\" FROM \"my db\".\"t\"\"1\" WHERE \"a\" = 1 AND \"b c\" IS NULL LIMIT 10",
                query.sql());
        assertEquals("SELECT \"a\" FROM \"db\".\"t\"", new TableQuery("db", "t", List.of("a"), List.of(), null).sql());
    }
}
