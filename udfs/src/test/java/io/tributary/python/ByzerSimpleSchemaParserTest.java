package io.tributary.python;

import static io.tributary.python.DeclaredSchemas.nullable;
import static io.tributary.python.DeclaredSchemas.parseError;
import static io.tributary.python.DeclaredSchemas.struct;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Byzer's simple form, through the public entry point. */
class ByzerSimpleSchemaParserTest {

    @Test
    void everyScalarKeyword() {
        StructType parsed = DeclaredSchemaParser.parse("st(field(s,string),field(l,long),field(i,integer),"
                + "field(sh,short),field(b,byte),field(d,double),field(f,float),field(bo,boolean),field(bi,binary),"
                + "field(da,date),field(ts,timestamp),field(dec,decimal(12,3)),field(plain,decimal))");
        assertEquals(
                struct(
                        nullable("s", DataTypes.StringType),
                        nullable("l", DataTypes.LongType),
                        nullable("i", DataTypes.IntegerType),
                        nullable("sh", DataTypes.ShortType),
                        nullable("b", DataTypes.ByteType),
                        nullable("d", DataTypes.DoubleType),
                        nullable("f", DataTypes.FloatType),
                        nullable("bo", DataTypes.BooleanType),
                        nullable("bi", DataTypes.BinaryType),
                        nullable("da", DataTypes.DateType),
                        nullable("ts", DataTypes.TimestampType),
                        nullable("dec", DataTypes.createDecimalType(12, 3)),
                        // Byzer's own parser maps bare decimal to double; cells written for Byzer keep their type.
                        nullable("plain", DataTypes.DoubleType)),
                parsed);
    }

    @Test
    void nestedArraysMapsAndStructs() {
        StructType parsed = DeclaredSchemaParser.parse(
                "st(field(a,long),field(b,array(double)),field(c,map(string,array(st(field(x,string))))))");
        StructType inner = struct(nullable("x", DataTypes.StringType));
        assertEquals(
                struct(
                        nullable("a", DataTypes.LongType),
                        nullable("b", DataTypes.createArrayType(DataTypes.DoubleType, true)),
                        nullable(
                                "c",
                                DataTypes.createMapType(
                                        DataTypes.StringType, DataTypes.createArrayType(inner, true), true))),
                parsed);
    }

