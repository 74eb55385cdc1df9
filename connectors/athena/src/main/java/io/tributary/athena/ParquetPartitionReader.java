package io.tributary.athena;

import java.io.IOException;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.PartitionReader;
import software.amazon.awssdk.services.s3.S3Client;

/** The rows of one UNLOAD Parquet file, row group by row group, read over ranged GETs. */
final class ParquetPartitionReader implements PartitionReader<InternalRow> {
    private final S3Client s3;
    private final ParquetFileReader reader;
    private final MessageType schema;
    private final MessageColumnIO columnIO;
    private final ParquetRowConverter converter;
    private RecordReader<Group> rowGroup;
    private long rowsLeftInGroup;
    private long rowsRead;
    private InternalRow current;

    ParquetPartitionReader(S3Client s3, ParquetFilePartition partition) throws IOException {
        this.s3 = s3;
        this.reader = ParquetFileReader.open(new S3InputFile(s3, partition.file(), partition.size()));
        this.schema = reader.getFooter().getFileMetaData().getSchema();
        this.columnIO = new ColumnIOFactory().getColumnIO(schema);
        this.converter = new ParquetRowConverter(schema);
    }

    @Override
    public boolean next() throws IOException {
        while (rowsLeftInGroup == 0) {
            PageReadStore pages = reader.readNextRowGroup();
            if (pages == null) {
                return false;
            }
            rowsLeftInGroup = pages.getRowCount();
            rowGroup = columnIO.getRecordReader(pages, new GroupRecordConverter(schema));
        }
        rowsLeftInGroup--;
        rowsRead++;
        current = converter.convert(rowGroup.read());
        return true;
    }

    @Override
    public InternalRow get() {
        return current;
    }

    @Override
    public void close() throws IOException {
        AthenaClientMetrics.recordRows(FetchMode.UNLOAD, rowsRead);
        try {
            reader.close();
        } finally {
            s3.close();
        }
    }
}
