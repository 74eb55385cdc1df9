package io.tributary.spark;

import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.types.DataTypes;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * {@code prometheus_range(url, query [, start [, end [, step]]])}: a PromQL range query as a table, the same as
 * {@code spark.read().format("prometheus").option("query", query)...} with layout=long. Arguments are constants:
 * strings, or TIMESTAMP literals for start and end (strings take the reader's notations, e.g. {@code now-1h}).
 */
final class PrometheusRangeFunction {
    static final String NAME = "prometheus_range";
    static final FunctionIdentifier IDENTIFIER = FunctionIdentifier.apply(NAME);
    static final ExpressionInfo INFO = new ExpressionInfo(PrometheusRangeFunction.class.getName(), NAME);
    private static final List<String> PARAMETERS = List.of("url", "query", "start", "end", "step");
    private static final ConstantArguments ARGUMENTS = new ConstantArguments(NAME);

    private PrometheusRangeFunction() {}

    static LogicalPlan build(Seq<Expression> arguments) {
        List<Expression> args = CollectionConverters.asJava(arguments);
        if (args.size() < 2 || args.size() > PARAMETERS.size()) {
            throw new IllegalArgumentException(
                    NAME + " takes 2 to 5 arguments (" + String.join(", ", PARAMETERS) + "), got " + args.size());
        }
        DataFrameReader reader = SparkSession.active().read().format("prometheus");
        for (int i = 0; i < args.size(); i++) {
            reader = reader.option(PARAMETERS.get(i), optionValue(PARAMETERS.get(i), args.get(i)));
        }
        return reader.load().queryExecution().analyzed();
    }

    private static String optionValue(String parameter, Expression argument) {
        boolean isTime = parameter.equals("start") || parameter.equals("end");
        if (isTime && argument.dataType().equals(DataTypes.TimestampType)) {
            long micros = (Long) ARGUMENTS.value(parameter, argument);
            return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000)
                    .toString();
        }
        if (isTime) {
            ARGUMENTS.requireType(parameter, argument.dataType(), DataTypes.StringType, "a string or a TIMESTAMP");
        }
        return ARGUMENTS.string(parameter, argument);
    }
}
