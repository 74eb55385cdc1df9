package io.tributary.athena;

import org.apache.spark.sql.connector.read.InputPartition;

/** One Parquet file written by UNLOAD. */
record ParquetFilePartition(S3Location file, long size) implements InputPartition {
    private static final long serialVersionUID = 1L;

    @Override
    public String toString() {
        return "ParquetFilePartition[" + file + ", " + size + " bytes]";
    }
}
