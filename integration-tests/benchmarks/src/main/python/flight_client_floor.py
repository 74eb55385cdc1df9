"""What the Flight read of dev/bench-arrow costs on the client's side alone: the same Python client, reading the
same table from a pyarrow Flight server that holds it in memory, record batches ready, so that the server costs next
to nothing. No Spark and no JVM: the floor any Flight server on this machine reads down to.

The table has the benchmark's 20 columns and values (ArrowToPolarsBenchmark.data), in two endpoints of half the rows
each, in record batches of 65,536 rows (spark.tributary.flight.batchRows' default), with the types the plugin sends.
It is built once, untimed. Then the client runs RUNS times, each a fresh Python process as in the benchmark; each run
prints its whole time from the process start (the benchmark's (f) is timed the same way), the client's own figures,
and the CPU the server spent.

usage: python flight_client_floor.py ROWS RUNS CLIENT_CODE
       CLIENT_CODE is the benchmark's loader (run as `python -c CLIENT_CODE flight LOCATION TOKEN_FILE`); it
       prints "rows columns seconds cpu_seconds" on stdout and its phases on stderr.
"""
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.flight as flight

BATCH_ROWS = 65536


def remainder(values, divisor):
    """values % divisor for non-negative integers (pyarrow's divide truncates integers)."""
    return pc.subtract(values, pc.multiply(pc.divide(values, divisor), divisor))


def table(rows):
    ids = pa.array(range(rows), pa.int64())
    columns = {"id": ids}
    for i in range(1, 5):
        columns["i%d" % i] = pc.cast(remainder(pc.multiply(ids, 31 + i), 1000003), pa.int32())
    for i in range(1, 6):
        columns["d%d" % i] = pc.divide(pc.multiply(pc.cast(ids, pa.float64()), i + 0.25), 7)
    for i in range(1, 6):
        digits = pc.cast(remainder(pc.multiply(ids, i), 100000), pa.string())
        columns["s%d" % i] = pc.binary_join_element_wise("value-", digits, "")
    for i in range(1, 6):
        micros = pc.add(pc.multiply(ids, i * 1000), 1700000000000000)
        columns["t%d" % i] = pc.cast(micros, pa.timestamp("us", tz="UTC"))
    return pa.table(columns).combine_chunks()


class InMemoryServer(flight.FlightServerBase):
    def __init__(self, data):
        super().__init__("grpc+tcp://127.0.0.1:0")
        self.location = "grpc+tcp://127.0.0.1:%d" % self.port
        half = data.num_rows // 2
        self.data = data
        self.parts = [data.slice(0, half).to_batches(max_chunksize=BATCH_ROWS),
                      data.slice(half).to_batches(max_chunksize=BATCH_ROWS)]

    def get_flight_info(self, context, descriptor):
        endpoints = [flight.FlightEndpoint(str(k).encode(), [self.location]) for k in range(len(self.parts))]
        return flight.FlightInfo(self.data.schema, descriptor, endpoints, self.data.num_rows, -1)

    def do_get(self, context, ticket):
        batches = self.parts[int(ticket.ticket.decode())]
        return flight.RecordBatchStream(pa.RecordBatchReader.from_batches(self.data.schema, iter(batches)))


def main():
    rows, runs, client = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    server = InMemoryServer(table(rows))
    threading.Thread(target=server.serve, daemon=True).start()
    with tempfile.NamedTemporaryFile("w", suffix=".token") as token:
        token.write("unused: this server takes any client")
        token.flush()
        wholes = []
        for run in range(runs):
            before = resource.getrusage(resource.RUSAGE_SELF)
            start = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", client, "flight", server.location, token.name],
                                 stdout=subprocess.PIPE, text=True, check=True).stdout.split()
            whole = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_SELF)
            if int(out[0]) != rows:
                raise SystemExit("the client read %s rows of %d" % (out[0], rows))
            wholes.append(whole)
            print("client floor run %d: %.2f s (Python load %s s, Python CPU %s s; the in-memory server's CPU "
                  "%.2f s)" % (run + 1, whole, out[2], out[3],
                               after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime), flush=True)
    print("client floor: median %.2f s of %d runs" % (statistics.median(wholes), runs), flush=True)
    server.shutdown()


if __name__ == "__main__":
    sys.exit(main())
