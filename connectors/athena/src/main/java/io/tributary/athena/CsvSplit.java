package io.tributary.athena;

import org.apache.spark.sql.connector.read.InputPartition;

/**
 * Bytes {@code [start, end)} of the result CSV. The reader moves both ends to the next record boundary, so adjacent
 * splits meet exactly; the split holding byte 0 skips Athena's header row.
 */
final class CsvSplit implements InputPartition {
  private static final long serialVersionUID = 1L;

  private final S3Location file;
  private final long start;
  private final long end;
  private final long fileSize;

  CsvSplit(S3Location file, long start, long end, long fileSize) {
    this.file = file;
    this.start = start;
    this.end = end;
    this.fileSize = fileSize;
  }

  S3Location file() {
    return file;
  }

  long start() {
    return start;
  }

  long end() {
    return end;
  }

  long fileSize() {
    return fileSize;
  }

  @Override
  public String toString() {
    return "CsvSplit[" + file + " bytes " + start + "-" + end + "]";
  }
}
