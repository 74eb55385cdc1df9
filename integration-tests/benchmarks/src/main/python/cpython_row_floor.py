"""CPython's own cost of row mode's per-row work, with no JVM and no pipe: what dev/bench-python compares Tributary's
row mode with.

One partition's rows (long a, long b, string s, as the benchmark's input) are built as pyarrow batches in memory
first, untimed. Timed: every row made a dict, passed through the same identity generator as the benchmark's
map_iter cell, and the yielded dicts gathered back into pyarrow batches of the declared schema, all with pyarrow's own
converters (RecordBatch.to_pylist and RecordBatch.from_pylist), batch by batch. Prints the CPU seconds this took
(the process's CPU time, so that other work on the machine does not count).

usage: python cpython_row_floor.py ROWS BATCH_ROWS
"""
import itertools
import sys
import time

import pyarrow as pa
import pyarrow.compute as pc

SCHEMA = pa.schema([("a", pa.int64()), ("b", pa.int64()), ("s", pa.string())])


def echo(rows):
    """The benchmark's row mode cell."""
    for row in rows:
        yield row


def main():
    rows, batch_rows = int(sys.argv[1]), int(sys.argv[2])
    ids = pa.array(range(rows), pa.int64())
    strings = pa.array(["value-%d" % i for i in range(rows)], pa.string())
    table = pa.Table.from_arrays([ids, pc.multiply(ids, 7), strings], schema=SCHEMA)
    batches = table.to_batches(max_chunksize=batch_rows)

    started = time.process_time()
    out = echo(itertools.chain.from_iterable(batch.to_pylist() for batch in batches))
    written = 0
    while True:
        chunk = list(itertools.islice(out, batch_rows))
        if not chunk:
            break
        written += pa.RecordBatch.from_pylist(chunk, schema=SCHEMA).num_rows
    seconds = time.process_time() - started
    if written != rows:
        raise SystemExit("wrote %d rows, expected %d" % (written, rows))
    print("%.6f" % seconds)


if __name__ == "__main__":
    main()
