package io.tributary.athena;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Iterator;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.PartitionReader;
import software.amazon.awssdk.services.s3.S3Client;

/** The records of one {@link CsvSplit}, streamed from one ranged GET and parsed by commons-csv. */
final class CsvPartitionReader implements PartitionReader<InternalRow> {
    /**
     * Athena's quoting: with a strict quote mode, commons-csv returns null for an unquoted empty field and "" for a
     * quoted one, so NULL and the empty string stay apart.
     */
    static final CSVFormat ATHENA_CSV = CSVFormat.DEFAULT
            .builder()
            .setNullString("")
            .setQuoteMode(QuoteMode.ALL_NON_NULL)
            .get();

    private final S3Client s3;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final TextRowDecoder decoder;
    private final CsvSplit split;
    private InternalRow current;
    private long rowsRead;

    CsvPartitionReader(S3Client s3, CsvSplit split, TextRowDecoder decoder) {
        this.s3 = s3;
        this.split = split;
        this.decoder = decoder;
        CsvBoundaryLocator locator = new CsvBoundaryLocator(s3, split.file(), split.fileSize(), decoder.columns());
        long start = locator.recordStartAtOrAfter(split.start());
        long end = split.end() >= split.fileSize() ? split.fileSize() : locator.recordStartAtOrAfter(split.end());
        try {
            if (start >= end) {
                parser = null;
                records = Collections.emptyIterator();
            } else {
                parser = ATHENA_CSV.parse(new BufferedReader(
                        new InputStreamReader(
                                CsvBoundaryLocator.S3Ranges.open(s3, split.file(), start, end), StandardCharsets.UTF_8),
                        1 << 16));
                records = parser.iterator();
                if (start == 0 && records.hasNext()) {
                    records.next(); // Athena's header row
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Opening " + split, e);
        }
    }

    @Override
    public boolean next() {
        if (!records.hasNext()) {
            return false;
        }
        CSVRecord record = records.next();
        if (record.size() != decoder.columns()) {
            throw new IllegalStateException(split + ": record " + record.getRecordNumber() + " has " + record.size()
                    + " fields, the query has " + decoder.columns() + " columns");
        }
        current = decoder.decode(record::get);
        rowsRead++;
        return true;
    }

    @Override
    public InternalRow get() {
        return current;
    }

    @Override
    public void close() throws IOException {
        AthenaClientMetrics.recordRows(FetchMode.CSV, rowsRead);
        try {
            if (parser != null) {
                parser.close();
            }
        } finally {
            s3.close();
        }
    }
}
