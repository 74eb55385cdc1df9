"""Length-prefixed frames around the Arrow IPC streams: a 4-byte big-endian length, then the payload."""
import json
import struct

_LENGTH = struct.Struct(">i")
# Arrow IPC end-of-stream marker: continuation token, then a zero metadata length.
END_OF_STREAM = b"\xff\xff\xff\xff\x00\x00\x00\x00"


def read_exactly(stream, n):
    data = stream.read(n)
    if data is None or len(data) < n:
        raise EOFError("the JVM closed the worker's input")
    return data


def read_frame(stream):
    """The next frame's bytes, or None when the JVM closed the pipe between tasks."""
    head = stream.read(4)
    if not head:
        return None
    if len(head) < 4:
        raise EOFError("the JVM closed the worker's input inside a frame")
    (length,) = _LENGTH.unpack(head)
    return read_exactly(stream, length)


def write_frame(stream, payload):
    stream.write(_LENGTH.pack(len(payload)))
    stream.write(payload)
    stream.flush()


def write_json(stream, value):
    write_frame(stream, json.dumps(value).encode("utf-8"))
