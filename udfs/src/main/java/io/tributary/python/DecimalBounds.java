package io.tributary.python;

import org.apache.spark.sql.types.DecimalType;

/** The precision and scale Spark's {@code DecimalType} accepts, checked before building one so errors can point. */
final class DecimalBounds {

    private DecimalBounds() {}

    /** What is wrong with {@code precision}, or null if Spark accepts it. */
    static String precisionProblem(int precision) {
        if (precision < 1 || precision > DecimalType.MAX_PRECISION()) {
            return "decimal precision " + precision + " is out of range: Spark decimals have 1 to "
                    + DecimalType.MAX_PRECISION() + " digits";
        }
        return null;
    }

    /** What is wrong with {@code scale} for a valid {@code precision}, or null if Spark accepts it. */
    static String scaleProblem(int precision, int scale) {
        if (scale > precision) {
            return "decimal scale " + scale + " is larger than the precision " + precision
                    + "; the scale must be between 0 and the precision";
        }
        return null;
    }
}
