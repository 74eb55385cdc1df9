package io.tributary.python;

import io.tributary.python.MySqlTokenizer.Kind;
import io.tributary.python.MySqlTokenizer.Token;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Recursive-descent parser for a MySQL {@code CREATE [TEMPORARY] TABLE [IF NOT EXISTS] name (definitions) options}
 * statement, the third notation Byzer accepts for {@code #%schema}. Only the column list matters: table options after
 * its closing parenthesis are not read. Columns map to Spark types as the README's "Declared schemas" table lists;
 * {@code NOT NULL} and {@code PRIMARY KEY} (column or table level) make a column non-nullable; {@code COMMENT} becomes
 * the field's comment; {@code DEFAULT}, {@code AUTO_INCREMENT}, {@code COLLATE}, character sets and index, key,
 * foreign-key and check definitions are read and ignored, because they constrain a stored table, not the rows a
 * transform returns. Generated columns are rejected: a transform must supply every value itself.
 */
final class MySqlCreateTableParser {

    static final String NOTATION = "MySQL CREATE TABLE";

    private static final String SUPPORTED_TYPES = "TINYINT, SMALLINT, MEDIUMINT, INT, INTEGER, BIGINT (each optionally"
            + " UNSIGNED), FLOAT, DOUBLE, REAL, DECIMAL, DEC, NUMERIC, FIXED, BIT(1), BOOL, BOOLEAN, CHAR, VARCHAR, NCHAR,"
            + " NVARCHAR, TINYTEXT, TEXT, MEDIUMTEXT, LONGTEXT, ENUM, SET, JSON, DATE, DATETIME, TIMESTAMP, BINARY,"
            + " VARBINARY, TINYBLOB, BLOB, MEDIUMBLOB, LONGBLOB";

    private static final String COLUMN_ATTRIBUTES = "NOT NULL, NULL, DEFAULT, COMMENT, PRIMARY KEY, UNIQUE,"
            + " AUTO_INCREMENT, COLLATE, CHARACTER SET, ON UPDATE, CHECK";

    /** Words that start a definition which is not a column (all reserved in MySQL, so no column is named so). */
    private static final Set<String> CONSTRAINT_STARTS =
            Set.of("KEY", "INDEX", "UNIQUE", "FOREIGN", "FULLTEXT", "SPATIAL", "CHECK");

    private final MySqlTokenizer tokens;
    /** Columns by lower-cased name (MySQL column names ignore case), in declaration order. */
    private final Map<String, Column> columns = new LinkedHashMap<>();

    private final List<Token> primaryKeyNames = new ArrayList<>();

    private MySqlCreateTableParser(String text) {
        this.tokens = new MySqlTokenizer(text);
    }

    static StructType parse(String text) {
        return new MySqlCreateTableParser(text).parseStatement();
    }

    private static final class Column {
        final String name;
        final DataType type;
        boolean nullable = true;
        String comment;

        Column(String name, DataType type) {
            this.name = name;
            this.type = type;
        }

        StructField toField() {
            StructField field = DataTypes.createStructField(name, type, nullable);
            return comment == null ? field : field.withComment(comment);
        }
    }

    private StructType parseStatement() {
        expectWord("CREATE");
        tryWord("TEMPORARY");
        expectWord("TABLE");
        if (tryWord("IF")) {
            expectWord("NOT");
            expectWord("EXISTS");
        }
        readName("the table name");
        if (trySymbol('.')) {
            readName("the table name after the database name");
        }
        if (!trySymbol('(')) {
            throw expected("'(' and the column definitions (CREATE TABLE ... LIKE and CREATE TABLE ... AS SELECT do"
                    + " not declare columns)");
        }
        do {
            parseDefinition();
        } while (trySymbol(','));
        if (!tokens.peek().isSymbol(')')) {
            throw expected("',' and another definition, or ')' closing the column list");
        }
        // The closing parenthesis is the last token read: table options (ENGINE NDB, DEFAULT CHARSET=...) follow.
        if (columns.isEmpty()) {
            throw SchemaSyntaxError.at(
                    NOTATION,
                    tokens.text(),
                    tokens.next().offset(),
                    "the table defines no columns, only keys or constraints");
        }
        for (Token name : primaryKeyNames) {
            Column column = columns.get(name.text().toLowerCase(Locale.ROOT));
            if (column == null) {
                throw SchemaSyntaxError.at(
                        NOTATION,
                        tokens.text(),
                        name.offset(),
                        "PRIMARY KEY names column '" + name.text() + "', which the table does not define; columns: "
                                + columnNames());
            }
            column.nullable = false;
        }
        return DataTypes.createStructType(
                columns.values().stream().map(Column::toField).toList());
    }

    private String columnNames() {
        return String.join(", ", columns.values().stream().map(c -> c.name).toList());
    }

    private void parseDefinition() {
        Token first = tokens.peek();
        if (first.isWord("PRIMARY")) {
            tokens.next();
            parseTablePrimaryKey();
        } else if (first.isWord("CONSTRAINT")) {
            tokens.next();
            Token symbolOrKind = tokens.peek();
            if (!symbolOrKind.isWord("PRIMARY")
                    && !(symbolOrKind.kind() == Kind.WORD && CONSTRAINT_STARTS.contains(symbolOrKind.upper()))) {
                readName("the constraint name or PRIMARY KEY, UNIQUE, FOREIGN KEY or CHECK");
            }
            if (tryWord("PRIMARY")) {
                parseTablePrimaryKey();
            } else {
                skipRestOfDefinition();
            }
        } else if (first.kind() == Kind.WORD && CONSTRAINT_STARTS.contains(first.upper())) {
            skipRestOfDefinition();
        } else {
            parseColumn();
        }
    }

    /** {@code PRIMARY} already read: {@code KEY [name] (col [(length)] [ASC|DESC], ...) [index options]}. */
    private void parseTablePrimaryKey() {
        expectWord("KEY");
        if (!tokens.peek().isSymbol('(')) {
            readName("'(' and the primary key's columns");
        }
        expectSymbol('(', "'(' and the primary key's columns");
        do {
            Token name = tokens.peek();
            readName("a column name of the primary key");
            primaryKeyNames.add(name);
            if (trySymbol('(')) {
                readInt("the key prefix length");
                expectSymbol(')', "')' closing the key prefix length");
            }
            if (!tryWord("ASC")) {
                tryWord("DESC");
            }
        } while (trySymbol(','));
        expectSymbol(')', "',' and another column, or ')' closing the primary key's columns");
        skipRestOfDefinition();
    }

    private void parseColumn() {
        Token nameToken = tokens.peek();
        String name = readName("a column name, or PRIMARY KEY, KEY, INDEX, UNIQUE, CONSTRAINT, FOREIGN KEY or CHECK");
        if (name.isEmpty()) {
            throw SchemaSyntaxError.at(NOTATION, tokens.text(), nameToken.offset(), "a column name cannot be empty");
        }
        Column column = new Column(name, parseColumnType());
        Column earlier = columns.putIfAbsent(name.toLowerCase(Locale.ROOT), column);
        if (earlier != null) {
            throw SchemaSyntaxError.at(
                    NOTATION,
                    tokens.text(),
                    nameToken.offset(),
                    "column '" + name + "' is defined twice (MySQL column names ignore case; the first is '"
                            + earlier.name + "')");
        }
        while (!endOfDefinition()) {
            parseColumnAttribute(column);
        }
    }

    private void parseColumnAttribute(Column column) {
        Token attribute = tokens.peek();
        if (attribute.kind() != Kind.WORD) {
            throw expected("a column attribute (" + COLUMN_ATTRIBUTES + "), ',' or ')'");
        }
        tokens.next();
        switch (attribute.upper()) {
            case "NOT" -> {
                expectWord("NULL");
                column.nullable = false;
            }
            case "NULL" -> column.nullable = true;
            case "DEFAULT" -> skipValue("the default value");
            case "ON" -> {
                expectWord("UPDATE");
                skipValue("the ON UPDATE value");
            }
            case "AUTO_INCREMENT", "VISIBLE", "INVISIBLE" -> {
                // storage behaviour of MySQL; no meaning for returned rows
            }
            case "UNIQUE" -> tryWord("KEY");
            // In MySQL a column-level KEY is a PRIMARY KEY; both imply NOT NULL.
            case "PRIMARY" -> {
                expectWord("KEY");
                column.nullable = false;
            }
            case "KEY" -> column.nullable = false;
            case "COMMENT" -> column.comment = expectString("the comment text in quotes");
            case "COLLATE", "CHARSET" -> readName("a collation or character set name");
            case "CHARACTER" -> {
                expectWord("SET");
                readName("a character set name");
            }
            case "CHECK" -> skipParenthesized("'(' and the check condition");
            // Column-level REFERENCES is parsed and ignored by MySQL itself; it is always the last attribute.
            case "REFERENCES" -> skipRestOfDefinition();
            case "GENERATED", "AS" ->
                throw SchemaSyntaxError.at(
                        NOTATION,
                        tokens.text(),
                        attribute.offset(),
                        "column '" + column.name + "' is a generated column; a Python transform returns every column's"
                                + " value itself, so declare it without GENERATED ALWAYS AS (...)");
            default ->
                throw SchemaSyntaxError.at(
                        NOTATION,
                        tokens.text(),
                        attribute.offset(),
                        "expected a column attribute (" + COLUMN_ATTRIBUTES + "), ',' or ')' but found "
                                + attribute.describe());
        }
    }

    private DataType parseColumnType() {
        Token type = tokens.peek();
        if (type.kind() != Kind.WORD) {
            throw expected("a column type (" + SUPPORTED_TYPES + ")");
        }
        tokens.next();
        switch (type.upper()) {
            case "TINYINT":
                return integerType(DataTypes.ByteType, DataTypes.ShortType);
            case "SMALLINT":
                return integerType(DataTypes.ShortType, DataTypes.IntegerType);
            case "MEDIUMINT":
                return integerType(DataTypes.IntegerType, DataTypes.IntegerType);
            case "INT":
            case "INTEGER":
                return integerType(DataTypes.IntegerType, DataTypes.LongType);
            case "BIGINT":
                // BIGINT UNSIGNED reaches 2^64 - 1, which needs 20 digits.
                return integerType(DataTypes.LongType, DataTypes.createDecimalType(20, 0));
            case "FLOAT":
                return floatType();
            case "DOUBLE":
                tryWord("PRECISION");
                return approximateType(DataTypes.DoubleType);
            case "REAL":
                return approximateType(DataTypes.DoubleType);
            case "DECIMAL":
            case "DEC":
            case "NUMERIC":
            case "FIXED":
                return decimalType();
            case "BIT":
                return bitType();
            case "BOOL":
            case "BOOLEAN":
                return DataTypes.BooleanType;
            case "NATIONAL":
                if (!tryWord("CHAR") && !tryWord("CHARACTER") && !tryWord("VARCHAR")) {
                    throw expected("CHAR or VARCHAR after NATIONAL");
                }
                return textType();
            case "CHAR":
            case "CHARACTER":
            case "VARCHAR":
            case "NCHAR":
            case "NVARCHAR":
            case "TINYTEXT":
            case "TEXT":
            case "MEDIUMTEXT":
            case "LONGTEXT":
                return textType();
            case "ENUM":
            case "SET":
                expectSymbol('(', "'(' and the quoted values of " + type.upper());
                do {
                    expectString("a quoted " + type.upper() + " value");
                } while (trySymbol(','));
                expectSymbol(')', "',' and another value, or ')' closing the " + type.upper() + " values");
                return textType();
            case "JSON":
                return DataTypes.StringType;
            case "DATE":
                return DataTypes.DateType;
            case "DATETIME":
            case "TIMESTAMP":
                optionalLength("the fractional seconds precision");
                return DataTypes.TimestampType;
            case "BINARY":
            case "VARBINARY":
            case "TINYBLOB":
            case "BLOB":
            case "MEDIUMBLOB":
            case "LONGBLOB":
                optionalLength("the length");
                return DataTypes.BinaryType;
            default:
                throw SchemaSyntaxError.at(
                        NOTATION,
                        tokens.text(),
                        type.offset(),
                        "unsupported column type '" + type.text() + "'; supported: " + SUPPORTED_TYPES);
        }
    }

    /** An integer type after its keyword: {@code [(display width)] [UNSIGNED | SIGNED] [ZEROFILL]}. */
    private DataType integerType(DataType signed, DataType unsigned) {
        optionalLength("the display width");
        return numericModifiers() ? unsigned : signed;
    }

    /** Reads {@code UNSIGNED}, {@code SIGNED} and {@code ZEROFILL} in any order; true if the number is unsigned. */
    private boolean numericModifiers() {
        boolean unsigned = false;
        while (true) {
            if (tryWord("UNSIGNED") || tryWord("ZEROFILL")) {
                unsigned = true; // ZEROFILL implies UNSIGNED in MySQL
            } else if (!tryWord("SIGNED")) {
                return unsigned;
            }
        }
    }

    /** {@code FLOAT(p)} is FLOAT up to 24 bits of precision and DOUBLE from 25 to 53; FLOAT(M,D) stays FLOAT. */
    private DataType floatType() {
        DataType type = DataTypes.FloatType;
        if (trySymbol('(')) {
            Token precisionToken = tokens.peek();
            int precision = readInt("the FLOAT precision");
            if (trySymbol(',')) {
                readInt("the number of FLOAT decimals");
            } else if (precision > 53) {
                throw SchemaSyntaxError.at(
                        NOTATION,
                        tokens.text(),
                        precisionToken.offset(),
                        "FLOAT precision " + precision + " is out of range: MySQL allows 0 to 53 bits");
            } else if (precision > 24) {
                type = DataTypes.DoubleType;
            }
            expectSymbol(')', "')' closing the FLOAT precision");
        }
        numericModifiers();
        return type;
    }

    /** DOUBLE or REAL after its keyword: {@code [(M,D)] [UNSIGNED] [ZEROFILL]}. */
    private DataType approximateType(DataType type) {
        if (trySymbol('(')) {
            readInt("the number of digits");
            expectSymbol(',', "',' and the number of decimals");
            readInt("the number of decimals");
            expectSymbol(')', "')' closing (digits,decimals)");
        }
        numericModifiers();
        return type;
    }

    /** {@code DECIMAL[(M[,D])]}, MySQL's defaults being M = 10 and D = 0. */
    private DataType decimalType() {
        int precision = 10;
        int scale = 0;
        if (trySymbol('(')) {
            Token precisionToken = tokens.peek();
            precision = readInt("the DECIMAL precision");
            String problem = DecimalBounds.precisionProblem(precision);
            if (problem != null) {
                throw SchemaSyntaxError.at(NOTATION, tokens.text(), precisionToken.offset(), problem);
            }
            if (trySymbol(',')) {
                Token scaleToken = tokens.peek();
                scale = readInt("the DECIMAL scale");
                problem = DecimalBounds.scaleProblem(precision, scale);
                if (problem != null) {
                    throw SchemaSyntaxError.at(NOTATION, tokens.text(), scaleToken.offset(), problem);
                }
            }
            expectSymbol(')', "')' closing DECIMAL(precision,scale)");
        }
        numericModifiers();
        return DataTypes.createDecimalType(precision, scale);
    }

    private DataType bitType() {
        if (trySymbol('(')) {
            Token widthToken = tokens.peek();
            int width = readInt("the number of bits");
            if (width != 1) {
                throw SchemaSyntaxError.at(
                        NOTATION,
                        tokens.text(),
                        widthToken.offset(),
                        "BIT(" + width
                                + ") is a bit field, which has no Spark type; declare BIT(1) or BOOLEAN for a flag, or an"
                                + " integer type for a number");
            }
            expectSymbol(')', "')' closing BIT(1)");
        }
        return DataTypes.BooleanType;
    }

    /** A character type after its keyword: {@code [VARYING] [(length)] [BINARY]}; character sets are attributes. */
    private DataType textType() {
        tryWord("VARYING");
        optionalLength("the length");
        tryWord("BINARY");
        return DataTypes.StringType;
    }

    private void optionalLength(String what) {
        if (trySymbol('(')) {
            readInt(what);
            expectSymbol(')', "')' closing " + what);
        }
    }

    /** Skips a DEFAULT or ON UPDATE value: a literal, a (parenthesised expression) or a function call. */
    private void skipValue(String what) {
        if (!trySymbol('-')) {
            trySymbol('+');
        }
        Token value = tokens.peek();
        if (value.isSymbol('(')) {
            skipParenthesized("'('");
            return;
        }
        if (value.kind() == Kind.SYMBOL || value.kind() == Kind.END) {
            throw expected(what);
        }
        tokens.next();
        if (value.kind() == Kind.WORD && tokens.peek().isSymbol('(')) {
            skipParenthesized("'('"); // CURRENT_TIMESTAMP(3), NOW()
        } else if (value.kind() == Kind.WORD && tokens.peek().kind() == Kind.STRING) {
            tokens.next(); // b'101', x'1F', _utf8mb4'text'
        }
    }

    private void skipParenthesized(String expected) {
        expectSymbol('(', expected);
        int depth = 1;
        while (depth > 0) {
            Token token = tokens.next();
            if (token.kind() == Kind.END) {
                throw SchemaSyntaxError.at(
                        NOTATION, tokens.text(), token.offset(), "expected ')' but found " + token.describe());
            }
            if (token.isSymbol('(')) {
                depth++;
            } else if (token.isSymbol(')')) {
                depth--;
            }
        }
    }

    /** Skips to the ',' or ')' that ends the current definition, across nested parentheses and strings. */
    private void skipRestOfDefinition() {
        while (!endOfDefinition()) {
            if (tokens.peek().isSymbol('(')) {
                skipParenthesized("'('");
            } else {
                tokens.next();
            }
        }
    }

    private boolean endOfDefinition() {
        Token next = tokens.peek();
        if (next.kind() == Kind.END) {
            throw expected("',' and another definition, or ')' closing the column list");
        }
        return next.isSymbol(',') || next.isSymbol(')');
    }

    private String readName(String expected) {
        Token token = tokens.peek();
        if (token.kind() != Kind.WORD && token.kind() != Kind.QUOTED_NAME) {
            throw expected(expected);
        }
        return tokens.next().text();
    }

    private int readInt(String expected) {
        Token token = tokens.peek();
        if (token.kind() != Kind.NUMBER || !token.text().chars().allMatch(Character::isDigit)) {
            throw expected(expected + " (a whole number)");
        }
        tokens.next();
        try {
            return Integer.parseInt(token.text());
        } catch (NumberFormatException tooLarge) {
            throw SchemaSyntaxError.at(
                    NOTATION, tokens.text(), token.offset(), expected + " is too large: " + token.text());
        }
    }

    private String expectString(String expected) {
        if (tokens.peek().kind() != Kind.STRING) {
            throw expected(expected);
        }
        return tokens.next().text();
    }

    private boolean tryWord(String word) {
        if (tokens.peek().isWord(word)) {
            tokens.next();
            return true;
        }
        return false;
    }

    private void expectWord(String word) {
        if (!tryWord(word)) {
            throw expected("'" + word + "'");
        }
    }

    private boolean trySymbol(char symbol) {
        if (tokens.peek().isSymbol(symbol)) {
            tokens.next();
            return true;
        }
        return false;
    }

    private void expectSymbol(char symbol, String expected) {
        if (!trySymbol(symbol)) {
            throw expected(expected);
        }
    }

    private IllegalArgumentException expected(String expected) {
        Token found = tokens.peek();
        return SchemaSyntaxError.at(
                NOTATION, tokens.text(), found.offset(), "expected " + expected + " but found " + found.describe());
    }
}
