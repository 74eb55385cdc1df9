package io.tributary.python;

import static io.tributary.python.DeclaredSchemas.field;
import static io.tributary.python.DeclaredSchemas.parseError;
import static io.tributary.python.DeclaredSchemas.struct;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

/** MySQL CREATE TABLE schemas, through the public entry point. */
class MySqlCreateTableParserTest {

    /** The type a single column of the given MySQL type gets. */
    private static DataType typeOf(String mysqlType) {
        return DeclaredSchemaParser.parse("CREATE TABLE t (c " + mysqlType + ")")
                .fields()[0]
                .dataType();
    }

    @Test
    void theSeedsExample() {
        assertEquals(
                struct(field("c1", DataTypes.IntegerType, true), field("c2", DataTypes.IntegerType, true)),
                DeclaredSchemaParser.parse("CREATE TABLE t1 (c1 INT,c2 INT) ENGINE NDB"));
    }

    @Test
    void theIssuesExampleWithVarchar() {
        assertEquals(
                struct(field("c1", DataTypes.IntegerType, true), field("c2", DataTypes.StringType, true)),
                DeclaredSchemaParser.parse("CREATE TABLE t1 (c1 INT, c2 VARCHAR(10)) ENGINE NDB"));
    }

    @Test
    void integerTypesAndUnsignedWidening() {
        assertEquals(DataTypes.ByteType, typeOf("TINYINT"));
        assertEquals(DataTypes.ByteType, typeOf("TINYINT(1)"));
        assertEquals(DataTypes.ShortType, typeOf("TINYINT UNSIGNED"));
        assertEquals(DataTypes.ShortType, typeOf("SMALLINT"));
        assertEquals(DataTypes.IntegerType, typeOf("SMALLINT(5) UNSIGNED ZEROFILL"));
        assertEquals(DataTypes.IntegerType, typeOf("MEDIUMINT UNSIGNED"));
        assertEquals(DataTypes.IntegerType, typeOf("int"));
        assertEquals(DataTypes.IntegerType, typeOf("INTEGER SIGNED"));
        assertEquals(DataTypes.LongType, typeOf("INT(11) UNSIGNED"));
        assertEquals(DataTypes.LongType, typeOf("BIGINT(20)"));
        assertEquals(DataTypes.createDecimalType(20, 0), typeOf("BIGINT UNSIGNED"));
        // ZEROFILL implies UNSIGNED in MySQL.
        assertEquals(DataTypes.LongType, typeOf("INT ZEROFILL"));
    }

    @Test
    void approximateAndExactNumbers() {
        assertEquals(DataTypes.FloatType, typeOf("FLOAT"));
        assertEquals(DataTypes.FloatType, typeOf("FLOAT(24)"));
        assertEquals(DataTypes.DoubleType, typeOf("FLOAT(25)"));
        assertEquals(DataTypes.FloatType, typeOf("FLOAT(7,4) UNSIGNED"));
        assertEquals(DataTypes.DoubleType, typeOf("DOUBLE"));
        assertEquals(DataTypes.DoubleType, typeOf("DOUBLE PRECISION(10,2)"));
        assertEquals(DataTypes.DoubleType, typeOf("REAL"));
        assertEquals(DataTypes.createDecimalType(10, 0), typeOf("DECIMAL"));
        assertEquals(DataTypes.createDecimalType(8, 0), typeOf("DECIMAL(8)"));
        assertEquals(DataTypes.createDecimalType(12, 4), typeOf("NUMERIC(12,4)"));
        assertEquals(DataTypes.createDecimalType(6, 2), typeOf("DEC(6, 2) UNSIGNED"));
        assertEquals(DataTypes.createDecimalType(38, 38), typeOf("FIXED(38,38)"));
    }

    @Test
    void textBinaryBooleanAndTimeTypes() {
        for (String text : new String[] {
            "CHAR",
            "CHAR(3)",
            "CHARACTER(3)",
            "VARCHAR(255)",
            "NCHAR(2)",
            "NATIONAL VARCHAR(2)",
            "NVARCHAR(9)",
            "TINYTEXT",
            "TEXT",
            "TEXT(100)",
            "MEDIUMTEXT",
            "LONGTEXT",
            "VARCHAR(10) BINARY",
            "ENUM('a','b''c')",
            "SET('x', 'y')",
            "JSON",
            "VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
        }) {
            assertEquals(DataTypes.StringType, typeOf(text), text);
        }
        for (String text : new String[] {
            "BINARY", "BINARY(16)", "VARBINARY(64)", "TINYBLOB", "BLOB", "BLOB(10)", "MEDIUMBLOB", "LONGBLOB"
        }) {
            assertEquals(DataTypes.BinaryType, typeOf(text), text);
        }
        for (String text : new String[] {"BOOL", "BOOLEAN", "BIT", "BIT(1)"}) {
            assertEquals(DataTypes.BooleanType, typeOf(text), text);
        }
        assertEquals(DataTypes.DateType, typeOf("DATE"));
        assertEquals(DataTypes.TimestampType, typeOf("DATETIME"));
        assertEquals(DataTypes.TimestampType, typeOf("DATETIME(6)"));
        assertEquals(DataTypes.TimestampType, typeOf("TIMESTAMP(3)"));
    }

