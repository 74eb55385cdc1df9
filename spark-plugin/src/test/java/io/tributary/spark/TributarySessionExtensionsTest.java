package io.tributary.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.TreeSet;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.analysis.SimpleTableFunctionRegistry;
import org.apache.spark.sql.catalyst.analysis.TableFunctionRegistry;
import org.junit.jupiter.api.Test;
import scala.Function1;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The {@code spark.sql.extensions} route, done as Spark does it: the class is loaded by name, made with its no-arg
 * constructor and applied as a {@code Function1<SparkSessionExtensions, ?>}. (The ServiceLoader route is tested
 * against the shaded jar in the integration tests.)
 */
class TributarySessionExtensionsTest {
    @SuppressWarnings("unchecked")
    @Test
    void namedInSparkSqlExtensionsItRegistersEveryTableFunction() throws Exception {
        Object byName = Class.forName("io.tributary.spark.TributarySessionExtensions")
                .getConstructor()
                .newInstance();
        SparkSessionExtensions extensions = new SparkSessionExtensions();
        ((Function1<SparkSessionExtensions, ?>) byName).apply(extensions);

        TableFunctionRegistry registry = extensions.registerTableFunctions(new SimpleTableFunctionRegistry());
        TreeSet<String> names = new TreeSet<>();
        for (FunctionIdentifier function : CollectionConverters.asJava(registry.listFunction())) {
            names.add(function.funcName());
        }
        assertEquals(new TreeSet<>(List.of("athena_query", "prometheus_range", "python_transform")), names);
    }
}