    @Test
    void mapWithMapKeyAndStructField() {
        StructType parsed = DeclaredSchemaParser.parse("st(field(m,map(map(string,string),long)),"
                + "field(s,st(field(y,integer),field(z,array(array(byte))))))");
        assertEquals(
                struct(
                        nullable(
                                "m",
                                DataTypes.createMapType(
                                        DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, true),
                                        DataTypes.LongType,
                                        true)),
                        nullable(
                                "s",
                                struct(
                                        nullable("y", DataTypes.IntegerType),
                                        nullable(
                                                "z",
                                                DataTypes.createArrayType(
                                                        DataTypes.createArrayType(DataTypes.ByteType, true), true))))),
                parsed);
    }

    @Test
    void whitespaceAndKeywordCaseAreTolerated() {
        assertEquals(
                struct(
                        nullable("epoch", DataTypes.StringType),
                        nullable("k", DataTypes.StringType),
                        nullable("b", DataTypes.createDecimalType(5, 2))),
                DeclaredSchemaParser.parse(
                        "  ST ( field(epoch,string),field(k,STRING),\n FIELD ( b , decimal ( 5 , 2" + " ) ) )  "));
    }

    @Test
    void fieldNamesKeepCaseInnerSpacesAndNonAsciiLetters() {
        assertEquals(
                struct(
                        nullable("ProductName", DataTypes.StringType),
                        nullable("my col", DataTypes.LongType),
                        nullable("名字", DataTypes.StringType)),
                DeclaredSchemaParser.parse("st(field(ProductName,string),field( my col ,long),field(名字,string))"));
    }

    @Test
    void surplusClosingParenthesesAfterTheStructAreIgnoredAsByzerDid() {
        // Verbatim from the Byzer-python tutorial's breast-cancer cell.
        assertEquals(
                struct(
                        nullable("features", DataTypes.createArrayType(DataTypes.DoubleType, true)),
                        nullable("label", DataTypes.LongType)),
                DeclaredSchemaParser.parse("st(field(features,array(double)),field(label,long)))"));
    }

    @Test
    void unknownTypeNamesTheTypeOffsetAndTheKeywords() {
        assertEquals(
                "Invalid declared schema (Byzer simple form): unknown type 'lng'; expected one of string, long,"
                        + " integer, short, byte, double, float, boolean, binary, date, timestamp, decimal, decimal(p,s),"
                        + " array(...), map(...,...) or st(...) at offset 11: st(field(a,>>>lng))",
                parseError("st(field(a,lng))"));
    }

    @Test
    void otherNotationsSpellingsGetAHint() {
        assertEquals(
                true,
                parseError("st(field(a,int))")
                        .contains("unknown type 'int'; the simple form writes it" + " 'integer'"));
        assertEquals(
                true,
                parseError("st(field(a,varchar))")
                        .contains("unknown type 'varchar'; the simple form writes" + " it 'string'"));
        assertEquals(true, parseError("st(field(a,bigint))").contains("writes it 'long'"));
    }

    @Test
    void missingCommaBetweenFields() {
        assertEquals(
                "Invalid declared schema (Byzer simple form): expected ',' and another field(...), or ')'"
                        + " closing the st(...) but found 'field' at offset 17: st(field(a,long) >>>field(b,long))",
                parseError("st(field(a,long) field(b,long))"));
    }

    @Test
    void truncatedTextSaysEndOfText() {
        assertEquals(
                "Invalid declared schema (Byzer simple form): expected ')' closing array(...) but found the end"
                        + " of the text at offset 23: st(field(b,array(double>>>",
                parseError("st(field(b,array(double"));
    }

    @Test
    void missingFieldName() {
        assertEquals(
                "Invalid declared schema (Byzer simple form): expected a field name but found ',' at offset 9:"
                        + " st(field(>>>,long))",
                parseError("st(field(,long))"));
    }

    @Test
    void fieldNameWithParenthesis() {
        assertEquals(
                true,
                parseError("st(field(a(b),long))")
                        .startsWith("Invalid declared schema (Byzer simple form):"
                                + " expected ',' between the field name 'a' and its type but found '(' at offset 10"));
    }

    @Test
    void emptyStructIsRejected() {
        assertEquals(
                "Invalid declared schema (Byzer simple form): expected 'field(name,type)' but found ')' at"
                        + " offset 3: st(>>>)",
                parseError("st()"));
    }

    @Test
    void trailingTextAfterTheStruct() {
        assertEquals(
                "Invalid declared schema (Byzer simple form): expected the end of the schema after the"
                        + " top-level st(...) but found 'x' at offset 18: st(field(a,long)) >>>x",
                parseError("st(field(a,long)) x"));
    }

    @Test
    void duplicateFieldNamesIgnoringCase() {
        assertEquals(
                "Invalid declared schema (Byzer simple form): field name 'A' is already used at offset 9 in the"
                        + " same st(...) (names are compared ignoring case, as Spark resolves columns) at offset 23:"
                        + " st(field(a,long),field(>>>A,string))",
                parseError("st(field(a,long),field(A,string))"));
    }

    @Test
    void sameNameInDifferentStructsIsFine() {
        assertEquals(
                struct(nullable("a", DataTypes.LongType), nullable("s", struct(nullable("a", DataTypes.LongType)))),
                DeclaredSchemaParser.parse("st(field(a,long),field(s,st(field(a,long))))"));
    }

    @Test
    void decimalBounds() {
        assertEquals(
                "Invalid declared schema (Byzer simple form): decimal precision 39 is out of range: Spark"
                        + " decimals have 1 to 38 digits at offset 19: st(field(d,decimal(>>>39,2)))",
                parseError("st(field(d,decimal(39,2)))"));
        assertEquals(
                "Invalid declared schema (Byzer simple form): decimal scale 6 is larger than the precision 5;"
                        + " the scale must be between 0 and the precision at offset 21: st(field(d,decimal(5,>>>6)))",
                parseError("st(field(d,decimal(5,6)))"));
        assertEquals(true, parseError("st(field(d,decimal(0,0)))").contains("decimal precision 0 is out of range"));
        assertEquals(true, parseError("st(field(d,decimal(5)))").contains("expected ',' and the decimal scale"));
        assertEquals(
                true,
                parseError("st(field(d,decimal(99999999999,1)))")
                        .contains("the decimal precision (1 to 38) too large: 99999999999"));
    }

    @Test
    void mapNeedsTwoTypes() {
        assertEquals(
                true,
                parseError("st(field(m,map(string)))")
                        .startsWith("Invalid declared schema (Byzer simple form):"
                                + " expected ',' and the map's value type but found ')' at offset 21"));
    }

    @Test
    void longTextIsShownAroundTheOffsetOnly() {
        String text =
                "st(field(aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,long),field(b,lng),field(cccccccccccccccccccccccccccc,long))";
        assertEquals(
                "Invalid declared schema (Byzer simple form): unknown type 'lng'; expected one of string, long,"
                        + " integer, short, byte, double, float, boolean, binary, date, timestamp, decimal, decimal(p,s),"
                        + " array(...), map(...,...) or st(...) at offset 54: ...aaaaaaaaaa,long),field(b,>>>lng),field(cccccccccccccc...",
                parseError(text));
    }
}
