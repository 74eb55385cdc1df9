package io.tributary.athena;

import org.apache.spark.sql.connector.read.InputPartition;

/** One Parquet file written by UNLOAD. */
final class ParquetFilePartition implements InputPartition {
  private static final long serialVersionUID = 1L;

  private final S3Location file;
  private final long size;

  ParquetFilePartition(S3Location file, long size) {
    this.file = file;
    this.size = size;
  }

  S3Location file() {
    return file;
  }

  long size() {
    return size;
  }

  @Override
  public String toString() {
    return "ParquetFilePartition[" + file + ", " + size + " bytes]";
  }
}
