package io.tributary.athena;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.PartitionReader;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.Datum;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.Row;

/** Pages through GetQueryResults (1000 rows a page); the first page starts with the header row. */
final class ApiResultsPartitionReader implements PartitionReader<InternalRow> {
    static final int PAGE_SIZE = 1000;

    private final AthenaClient athena;
    private final AthenaCallRetrier retrier;
    private final String queryExecutionId;
    private final TextRowDecoder decoder;
    private Iterator<Row> page;
    private String nextToken;
    private long rowsRead;
    private boolean lastPage;
    private InternalRow current;

    ApiResultsPartitionReader(
            AthenaClient athena, AthenaCallRetrier retrier, String queryExecutionId, TextRowDecoder decoder) {
        this.athena = athena;
        this.retrier = retrier;
        this.queryExecutionId = queryExecutionId;
        this.decoder = decoder;
        List<Row> first = fetch().resultSet().rows();
        page = first.iterator();
        if (page.hasNext()) {
            page.next(); // header row: the column names
        }
    }

    private GetQueryResultsResponse fetch() {
        String token = nextToken;
        GetQueryResultsResponse response = retrier.call(
                "GetQueryResults",
                () -> athena.getQueryResults(r -> r.queryExecutionId(queryExecutionId)
                        .maxResults(PAGE_SIZE)
                        .nextToken(token)));
        nextToken = response.nextToken();
        lastPage = nextToken == null;
        return response;
    }

    @Override
    public boolean next() {
        while (!page.hasNext()) {
            if (lastPage) {
                return false;
            }
            page = fetch().resultSet().rows().iterator();
        }
        List<Datum> data = page.next().data();
        if (data.size() != decoder.columns()) {
            throw new IllegalStateException("Athena query " + queryExecutionId + " returned a row with " + data.size()
                    + " values for " + decoder.columns() + " columns");
        }
        // A NULL is a Datum without VarCharValue; the empty string has VarCharValue "".
        current = decoder.decode(i -> data.get(i).varCharValue());
        rowsRead++;
        return true;
    }

    @Override
    public InternalRow get() {
        return current;
    }

    @Override
    public void close() {
        AthenaClientMetrics.recordRows(FetchMode.API, rowsRead);
        athena.close();
    }
}
