"""PythonContext and RayContext as Byzer-python scripts use them, backed by Tributary's worker.

``context`` (a PythonContext) is ready in every script. ``RayContext.connect(globals(), address)`` accepts any
address, including None, and never contacts Ray: the data is the task's input stream from the JVM.
"""
import sys

from tributary_runtime import session as _session

_ray_address_noted = False


class PythonContext:
    """The script's link to Spark: its settings (``conf``) and its output (``build_result``)."""

    def __init__(self, task_session):
        self._session = task_session
        self.conf = task_session.conf

    def build_result(self, items, block_size=None):
        """Streams rows to the JVM: a list or generator of dicts, or pyarrow RecordBatches/Tables, pandas or Polars
        DataFrames (also a generator of them). Each row is checked against the declared schema. ``block_size`` is
        accepted for compatibility; batches are sized by the transform's maxRecordsPerBatch."""
        self._session.build_result(items)


class _InstanceOrClassMethod:
    """Lets ``RayContext.to_pandas()`` work when called on the class, as Byzer's docs write it: then it reads the
    running task's input."""

    def __init__(self, func):
        self._func = func
        self.__doc__ = func.__doc__

    def __get__(self, instance, owner):
        if instance is None:
            def on_current_task(*args, **kwargs):
                return self._func(owner(PythonContext(_session.current())), *args, **kwargs)
            return on_current_task
        return self._func.__get__(instance, owner)


class RayContext:
    """Byzer's data access API over the task's input. Without a Ray cluster: the address is ignored."""

    def __init__(self, python_context):
        self.context = python_context
        self._session = python_context._session

    @staticmethod
    def connect(_context, url, **kwargs):
        global _ray_address_noted
        context = _context.get("context") if isinstance(_context, dict) else _context
        if not isinstance(context, PythonContext):
            raise TypeError("RayContext.connect takes globals() (holding `context`) or a PythonContext, not %s"
                            % type(_context).__name__)
        if url is not None and not _ray_address_noted:
            _ray_address_noted = True
            print("tributary: Ray address %r ignored; the script runs in Tributary's worker next to the Spark "
                  "executor" % (url,), file=sys.stderr)
        return RayContext(context)

    # ---- input ---------------------------------------------------------------------------------------------

    def collect(self):
        """The input rows as dicts: a generator that can be iterated once."""
        return self._session.rows()

    def collect_batches(self):
        """The input as pyarrow RecordBatches: a generator that can be iterated once (the fast path)."""
        return self._session.batches()

    def data_servers(self):
        """References to the input's parts, for collect_from. The task's input is one stream: one reference."""
        return [_session.INPUT_REF]

    @staticmethod
    def collect_from(servers):
        """The rows of the referenced input parts as dicts (one pass)."""
        servers = [servers] if isinstance(servers, str) else list(servers)
        unknown = [s for s in servers if s != _session.INPUT_REF]
        if unknown:
            raise ValueError("unknown data server references %r; use the ones data_servers() returns" % unknown)
        if not servers:
            return iter(())
        return _session.current().rows()

    @_InstanceOrClassMethod
    def to_pandas(self):
        """The whole input as one pandas DataFrame (loads it into memory)."""
        return self.to_arrow().to_pandas()

    @_InstanceOrClassMethod
    def to_arrow(self):
        """The whole input as one pyarrow Table (loads it into memory)."""
        import pyarrow as pa
        batches = list(self._session.batches())
        return pa.Table.from_batches(batches, schema=self._session.input_schema())

    def to_dataset(self):
        raise NotImplementedError("to_dataset() (Ray Datasets, to_dask()) needs a Ray cluster, which Tributary "
                                  "does not use; use to_pandas(), to_arrow() or collect_batches()")

    # ---- processing ----------------------------------------------------------------------------------------

    def foreach(self, func):
        """Calls func(row) on every input row; its return values (dicts) are the result."""
        # map() rather than a generator expression: no Python frame resumed per row.
        self.context.build_result(map(func, self.collect()))

    def map_iter(self, func):
        """Calls func(rows) once with a generator of the input rows; what it yields is the result."""
        self.context.build_result(func(self.collect()))

    def build_result(self, items, block_size=None):
        self.context.build_result(items, block_size)