    @Test
    void attributesNullabilityCommentsAndIgnoredClauses() {
        String ddl = """
                CREATE TEMPORARY TABLE IF NOT EXISTS `db`.`orders` (
                  `id` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
                  `order key` VARCHAR(32) NOT NULL DEFAULT '' COMMENT 'the customer''s key',
                  amount DECIMAL(12,2) DEFAULT -1.50 CHECK (amount <> 0),
                  created TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP(3),
                  flags BIT(1) DEFAULT b'0' INVISIBLE,
                  note TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci,
                  code INT UNIQUE KEY DEFAULT (1 + 2),
                  -- a comment line, and # another
                  PRIMARY KEY (`id`),
                  UNIQUE KEY uk (`order key`(10)),
                  KEY idx_created (created) USING BTREE,
                  CONSTRAINT fk FOREIGN KEY (code) REFERENCES other (id) ON DELETE CASCADE,
                  CONSTRAINT chk CHECK (amount > 0 OR note <> ')'),
                  FULLTEXT INDEX ft (note)
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='unterminated? no: it''s fine' /* trailing */;
                """;
        assertEquals(
                struct(
                        field("id", DataTypes.createDecimalType(20, 0), false),
                        field("order key", DataTypes.StringType, false).withComment("the customer's key"),
                        field("amount", DataTypes.createDecimalType(12, 2), true),
                        field("created", DataTypes.TimestampType, true),
                        field("flags", DataTypes.BooleanType, true),
                        field("note", DataTypes.StringType, true),
                        field("code", DataTypes.IntegerType, true)),
                DeclaredSchemaParser.parse(ddl));
    }

    @Test
    void primaryKeysMakeColumnsNonNullable() {
        assertEquals(
                struct(
                        field("a", DataTypes.IntegerType, false),
                        field("b", DataTypes.StringType, false),
                        field("c", DataTypes.LongType, false),
                        field("d", DataTypes.LongType, true)),
                DeclaredSchemaParser.parse("create table t (a INT PRIMARY KEY, b TEXT, c BIGINT KEY, d BIGINT,"
                        + " CONSTRAINT pk PRIMARY KEY (B(4) DESC))"));
        assertEquals(
                struct(field("x", DataTypes.IntegerType, false)),
                DeclaredSchemaParser.parse("CREATE TABLE t (CONSTRAINT PRIMARY KEY (x), x INT)"));
    }

    @Test
    void tableOptionsAfterTheColumnListAreNotRead() {
        // Not even tokenized: an unclosed quote there does not matter.
        assertEquals(
                struct(field("a", DataTypes.IntegerType, true)),
                DeclaredSchemaParser.parse("CREATE TABLE t (a INT) COMMENT='it''s \" unclosed"));
    }

    @Test
    void backquotedNamesMayHoldAnyCharacter() {
        assertEquals(
                struct(field("a`b, (c)", DataTypes.IntegerType, true)),
                DeclaredSchemaParser.parse("CREATE TABLE t (`a``b, (c)` INT)"));
    }

    @Test
    void unsupportedTypeListsTheSupportedOnes() {
        assertEquals(
                "Invalid declared schema (MySQL CREATE TABLE): unsupported column type 'TIME'; supported:"
                        + " TINYINT, SMALLINT, MEDIUMINT, INT, INTEGER, BIGINT (each optionally UNSIGNED), FLOAT, DOUBLE,"
                        + " REAL, DECIMAL, DEC, NUMERIC, FIXED, BIT(1), BOOL, BOOLEAN, CHAR, VARCHAR, NCHAR, NVARCHAR,"
                        + " TINYTEXT, TEXT, MEDIUMTEXT, LONGTEXT, ENUM, SET, JSON, DATE, DATETIME, TIMESTAMP, BINARY,"
                        + " VARBINARY, TINYBLOB, BLOB, MEDIUMBLOB, LONGBLOB at offset 25: CREATE TABLE t (a INT, b >>>TIME)",
                parseError("CREATE TABLE t (a INT, b TIME)"));
    }

    @Test
    void wideBitFieldsAreRejected() {
        assertEquals(
                "Invalid declared schema (MySQL CREATE TABLE): BIT(8) is a bit field, which has no Spark type;"
                        + " declare BIT(1) or BOOLEAN for a flag, or an integer type for a number at offset 22:"
                        + " CREATE TABLE t (b BIT(>>>8))",
                parseError("CREATE TABLE t (b BIT(8))"));
    }

