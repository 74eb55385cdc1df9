package io.tributary.athena;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Decodes one column of Athena's text form (GetQueryResults values and the result CSV share it) into Spark's
 * internal value: "2023-01-01 12:00:00.123" timestamps, "... UTC" or "... Europe/Berlin" zoned timestamps, varbinary
 * as space-separated hex bytes ("61 62 63"), and everything else as Athena prints it.
 */
abstract class AthenaTextValue implements Serializable {
    private static final long serialVersionUID = 1L;

    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd HH:mm:ss")
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd()
            .toFormatter();

    /** Decodes a non-null value. */
    abstract Object decode(String text);

    static AthenaTextValue forType(DataType type, String athenaType) {
        if (type == DataTypes.BooleanType) {
            return new Of(text -> Boolean.parseBoolean(text));
        } else if (type == DataTypes.ByteType) {
            return new Of(Byte::parseByte);
        } else if (type == DataTypes.ShortType) {
            return new Of(Short::parseShort);
        } else if (type == DataTypes.IntegerType) {
            return new Of(Integer::parseInt);
        } else if (type == DataTypes.LongType) {
            return new Of(Long::parseLong);
        } else if (type == DataTypes.FloatType) {
            return new Of(Float::parseFloat);
        } else if (type == DataTypes.DoubleType) {
            return new Of(Double::parseDouble);
        } else if (type instanceof DecimalType) {
            int precision = ((DecimalType) type).precision();
            int scale = ((DecimalType) type).scale();
            return new Of(text -> Decimal.apply(new BigDecimal(text), precision, scale));
        } else if (type == DataTypes.DateType) {
            return new Of(AthenaTextValue::epochDay);
        } else if (type == DataTypes.TimestampNTZType) {
            return new Of(AthenaTextValue::localMicros);
        } else if (type == DataTypes.TimestampType) {
            return new Of(AthenaTextValue::zonedMicros);
        } else if (type == DataTypes.BinaryType) {
            return new Of(AthenaTextValue::hexBytes);
        } else if (type == DataTypes.StringType) {
            return new Of(UTF8String::fromString);
        }
        throw new IllegalArgumentException("Column type " + type.simpleString() + " (Athena " + athenaType
                + ") cannot be read from Athena's text results; use fetchMode=unload or a string column in the schema");
    }

    private static long micros(LocalDateTime time, ZoneId zone) {
        return ChronoUnit.MICROS.between(
                java.time.Instant.EPOCH, time.atZone(zone).toInstant());
    }

    /** "2023-01-01" → days since 1970-01-01; digits read directly, as this runs for every value of a date column. */
    static int epochDay(String text) {
        if (text.length() == 10 && text.charAt(4) == '-' && text.charAt(7) == '-') {
            int year = digits(text, 0, 4);
            int month = digits(text, 5, 7);
            int day = digits(text, 8, 10);
            if (year >= 0 && month >= 0 && day >= 0) {
                return (int) LocalDate.of(year, month, day).toEpochDay();
            }
        }
        return (int) LocalDate.parse(text).toEpochDay();
    }

    /** "2023-01-01 12:34:56[.fraction]" → microseconds since the epoch, the wall clock read as UTC. */
    static long localMicros(String text) {
        int length = text.length();
        if (length >= 19
                && text.charAt(10) == ' '
                && text.charAt(13) == ':'
                && text.charAt(16) == ':'
                && (length == 19 || (text.charAt(19) == '.' && length > 20 && length <= 29))) {
            int hour = digits(text, 11, 13);
            int minute = digits(text, 14, 16);
            int second = digits(text, 17, 19);
            int fraction = length == 19 ? 0 : digits(text, 20, length);
            if (hour >= 0 && hour < 24 && minute >= 0 && minute < 60 && second >= 0 && second < 60 && fraction >= 0) {
                long micros = fraction;
                for (int i = length - 20; i < 6; i++) {
                    micros *= 10;
                }
                for (int i = length - 20; i > 6; i--) {
                    micros /= 10;
                }
                long seconds = epochDay(text.substring(0, 10)) * 86_400L + hour * 3600L + minute * 60L + second;
                return seconds * 1_000_000L + micros;
            }
        }
        return micros(LocalDateTime.parse(text, TIMESTAMP), ZoneOffset.UTC);
    }

    /** The decimal number in {@code text[from, to)}, or -1 if a character there is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** "2023-01-01 12:00:00.000 UTC": the zone is the last space-separated word. */
    static long zonedMicros(String text) {
        int space = text.lastIndexOf(' ');
        if (space <= 10) { // no zone after the time: Athena never prints that, but a bare timestamp means UTC
            return localMicros(text);
        }
        String zone = text.substring(space + 1);
        if (zone.equals("UTC")) {
            return localMicros(text.substring(0, space));
        }
        return micros(LocalDateTime.parse(text.substring(0, space), TIMESTAMP), ZoneId.of(zone));
    }

    /** "61 62 63" → {'a','b','c'}; Athena prints varbinary as hex bytes separated by spaces. */
    static byte[] hexBytes(String text) {
        String hex = text.replace(" ", "");
        if (hex.length() % 2 != 0) {
            throw new IllegalArgumentException(
                    "varbinary text must be hex bytes like '61 62', got an odd number of digits");
        }
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            int high = Character.digit(hex.charAt(2 * i), 16);
            int low = Character.digit(hex.charAt(2 * i + 1), 16);
            if (high < 0 || low < 0) {
                throw new IllegalArgumentException("varbinary text must be hex bytes like '61 62'");
            }
            bytes[i] = (byte) ((high << 4) | low);
        }
        return bytes;
    }

    private interface Decoder extends Serializable {
        Object decode(String text);
    }

    private static final class Of extends AthenaTextValue {
        private static final long serialVersionUID = 1L;
        private final Decoder decoder;

        Of(Decoder decoder) {
            this.decoder = decoder;
        }

        @Override
        Object decode(String text) {
            return decoder.decode(text);
        }
    }
}
