package io.tributary.python;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A Python transform not yet applied: its script, declared schema (null until known) and options. Built from a
 * script that may carry Byzer {@code #%} annotations, from a registration, or from confs.
 */
public record PythonTransformSpec(String code, StructType schema, Map<String, String> options) {
    public PythonTransformSpec {
        options = Map.copyOf(options == null ? Map.of() : options);
    }

    /**
     * A script as given to SQL or a conf. If it starts with {@code #%} annotations (a Byzer cell), its
     * {@code #%schema}, {@code #%dataMode}/{@code #%mode}, {@code #%runIn}, {@code #%env} and {@code #%timeout} are
     * used; the cell's {@code #%input}, {@code #%output} and {@code #%cache} are ignored, because the caller names
     * the input and decides what happens to the result.
     */
    public static PythonTransformSpec fromScript(String script) {
        if (!script.stripLeading().startsWith("#%")) {
            return new PythonTransformSpec(script, null, Map.of());
        }
        ByzerCell cell = ByzerCell.parse(script);
        ByzerCellRunner.requireKnownAnnotations(cell);
        StructType schema = cell.schema().map(DeclaredSchemaParser::parse).orElse(null);
        return new PythonTransformSpec(cell.code(), schema, ByzerCellRunner.transformOptions(cell));
    }

    /** With {@code schemaText} (any notation {@link DeclaredSchemaParser} reads) replacing the schema, if given. */
    public PythonTransformSpec withSchemaText(String schemaText) {
        return schemaText == null || schemaText.isBlank()
                ? this
                : new PythonTransformSpec(code, DeclaredSchemaParser.parse(schemaText), options);
    }

    /** With {@code more} options over these. */
    public PythonTransformSpec withOptions(Map<String, String> more) {
        Map<String, String> merged = new LinkedHashMap<>(options);
        merged.putAll(more);
        return new PythonTransformSpec(code, schema, merged);
    }

    /** Plans the transform over {@code input}. */
    public Dataset<Row> apply(Dataset<Row> input) {
        if (schema == null) {
            throw new IllegalArgumentException("The Python transform has no declared schema: pass one (e.g. "
                    + "'st(field(a,long))' or 'a BIGINT'), or declare '#%schema=...' in the script");
        }
        PythonTransform transform = PythonTransform.of(code).schema(schema);
        options.forEach(transform::option);
        return transform.apply(input);
    }
}
