package io.tributary.athena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.StringReader;
import java.util.List;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

class CsvFormatTest {
    @Test
    void athenaQuotingKeepsNullAndEmptyApart() throws Exception {
        String csv = "\"a\",\"b\",\"c\"\n\"\",,\"say \"\"hi\"\"\nthere\"\n,\"x\",\n";
        try (CSVParser parser = CsvPartitionReader.ATHENA_CSV.parse(new StringReader(csv))) {
            List<CSVRecord> records = parser.getRecords();
            assertEquals(3, records.size());
            assertEquals("", records.get(1).get(0));
            assertNull(records.get(1).get(1));
            assertEquals("say \"hi\"\nthere", records.get(1).get(2));
            assertNull(records.get(2).get(0));
            assertEquals("x", records.get(2).get(1));
            assertNull(records.get(2).get(2));
        }
    }
}
