package io.tributary.athena;

import org.apache.spark.sql.connector.read.InputPartition;

/**
 * Bytes {@code [start, end)} of the result CSV. The reader moves both ends to the next record boundary, so adjacent
 * splits meet exactly; the split holding byte 0 skips Athena's header row.
 */
record CsvSplit(S3Location file, long start, long end, long fileSize) implements InputPartition {
    private static final long serialVersionUID = 1L;

    @Override
    public String toString() {
        return "CsvSplit[" + file + " bytes " + start + "-" + end + "]";
    }
}
