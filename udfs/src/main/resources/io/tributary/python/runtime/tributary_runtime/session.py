"""One task's view of its input and output, shared by PythonContext and RayContext."""
import itertools
import json

import pyarrow as pa

from . import results

INPUT_REF = "tributary:task-input"
# The conf entry through which the JVM hands over the served input's references (see pyjava.api.data_servers).
SERVED_INPUT_KEY = "tributary.servedInput"


class TaskSession:
    """The input stream (read once, lazily, batch by batch) and the result writer of the running task."""

    def __init__(self, input_stream, writer, conf, data_mode):
        self._input_stream = input_stream
        self._reader = None
        self._consumed = False
        self.writer = writer
        served = conf.pop(SERVED_INPUT_KEY, None)
        self.served_refs = None if served is None else json.loads(served)
        self.conf = conf
        self.data_mode = data_mode
        self._on_close = []

    def on_close(self, callback):
        """Runs callback when the task ends, however it ends (a Ray connection is closed this way)."""
        self._on_close.append(callback)

    def close(self):
        callbacks, self._on_close = self._on_close, []
        for callback in reversed(callbacks):
            callback()

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
        """The input rows as dicts, one pass. A C-level chain over per-batch lists: a generator yielding each row
        itself would resume a Python frame per row, a tenth of row mode's time in Python."""
        return itertools.chain.from_iterable(self._row_lists())

    def _row_lists(self):
        # A generator, so the input is opened (and a second read refused) when the rows are first iterated.
        yield from row_lists(self.batches())

    def build_result(self, items):
        results.write_items(self.writer, items)


def row_lists(batches):
    """Each batch's rows as a list of dicts."""
    build = None
    for batch in batches:
        if build is None:
            build = row_builder(batch.schema.names)
        yield results.without_gc(build, python_columns(batch))


def python_columns(batch):
    """The batch's columns as Python lists. Numbers without nulls go through numpy, several times faster than
    pyarrow's value-by-value conversion; everything else takes pyarrow's to_pylist."""
    columns = []
    for column in batch.columns:
        if _numpy_ok and column.null_count == 0 and (pa.types.is_integer(column.type)
                                                     or pa.types.is_floating(column.type)):
            columns.append(column.to_numpy().tolist())
        else:
            columns.append(column.to_pylist())
    return columns


def row_builder(names):
    """A function turning column lists into a list of dicts, compiled for these column names: a dict display
    ({'a': v0, 'b': v1}) builds a row about twice as fast as dict(zip(names, values))."""
    if not names:
        return lambda columns: []
    values = ", ".join("v%d" % i for i in range(len(names)))
    display = ", ".join("%r: v%d" % (name, i) for i, name in enumerate(names))
    source = "def build(columns):\n    return [{%s} for %s%s in zip(*columns)]\n" % (
        display, values, "," if len(names) == 1 else "")
    scope = {}
    exec(compile(source, "<row builder>", "exec"), scope)
    # Popped, not just read: the function refers to the scope as its globals, so leaving it there would make a
    # reference cycle that outlives the task.
    return scope.pop("build")


try:
    import numpy  # noqa: F401  (pyarrow's to_numpy needs it)
    _numpy_ok = True
except ImportError:
    _numpy_ok = False

_current = None


def current():
    if _current is None:
        raise RuntimeError("no Tributary task is running in this process")
    return _current


def set_current(session):
    global _current
    _current = session