    @Test
    void decimalAndFloatBounds() {
        assertEquals(
                "Invalid declared schema (MySQL CREATE TABLE): decimal precision 65 is out of range: Spark"
                        + " decimals have 1 to 38 digits at offset 26: ...REATE TABLE t (d DECIMAL(>>>65,2))",
                parseError("CREATE TABLE t (d DECIMAL(65,2))"));
        assertTrue(parseError("CREATE TABLE t (d DECIMAL(5,6))")
                .contains("decimal scale 6 is larger than the precision 5"));
        assertTrue(parseError("CREATE TABLE t (f FLOAT(54))").contains("FLOAT precision 54 is out of range"));
    }

    @Test
    void generatedColumnsAreRejected() {
        assertEquals(
                "Invalid declared schema (MySQL CREATE TABLE): column 'b' is a generated column; a Python"
                        + " transform returns every column's value itself, so declare it without GENERATED ALWAYS AS (...)"
                        + " at offset 29: ...TE TABLE t (a INT, b INT >>>GENERATED ALWAYS AS (a + ...",
                parseError("CREATE TABLE t (a INT, b INT GENERATED ALWAYS AS (a + 1))"));
    }

    @Test
    void unknownAttribute() {
        assertEquals(
                "Invalid declared schema (MySQL CREATE TABLE): expected a column attribute (NOT NULL, NULL,"
                        + " DEFAULT, COMMENT, PRIMARY KEY, UNIQUE, AUTO_INCREMENT, COLLATE, CHARACTER SET, ON UPDATE, CHECK),"
                        + " ',' or ')' but found 'NOTNULL' at offset 22: CREATE TABLE t (a INT >>>NOTNULL)",
                parseError("CREATE TABLE t (a INT NOTNULL)"));
    }

    @Test
    void missingColumnListAndUnclosedList() {
        assertEquals(
                "Invalid declared schema (MySQL CREATE TABLE): expected '(' and the column definitions (CREATE"
                        + " TABLE ... LIKE and CREATE TABLE ... AS SELECT do not declare columns) but found 'LIKE' at offset"
                        + " 15: CREATE TABLE t >>>LIKE other",
                parseError("CREATE TABLE t LIKE other"));
        assertEquals(
                "Invalid declared schema (MySQL CREATE TABLE): expected ',' and another definition, or ')'"
                        + " closing the column list but found the end of the text at offset 21: CREATE TABLE t (a INT>>>",
                parseError("CREATE TABLE t (a INT"));
        assertTrue(parseError("CREATE TABLE (a INT)").contains("expected the table name but found '('"));
    }

    @Test
    void duplicateColumnsIgnoringCase() {
        assertEquals(
                "Invalid declared schema (MySQL CREATE TABLE): column 'A' is defined twice (MySQL column names"
                        + " ignore case; the first is 'a') at offset 23: CREATE TABLE t (a INT, >>>A TEXT)",
                parseError("CREATE TABLE t (a INT, A TEXT)"));
    }

    @Test
    void primaryKeyOnAnUnknownColumn() {
        assertEquals(
                "Invalid declared schema (MySQL CREATE TABLE): PRIMARY KEY names column 'b', which the table does"
                        + " not define; columns: a at offset 36: ...E t (a INT, PRIMARY KEY (>>>b))",
                parseError("CREATE TABLE t (a INT, PRIMARY KEY (b))"));
    }

    @Test
    void onlyConstraintsIsRejected() {
        assertTrue(parseError("CREATE TABLE t (KEY k (a))")
                .contains("the table defines no columns, only keys or" + " constraints at offset 25"));
    }

    @Test
    void unterminatedStringsAndCommentsInsideTheColumnList() {
        assertTrue(parseError("CREATE TABLE t (a INT COMMENT 'x)")
                .contains("string opened with ' is never closed at" + " offset 30"));
        assertTrue(parseError("CREATE TABLE t (a INT /* no end")
                .contains("comment '/*' is never closed with '*/' at" + " offset 22"));
        assertTrue(parseError("CREATE TABLE t (`a INT)")
                .contains("backquoted name opened with ` is never closed at" + " offset 16"));
    }

    @Test
    void multiLineErrorsGiveLineAndColumn() {
        String message = parseError("CREATE TABLE t (\n  a INT,\n  b WIDGET\n)");
        assertTrue(
                message.startsWith("Invalid declared schema (MySQL CREATE TABLE): unsupported column type 'WIDGET';"
                        + " supported: "),
                message);
        assertTrue(
                message.endsWith(" at offset 30 (line 3, column 5): ...E TABLE t (   a INT,   b >>>WIDGET )"), message);
    }
}
