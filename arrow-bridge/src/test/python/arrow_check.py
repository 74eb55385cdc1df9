"""Reads Arrow data the way users do and prints it as canonical JSON for the Java tests to compare with Spark.

usage: arrow_check.py pyarrow|polars|polars-no-mmap DIR   every *.arrow file in DIR (files, schema, rows by id)
       arrow_check.py file-calls DIR        every call the README shows for one file, over each *.arrow file in DIR
       arrow_check.py directory-calls DIR   every call the README shows for a whole (partitionBy) directory
       arrow_check.py pyarrow-stream|polars-stream FILE   one Arrow IPC stream
       arrow_check.py write-fixtures DIR       writes files with pyarrow and Polars for the reader tests

file-calls and directory-calls print {call: {"schema", "rows"} or {"error"}}: a call that fails, including Polars'
PanicException (a BaseException), is reported under its name instead of ending the check.

Canonical values: floats as "f:<IEEE-754 bits>", decimals "d:<plain>", strings "s:", bytes "b:<hex>",
timestamps "tz:"/"ntz:" + microseconds since the epoch, dates "date:" + days, maps as sorted key/value objects.
"""
import datetime
import decimal
import glob
import json
import math
import os
import struct
import sys

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.dataset as ds

EPOCH = datetime.datetime(1970, 1, 1)
EPOCH_UTC = EPOCH.replace(tzinfo=datetime.timezone.utc)
MICRO = datetime.timedelta(microseconds=1)


