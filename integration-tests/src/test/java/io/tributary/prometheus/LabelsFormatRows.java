package io.tributary.prometheus;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/** The same read with labelsFormat=map and labelsFormat=json, compared row by row. */
final class LabelsFormatRows {
    private LabelsFormatRows() {}

    /**
     * Asserts that {@code from_json(labels, 'map<string,string>')} of the json read gives, row by row, the rows of
     * the map read, that each label set has one text, and that EXPLAIN names each format.
     *
     * @return the number of rows, for the caller to check against what the server holds
     */
    static int assertJsonReadsBackAsTheMap(Dataset<Row> asMap, Dataset<Row> asJson) {
        assertEquals(DataTypes.StringType, asJson.schema().apply("labels").dataType());
        String mapPlan = asMap.queryExecution().executedPlan().toString();
        String jsonPlan = asJson.queryExecution().executedPlan().toString();
        assertTrue(mapPlan.contains("labelsFormat=map"), mapPlan);
        assertTrue(jsonPlan.contains("labelsFormat=json"), jsonPlan);

        List<Row> jsonRows = asJson.collectAsList();
        List<String> expected = rendered(asMap);
        List<String> actual =
                rendered(asJson.withColumn("labels", from_json(col("labels"), "map<string,string>", Map.of())));
        assertEquals(expected.size(), jsonRows.size());
        assertEquals(expected, actual, "from_json(labels) equals the labels map, row by row");

        int labelsColumn = asJson.schema().fieldIndex("labels");
        Set<String> texts = new HashSet<>();
        Set<Map<String, String>> labelSets = new HashSet<>();
        for (Row row : asMap.select("labels").collectAsList()) {
            labelSets.add(new TreeMap<>(row.<String, String>getJavaMap(0)));
        }
        for (Row row : jsonRows) {
            texts.add(row.getString(labelsColumn));
        }
        assertEquals(labelSets.size(), texts.size(), "one JSON text per label set");
        return expected.size();
    }

    /** Each row as text, its labels map with sorted keys, sorted: the order of rows is the scan's. */
    private static List<String> rendered(Dataset<Row> frame) {
        int labelsColumn = frame.schema().fieldIndex("labels");
        List<String> rows = new ArrayList<>();
        for (Row row : frame.collectAsList()) {
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < row.size(); i++) {
                values.add(i == labelsColumn ? new TreeMap<>(row.<String, String>getJavaMap(i)) : row.get(i));
            }
            rows.add(values.toString());
        }
        rows.sort(null);
        return rows;
    }
}
