package io.tributary.athena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CsvRecordBoundaryTest {
    /** Athena's CSV for rows of two columns: every non-null value quoted, quotes doubled, NULL empty. */
    private static String csv(List<String[]> rows) {
        StringBuilder out = new StringBuilder("\"a\",\"b\"\n");
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                if (row[i] != null) {
                    out.append('"').append(row[i].replace("\"", "\"\"")).append('"');
                }
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** The true record starts, found by parsing from the beginning. */
    private static List<Integer> recordStarts(byte[] file) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        boolean quoted = false;
        for (int i = 0; i < file.length; i++) {
            if (file[i] == '"') {
                quoted = !quoted;
            } else if (file[i] == '\n' && !quoted && i + 1 < file.length) {
                starts.add(i + 1);
            }
        }
        return starts;
    }

    private static int boundary(byte[] file, int offset) {
        byte[] window = new byte[file.length - offset + 1];
        System.arraycopy(file, offset - 1, window, 0, window.length);
        int found = CsvRecordBoundary.find(window, window.length, true, 2);
        return offset - 1 + found;
    }

    @Test
    void findsTheNextRecordFromEveryOffsetOfAwkwardValues() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"plain", null});
        rows.add(new String[] {"", "x"});
        rows.add(new String[] {"line\nbreak", "\"quoted\", with comma"});
        rows.add(new String[] {"\"a\",\"b\"\n\"c\",\"d\"", "csv inside csv"});
        rows.add(new String[] {null, null});
        rows.add(new String[] {"\n\n", "\"\""});
        rows.add(new String[] {"end", ","});
        byte[] file = csv(rows).getBytes(StandardCharsets.UTF_8);
        List<Integer> starts = recordStarts(file);
        for (int offset = 1; offset < file.length; offset++) {
            int expected = file.length;
            for (int start : starts) {
                if (start >= offset) {
                    expected = start;
                    break;
                }
            }
            assertEquals(expected, boundary(file, offset), "offset " + offset);
        }
    }

    @Test
    void randomValuesAgreeWithAFullParse() {
        Random random = new Random(42);
        String alphabet = "ab\",\n ";
        List<String[]> rows = new ArrayList<>();
        for (int r = 0; r < 300; r++) {
            String[] row = new String[2];
            for (int c = 0; c < 2; c++) {
                int length = random.nextInt(8) - 1;
                if (length >= 0) {
                    StringBuilder value = new StringBuilder();
                    for (int k = 0; k < length; k++) {
                        value.append(alphabet.charAt(random.nextInt(alphabet.length())));
                    }
                    row[c] = value.toString();
                }
            }
            rows.add(row);
        }
        byte[] file = csv(rows).getBytes(StandardCharsets.UTF_8);
        List<Integer> starts = recordStarts(file);
        int next = 0;
        for (int offset = 1; offset < file.length; offset++) {
            while (next < starts.size() && starts.get(next) < offset) {
                next++;
            }
            int expected = next < starts.size() ? starts.get(next) : file.length;
            assertEquals(expected, boundary(file, offset), "offset " + offset);
        }
    }

    @Test
    void asksForMoreBytesWhileBothParitiesFit() {
        // "x\n" then a value that could be a record of two fields or the inside of one: both readings hold so far.
        byte[] window = "\"\",\"\"\n\"\",\"\"\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(CsvRecordBoundary.UNRESOLVED, CsvRecordBoundary.find(window, window.length, false, 2));
    }

    @Test
    void rejectsBytesThatAreNotAthenaCsv() {
        byte[] window = "xx,yy\nzz,ww\n".getBytes(StandardCharsets.UTF_8);
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> CsvRecordBoundary.find(window, window.length, true, 2));
        assertEquals("The result file is not Athena CSV with 2 columns near its end", e.getMessage());
    }

    @Test
    void splitPlannerCoversTheFileExactly() {
        S3Location file = new S3Location("bucket", "q.csv");
        List<CsvSplit> splits = CsvSplitPlanner.plan(file, 2500, 1000);
        assertEquals(3, splits.size());
        assertEquals(
                List.of(0L, 1000L, 2000L), splits.stream().map(CsvSplit::start).toList());
        assertEquals(
                List.of(1000L, 2000L, 2500L), splits.stream().map(CsvSplit::end).toList());
        assertEquals(1, CsvSplitPlanner.plan(file, 0, 1000).size());
    }
}
