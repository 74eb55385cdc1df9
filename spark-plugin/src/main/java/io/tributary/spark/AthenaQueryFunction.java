package io.tributary.spark;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * {@code athena_query(query [, options])}: an Athena query as a table, the same as
 * {@code spark.read().format("athena").option("query", query).options(options).load()}. {@code options} is a
 * constant {@code map('database', 'logs', 'region', 'eu-west-1', ...)} of the reader's options; options not given
 * come from the session's {@code spark.tributary.athena.*} confs.
 *
 * <p>Credentials are refused in the map: the text of a SQL statement is shown in the Spark UI and in logs, so keys
 * belong in the session confs (or the AWS default provider chain), never in SQL.
 */
final class AthenaQueryFunction {
    static final String NAME = "athena_query";
    static final FunctionIdentifier IDENTIFIER = FunctionIdentifier.apply(NAME);
    static final ExpressionInfo INFO = new ExpressionInfo(AthenaQueryFunction.class.getName(), NAME);
    private static final ConstantArguments ARGUMENTS = new ConstantArguments(NAME);
    // The reader's credential options (AthenaSourceOptions), compared case-insensitively as Spark compares options.
    private static final Set<String> CREDENTIALS = Set.of("accesskeyid", "secretaccesskey", "sessiontoken");

    private AthenaQueryFunction() {}

    static LogicalPlan build(Seq<Expression> arguments) {
        List<Expression> args = CollectionConverters.asJava(arguments);
        if (args.isEmpty() || args.size() > 2) {
            throw new IllegalArgumentException(NAME + " takes 1 or 2 arguments (query, options), got " + args.size());
        }
        DataFrameReader reader = SparkSession.active().read().format("athena");
        if (args.size() == 2) {
            Map<String, String> options = ARGUMENTS.stringMap("options", args.get(1));
            for (String key : options.keySet()) {
                if (CREDENTIALS.contains(key.toLowerCase(Locale.ROOT))) {
                    throw new IllegalArgumentException(
                            NAME + " does not take '" + key + "' in its options: SQL text is shown"
                                    + " in the Spark UI and logs. Set spark.tributary.athena." + key
                                    + " for the session, or use the AWS"
                                    + " default credential chain or the 'profile' option");
                }
            }
            reader = reader.options(options);
        }
        // Set last: the query argument wins over a "query" key in the map.
        return reader.option("query", ARGUMENTS.string("query", args.get(0)))
                .load()
                .queryExecution()
                .analyzed();
    }
}
