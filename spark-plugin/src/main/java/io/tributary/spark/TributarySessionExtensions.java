package io.tributary.spark;

import org.apache.spark.SparkContext;
import org.apache.spark.SparkContext$;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.SparkSessionExtensionsProvider;
import scala.Option;
import scala.Tuple3;
import scala.runtime.BoxedUnit;

/**
 * Tributary's SQL entry points. Loaded with no configuration through
 * {@code META-INF/services/org.apache.spark.sql.SparkSessionExtensionsProvider}; naming it in
 * {@code spark.sql.extensions} works too (a wrong name there is only logged as a warning by Spark, which is why
 * the service file is the primary route).
 *
 * <p>Spark applies extensions after it has created the SparkContext and before the session's own confs exist, so
 * this is also where Tributary's secret redaction is installed when the plugin ({@code spark.plugins}) is not
 * configured (see {@link SecretConfRedaction}).
 *
 * <pre>{@code
 * SELECT instance, max(value) FROM prometheus_range('http://127.0.0.1:9090', 'node_memory_Active_bytes',
 *     TIMESTAMP '2023-01-01 00:00:00', TIMESTAMP '2023-01-02 00:00:00', '15s') GROUP BY labels['instance']
 * }</pre>
 */
public final class TributarySessionExtensions implements SparkSessionExtensionsProvider {
    @Override
    public BoxedUnit apply(SparkSessionExtensions extensions) {
        Option<SparkContext> context = SparkContext$.MODULE$.getActive();
        if (context.isDefined()) {
            SecretConfRedaction.install(context.get().conf());
        }
        extensions.injectTableFunction(new Tuple3<>(
                PrometheusRangeFunction.IDENTIFIER, PrometheusRangeFunction.INFO, PrometheusRangeFunction::build));
        extensions.injectTableFunction(
                new Tuple3<>(AthenaQueryFunction.IDENTIFIER, AthenaQueryFunction.INFO, AthenaQueryFunction::build));
        extensions.injectTableFunction(new Tuple3<>(
                PythonTransformFunction.IDENTIFIER, PythonTransformFunction.INFO, PythonTransformFunction::build));
        return BoxedUnit.UNIT;
    }
}
