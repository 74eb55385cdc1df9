"""Times the README's ways of loading a format("arrow") export directory into Polars (and pyarrow), best of N.

usage: load_timing.py DIR [PARQUET_DIR] [ROUNDS]
  DIR          a directory written by df.write.format("arrow") (partitionBy directories included)
  PARQUET_DIR  optional: the same DataFrame written by Spark's Parquet writer, for pl.read_parquet
  ROUNDS       timed rounds per call after one untimed warm-up (default 3)

Prints one line per call: best and all rounds in seconds, and the rows loaded. Files are read as they lie: on tmpfs
or with the files in the page cache the figures are warm reads; drop the caches first for cold ones.
"""
import datetime
import glob
import os
import sys
import time

import polars as pl
import pyarrow.dataset as ds


def calls(directory, parquet):
    files = sorted(glob.glob(os.path.join(directory, "**", "*.arrow"), recursive=True))
    pattern = os.path.join(directory, "**", "*.arrow")
    out = {
        "pl.scan_ipc(dir/**/*.arrow, hive_partitioning=True).collect()":
            lambda: pl.scan_ipc(pattern, hive_partitioning=True).collect(),
        "pl.concat([pl.read_ipc(f, memory_map=True) for f in files])":
            lambda: pl.concat([pl.read_ipc(f, memory_map=True) for f in files]),
        "pl.concat([pl.read_ipc(f) for f in files])":
            lambda: pl.concat([pl.read_ipc(f) for f in files]),
        "pl.from_arrow(ds.dataset(dir, format='ipc', partitioning='hive').to_table())":
            lambda: pl.from_arrow(ds.dataset(directory, format="ipc", partitioning="hive").to_table()),
    }
    if parquet:
        out["pl.read_parquet(parquet_dir/*.parquet)"] = lambda: pl.read_parquet(os.path.join(parquet, "*.parquet"))
    return out


def main():
    directory = sys.argv[1]
    parquet = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else None
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    print("%s, %d cores, polars %s, %s" % (datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                                           os.cpu_count(), pl.__version__, directory))
    todo = calls(directory, parquet)
    rows = {name: call().height for name, call in todo.items()}
    times = {name: [] for name in todo}
    # Round after round over all calls, so a busy moment on a shared machine does not land on one call only.
    for _ in range(rounds):
        for name, call in todo.items():
            start = time.perf_counter()
            call()
            times[name].append(time.perf_counter() - start)
    for name, ts in times.items():
        print("%-80s best %.2f s, median %.2f s (%s) %d rows" % (
            name, min(ts), sorted(ts)[len(ts) // 2], ", ".join("%.2f" % t for t in ts), rows[name]))


if __name__ == "__main__":
    main()