def canon(v):
    if v is None or v is pd.NA or isinstance(v, bool) or isinstance(v, int):
        return None if v is pd.NA else v
    if isinstance(v, pd.Timestamp):
        # pandas' own arithmetic is in nanoseconds and overflows outside 1677-2262.
        v = v.to_pydatetime()
    if isinstance(v, float):
        return "nan" if math.isnan(v) else "f:" + struct.pack(">d", v).hex()
    if isinstance(v, decimal.Decimal):
        return "d:" + format(v, "f")
    if isinstance(v, str):
        return "s:" + v
    if isinstance(v, (bytes, bytearray)):
        return "b:" + bytes(v).hex()
    if isinstance(v, datetime.datetime):
        if v.tzinfo is None:
            return "ntz:" + str((v - EPOCH) // MICRO)
        return "tz:" + str((v - EPOCH_UTC) // MICRO)
    if isinstance(v, datetime.date):
        return "date:" + str((v - EPOCH.date()).days)
    if isinstance(v, dict):
        return {k: canon(x) for k, x in v.items()}
    if isinstance(v, list) and v and all(isinstance(e, tuple) for e in v):
        return canon_map([{"key": k, "value": x} for k, x in v])
    if isinstance(v, list) and v and all(isinstance(e, dict) and list(e) == ["key", "value"] for e in v):
        return canon_map(v)
    if isinstance(v, (list, tuple)):
        return [canon(e) for e in v]
    raise TypeError("no canonical form for %r" % type(v))


def canon_map(entries):
    out = [{"key": canon(e["key"]), "value": canon(e["value"])} for e in entries]
    return sorted(out, key=lambda e: json.dumps(e["key"], sort_keys=True))


def rows_of(records):
    return sorted((canon(r) for r in records), key=lambda r: r["id"])


def arrow_files(directory):
    return sorted(glob.glob(os.path.join(directory, "*.arrow")))


def read_pyarrow(directory):
    files = arrow_files(directory)
    tables, batches = [], []
    for f in files:
        with pa.memory_map(f) as source:
            reader = pa.ipc.open_file(source)
            batches.append([reader.get_batch(i).num_rows for i in range(reader.num_record_batches)])
            tables.append(reader.read_all())
    table = pa.concat_tables(tables)
    return {"files": len(files), "batches": sorted(batches),
            "schema": {f.name: str(f.type) for f in table.schema},
            "rows": rows_of(table.to_pylist())}


def read_polars(directory, memory_map):
    files = arrow_files(directory)
    df = pl.concat([pl.read_ipc(f, memory_map=memory_map) for f in files])
    scanned = pl.scan_ipc(os.path.join(directory, "*.arrow")).collect()
    if not scanned.sort("id").equals(df.sort("id")):
        raise SystemExit("scan_ipc and read_ipc disagree")
    return {"files": len(files), "schema": {n: str(t) for n, t in df.schema.items()},
            "rows": rows_of(df.to_dicts())}


def table_result(table):
    return {"schema": {f.name: str(f.type) for f in table.schema}, "rows": rows_of(table.to_pylist())}


def polars_result(df):
    return {"schema": {n: str(t) for n, t in df.schema.items()}, "rows": rows_of(df.to_dicts())}


def pandas_result(df):
    return {"schema": {n: str(t) for n, t in df.dtypes.items()}, "rows": rows_of(df.to_dict("records"))}


def open_file_table(f):
    with pa.memory_map(f) as source:
        return pa.ipc.open_file(source).read_all()


def duckdb_table(arrow_data):
    # DuckDB cannot open .arrow files itself; it scans a pyarrow table or dataset found by its variable name.
    return duckdb.sql("SELECT * FROM arrow_data").to_arrow_table()


def file_calls(directory):
    """The README's calls for one file, each run on every file and concatenated."""
    files = arrow_files(directory)
    return run_calls({
        "pl.read_ipc(f)": lambda: polars_result(pl.concat([pl.read_ipc(f) for f in files])),
        "pl.read_ipc(f, memory_map=True)": lambda: polars_result(
            pl.concat([pl.read_ipc(f, memory_map=True) for f in files])),
        "pl.scan_ipc(f)": lambda: polars_result(pl.concat([pl.scan_ipc(f).collect() for f in files])),
        "pa.ipc.open_file(pa.memory_map(f))": lambda: table_result(
            pa.concat_tables([open_file_table(f) for f in files])),
        "pd.read_feather(f, dtype_backend='pyarrow')": lambda: pandas_result(
            pd.concat([pd.read_feather(f, dtype_backend="pyarrow") for f in files], ignore_index=True)),
        "duckdb over pa.ipc.open_file": lambda: table_result(
            pa.concat_tables([duckdb_table(open_file_table(f)) for f in files])),
    })


def directory_calls(directory):
    """The README's calls that load a whole export directory, partitionBy directories included, in one go."""
    def dataset():
        return ds.dataset(directory, format="ipc", partitioning="hive")

    # Not pl.scan_ipc(dir): Polars refuses a directory holding files of several extensions, and Hadoop's local file
    # system writes _SUCCESS with a ._SUCCESS.crc beside it.
    return run_calls({
        "pl.scan_ipc(dir/**/*.arrow, hive_partitioning=True)": lambda: polars_result(
            pl.scan_ipc(os.path.join(directory, "**", "*.arrow"), hive_partitioning=True).collect()),
        "ds.dataset(dir, format='ipc', partitioning='hive')": lambda: table_result(dataset().to_table()),
        "pandas over ds.dataset": lambda: pandas_result(dataset().to_table().to_pandas(types_mapper=pd.ArrowDtype)),
        "duckdb over ds.dataset": lambda: table_result(duckdb_table(dataset())),
    })


def run_calls(calls):
    out = {}
    for name, call in calls.items():
        try:
            out[name] = call()
        except BaseException as e:  # Polars' PanicException is a BaseException
            out[name] = {"error": "%s: %s" % (type(e).__name__, e)}
    return out


def read_stream(path, library):
    if library == "pyarrow":
        with open(path, "rb") as f:
            table = pa.ipc.open_stream(f).read_all()
        return {"schema": {f.name: str(f.type) for f in table.schema}, "rows": rows_of(table.to_pylist())}
    df = pl.read_ipc_stream(path)
    return {"schema": {n: str(t) for n, t in df.schema.items()}, "rows": rows_of(df.to_dicts())}


def write_fixtures(directory):
    """Types other writers produce that Spark's ArrowColumnVector cannot take as they are."""
    ts = [datetime.datetime(2024, 2, 29, 12, 34, 56, 123456), None, datetime.datetime(1969, 12, 31, 23, 59, 59)]
    table = pa.table({
        "id": pa.array([0, 1, 2], pa.int64()),
        "large_s": pa.array(["a", None, "ü✓"], pa.large_string()),
        "view_s": pa.array(["x", "yy", None], pa.string_view()),
        "view_b": pa.array([b"\x00\x01", None, b""], pa.binary_view()),
        "ts_ms": pa.array(ts, pa.timestamp("ms", tz="UTC")),
        "ts_ns": pa.array(ts, pa.timestamp("ns")),
        "dict_s": pa.array(["red", "blue", "red"]).dictionary_encode(),
        "large_list": pa.array([[1, 2], None, []], pa.large_list(pa.int32())),
        "list_view_s": pa.array([["p", None], ["q"], None], pa.large_list(pa.string_view())),
    })
    for sub in ("pyarrow", "polars", "unsigned"):
        os.makedirs(os.path.join(directory, sub), exist_ok=True)
    with pa.OSFile(os.path.join(directory, "pyarrow", "data.arrow"), "wb") as sink:
        with pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table, max_chunksize=2)
    pdf = pl.DataFrame({
        "id": [10, 11, 12],
        "s": ["polars", None, "ü"],
        "l": [[1.5, None], [], None],
        "t": [datetime.datetime(2020, 1, 1, 0, 0, 0, 1), None, datetime.datetime(1900, 1, 1)],
        "st": [{"a": 1, "b": "x"}, None, {"a": None, "b": "z"}],
        "cat": pl.Series(["u", "v", "u"], dtype=pl.Categorical),
    })
    pdf.write_ipc(os.path.join(directory, "polars", "data.arrow"))
    pl.DataFrame({"id": [1], "u": pl.Series([7], dtype=pl.UInt32)}).write_ipc(
        os.path.join(directory, "unsigned", "data.arrow"))


def main():
    mode, path = sys.argv[1], sys.argv[2]
    if mode == "pyarrow":
        out = read_pyarrow(path)
    elif mode == "polars":
        out = read_polars(path, memory_map=True)
    elif mode == "polars-no-mmap":
        out = read_polars(path, memory_map=False)
    elif mode == "file-calls":
        out = file_calls(path)
    elif mode == "directory-calls":
        out = directory_calls(path)
    elif mode.endswith("-stream"):
        out = read_stream(path, mode[: -len("-stream")])
    elif mode == "write-fixtures":
        write_fixtures(path)
        out = {"written": True}
    else:
        raise SystemExit("unknown mode " + mode)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
