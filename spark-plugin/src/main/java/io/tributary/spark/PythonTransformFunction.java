package io.tributary.spark;

import io.tributary.python.PythonTransformRegistry;
import io.tributary.python.PythonTransformSpec;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * {@code python_transform(input, script_or_name [, schema])}: the rows a Python script returns for the rows of the
 * table or view {@code input}. The second argument is the name of a registered transform
 * ({@link PythonTransformRegistry}) or the script itself, which may be a whole Byzer cell whose {@code #%schema},
 * {@code #%dataMode}, {@code #%env} and {@code #%timeout} annotations apply; {@code schema} (any declared-schema
 * notation) overrides the one registered or annotated.
 */
final class PythonTransformFunction {
    static final String NAME = "python_transform";
    static final FunctionIdentifier IDENTIFIER = FunctionIdentifier.apply(NAME);
    static final ExpressionInfo INFO = new ExpressionInfo(PythonTransformFunction.class.getName(), NAME);
    private static final ConstantArguments ARGUMENTS = new ConstantArguments(NAME);

    private PythonTransformFunction() {}

    static LogicalPlan build(Seq<Expression> arguments) {
        List<Expression> args = CollectionConverters.asJava(arguments);
        if (args.size() < 2 || args.size() > 3) {
            throw new IllegalArgumentException(
                    NAME + " takes 2 or 3 arguments (input, script_or_name, schema), got " + args.size());
        }
        SparkSession spark = SparkSession.active();
        String input = ARGUMENTS.string("input", args.get(0));
        if (!spark.catalog().tableExists(input)) {
            throw new IllegalArgumentException(NAME + " argument 'input': no table or view named '" + input + "'");
        }
        String scriptOrName = ARGUMENTS.string("script_or_name", args.get(1));
        Map<String, String> sessionConf =
                CollectionConverters.asJava(spark.conf().getAll());
        String name = scriptOrName.strip();
        PythonTransformSpec spec =
                PythonTransformRegistry.lookup(name, sessionConf).orElse(null);
        if (spec == null && PythonTransformRegistry.isName(name)) {
            // A lone identifier is no useful script; it is a transform name with a typo or not defined yet.
            throw new IllegalArgumentException(NAME + " argument 'script_or_name': no Python transform named '" + name
                    + "' is registered; define it with the confs " + PythonTransformRegistry.CONF_PREFIX + name
                    + ".file (or .code) and .schema, or PythonTransformRegistry.register");
        }
        if (spec == null) {
            spec = PythonTransformSpec.fromScript(scriptOrName);
        }
        if (args.size() == 3) {
            spec = spec.withSchemaText(ARGUMENTS.string("schema", args.get(2)));
        }
        return spec.apply(spark.table(input)).queryExecution().analyzed();
    }
}
