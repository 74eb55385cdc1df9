"""Fetching a transform's served input partitions (the references ``ray_context.data_servers()`` returns).

A reference is ``host:port/serving/partition#secret``: the partition server of the executor that holds the
partition, the serving (one transform run's input), the partition's index, and the serving's secret. This module
runs wherever a reference goes (the script's worker, Ray workers), so it needs only pyarrow.
"""
import json
import socket
import struct

_LENGTH = struct.Struct(">i")
CONNECT_TIMEOUT_SECONDS = 10
# A server that stops sending for this long fails the read instead of leaving it waiting.
READ_TIMEOUT_SECONDS = 600


class DataServerError(RuntimeError):
    """A partition could not be fetched: the server is unreachable or refused the reference."""


class DataServerRef(str):
    """One served partition's reference: a str (as in Byzer, it starts with ``ip:port``) whose repr hides the
    secret, so printing a list of references does not put the secret in the logs."""

    def __repr__(self):
        return "DataServerRef(%r)" % (self.location() + "#***")

    def __reduce__(self):
        return DataServerRef, (str(self),)

    def location(self):
        return self.split("#", 1)[0]

    def parts(self):
        location, sep, secret = self.partition("#")
        pieces = location.split("/")
        if not sep or len(pieces) != 3 or ":" not in pieces[0]:
            raise ValueError("not a data server reference: %r (expected host:port/serving/partition#secret, as "
                             "ray_context.data_servers() returns)" % (location,))
        host, port = pieces[0].rsplit(":", 1)
        return host, int(port), pieces[1], int(pieces[2]), secret

    def describe(self):
        host, port, serving, partition, _ = self.parts()
        return "partition %d of serving %s at %s:%d" % (partition, serving, host, port)


def is_reference(value):
    return isinstance(value, str) and "#" in value and "/" in value.split("#", 1)[0]


def _write_frame(stream, value):
    payload = json.dumps(value).encode("utf-8")
    stream.write(_LENGTH.pack(len(payload)))
    stream.write(payload)
    stream.flush()


def _read_frame(stream):
    head = stream.read(4)
    if len(head) < 4:
        raise EOFError("the data server closed the connection")
    (length,) = _LENGTH.unpack(head)
    return json.loads(stream.read(length).decode("utf-8"))


def open_partition(ref):
    """The partition's pyarrow RecordBatchStreamReader, and a function closing its connection."""
    ref = DataServerRef(ref)
    host, port, serving, partition, secret = ref.parts()
    try:
        sock = socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_SECONDS)
    except OSError as e:
        raise DataServerError("Cannot reach the data server for %s: %s. References work while their transform "
                              "runs, from where the executors' addresses are reachable" % (ref.describe(), e))
    try:
        sock.settimeout(READ_TIMEOUT_SECONDS)
        stream = sock.makefile("rwb")
        _write_frame(stream, {"op": "fetch", "serving": serving, "partition": partition, "secret": secret})
        status = _read_frame(stream)
        if not status.get("ok"):
            raise DataServerError("The data server refused %s: %s" % (ref.describe(), status.get("error")))
        import pyarrow as pa
        reader = pa.ipc.open_stream(stream)
    except BaseException:
        sock.close()
        raise

    def close():
        stream.close()
        sock.close()
    return reader, close


def batches(refs):
    """The record batches of the referenced partitions, one partition after the other (each fetched once)."""
    for ref in refs:
        reader, close = open_partition(ref)
        try:
            for batch in reader:
                yield batch
        finally:
            close()


def table(ref):
    """One partition as a pyarrow Table."""
    reader, close = open_partition(ref)
    try:
        return reader.read_all()
    finally:
        close()
