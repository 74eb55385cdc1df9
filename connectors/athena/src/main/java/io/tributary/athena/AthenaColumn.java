package io.tributary.athena;

import java.io.Serializable;

/** One result column as Athena describes it: name, type name (e.g. "decimal", "varchar"), precision and scale. */
record AthenaColumn(String name, String type, int precision, int scale) implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public String toString() {
        return name + " " + type + ("decimal".equals(type) ? "(" + precision + "," + scale + ")" : "");
    }
}
