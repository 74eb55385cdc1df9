package io.tributary.athena;

import java.io.Serializable;

/** One result column as Athena describes it: name, type name (e.g. "decimal", "varchar"), precision and scale. */
final class AthenaColumn implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final String type;
  private final int precision;
  private final int scale;

  AthenaColumn(String name, String type, int precision, int scale) {
    this.name = name;
    this.type = type;
    this.precision = precision;
    this.scale = scale;
  }

  String name() {
    return name;
  }

  String type() {
    return type;
  }

  int precision() {
    return precision;
  }

  int scale() {
    return scale;
  }

  @Override
  public String toString() {
    return name + " " + type + ("decimal".equals(type) ? "(" + precision + "," + scale + ")" : "");
  }
}
