"""One task's view of its input and output, shared by PythonContext and RayContext."""
import pyarrow as pa

from . import results

INPUT_REF = "tributary:task-input"


class TaskSession:
    """The input stream (read once, lazily, batch by batch) and the result writer of the running task."""

    def __init__(self, input_stream, writer, conf, data_mode):
        self._input_stream = input_stream
        self._reader = None
        self._consumed = False
        self.writer = writer
        self.conf = conf
        self.data_mode = data_mode

    def batches(self):
        if self._consumed:
            raise RuntimeError("the input was already read: collect(), collect_batches(), collect_from() and "
                               "to_pandas() each read the one input stream, once")
        self._consumed = True
        return self._generate()

    def _generate(self):
        reader = self._open()
        for batch in reader:
            yield batch

    def _open(self):
        if self._reader is None:
            self._reader = pa.ipc.open_stream(self._input_stream)
        return self._reader

    def input_schema(self):
        return self._open().schema

    def drain(self):
        """Reads what the script left of the input, so the pipe is at the next task's header."""
        reader = self._open()
        for _ in reader:
            pass

    def rows(self):
        for batch in self.batches():
            yield from batch.to_pylist()

    def build_result(self, items):
        results.write_items(self.writer, items)


_current = None


def current():
    if _current is None:
        raise RuntimeError("no Tributary task is running in this process")
    return _current


def set_current(session):
    global _current
    _current = session
