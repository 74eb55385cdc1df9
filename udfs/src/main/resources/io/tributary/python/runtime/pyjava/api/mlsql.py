"""PythonContext and RayContext as Byzer-python scripts use them, backed by Tributary's worker.

``context`` (a PythonContext) is ready in every script. ``RayContext.connect(globals(), None)`` runs everything in
the worker; with an address the script becomes a client of that Ray cluster (see pyjava.api.ray_cluster):
``@ray.remote`` functions run there, ``foreach``/``map_iter`` run their function in Ray tasks, and
``data_servers()``/``collect_from``/``to_dataset()`` fetch the input partition by partition from the executors.
"""
import itertools
import sys

from tributary_runtime import session as _session
from pyjava.api import data_servers as _data_servers


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
    """Byzer's data access API over the task's input, locally or with a Ray cluster."""

    def __init__(self, python_context, ray=None, ray_kind=None):
        self.context = python_context
        self._session = python_context._session
        self._ray = ray
        self._ray_kind = ray_kind

    @staticmethod
    def connect(_context, url=None, **kwargs):
        """``url`` None: no Ray. Else a Ray address (``host:10001``, ``ray://host:port``, a GCS ``host:6379``):
        the script becomes a client of that cluster until its task ends."""
        context = _context.get("context") if isinstance(_context, dict) else _context
        if not isinstance(context, PythonContext):
            raise TypeError("RayContext.connect takes globals() (holding `context`) or a PythonContext, not %s"
                            % type(_context).__name__)
        if url is None:
            return RayContext(context)
        from pyjava.api import ray_cluster
        ray, kind = ray_cluster.connect(url, context._session)
        return RayContext(context, ray, kind)

    # ---- input ---------------------------------------------------------------------------------------------

    def collect(self):
        """The input rows as dicts: a generator that can be iterated once."""
        if self._session.served_refs is not None:
            return RayContext.collect_from(self.data_servers())
        return self._session.rows()

    def collect_batches(self):
        """The input as pyarrow RecordBatches: a generator that can be iterated once (the fast path)."""
        if self._session.served_refs is not None:
            return _data_servers.batches(self.data_servers())
        return self._session.batches()

    def data_servers(self):
        """References to the input's partitions, for collect_from (in a Ray task or here), each readable once.
        A script that names data_servers or to_dataset gets its input served by the executors, one reference per
        partition; otherwise (and with dataMode=data) the one reference is the task's own input stream, readable
        only in this worker."""
        if self._session.served_refs is not None:
            return [_data_servers.DataServerRef(ref) for ref in self._session.served_refs]
        return [_session.INPUT_REF]

    @staticmethod
    def collect_from(servers):
        """The rows of the referenced input parts as dicts (one pass). Works in Ray tasks too."""
        servers = [servers] if isinstance(servers, str) else list(servers)
        if any(s == _session.INPUT_REF for s in servers):
            unknown = [s for s in servers if s != _session.INPUT_REF]
            if unknown:
                raise ValueError("unknown data server references %r; use the ones data_servers() returns" % unknown)
            return _session.current().rows()
        unknown = [s for s in servers if not _data_servers.is_reference(s)]
        if unknown:
            raise ValueError("unknown data server references %r; use the ones data_servers() returns" % unknown)
        return itertools.chain.from_iterable(_session.row_lists(_data_servers.batches(servers)))

    @_InstanceOrClassMethod
    def to_pandas(self):
        """The whole input as one pandas DataFrame (loads it into memory)."""
        return self.to_arrow().to_pandas()

    @_InstanceOrClassMethod
    def to_arrow(self):
        """The whole input as one pyarrow Table (loads it into memory)."""
        import pyarrow as pa
        batches = list(self.collect_batches())
        return pa.Table.from_batches(batches, schema=self._session.input_schema())

    def to_dataset(self):
        """The input on the Ray cluster, one block per input partition: one Ray task per partition fetches it from
        its data server into Ray's object store; nothing passes through the script. Connected to the cluster's GCS
        address (a driver connect): a Ray Dataset. Through Ray Client, where Ray Data does not run: a
        ClientDataset (pyjava.api.client_dataset) with to_dask(), to_pandas(), count(), schema(), num_blocks()
        and to_arrow_refs(); to_dask() computes on the Ray cluster."""
        if self._ray is None:
            raise RuntimeError("to_dataset() puts the input on a Ray cluster: RayContext.connect(globals(), "
                               "'<host>:10001') (Ray Client) or '<GCS host>:6379' (a Ray Dataset); without Ray "
                               "use to_pandas(), to_arrow() or collect_batches()")
        if self._session.served_refs is None:
            raise RuntimeError("to_dataset() needs the input served by the executors, which a dataMode=model "
                               "script gets; with dataMode=data use foreach or map_iter")
        if self._ray_kind != "gcs":
            from pyjava.api.client_dataset import ClientDataset
            return ClientDataset(self._ray, self.data_servers(), self._session.input_schema(), self._session)
        fetch = self._ray.remote(_data_servers.table)
        import ray.data
        return ray.data.from_arrow_refs([fetch.remote(ref) for ref in self.data_servers()])

    # ---- processing ----------------------------------------------------------------------------------------

    def foreach(self, func):
        """Calls func(row) on every input row; its return values (dicts) are the result. Connected to Ray: in a
        Ray task per input partition."""
        if self._ray is not None:
            return self._in_ray(_FOREACH, func)
        # map() rather than a generator expression: no Python frame resumed per row.
        self.context.build_result(map(func, self.collect()))

    def map_iter(self, func):
        """Calls func(rows) once with a generator of the input rows; what it yields is the result. Connected to
        Ray: in a Ray task per input partition."""
        if self._ray is not None:
            return self._in_ray(_MAP_ITER, func)
        self.context.build_result(func(self.collect()))

    def _in_ray(self, kind, func):
        remote = self._ray.remote(_run_partition)
        if self._session.served_refs is not None:
            jobs = [remote.remote(kind, func, ref, None) for ref in self.data_servers()]
        else:
            jobs = [remote.remote(kind, func, None, self.to_arrow())]
        self.context.build_result(itertools.chain.from_iterable(_printed_then_rows(self._ray.get(job))
                                                                for job in jobs))

    def build_result(self, items, block_size=None):
        self.context.build_result(items, block_size)


_FOREACH = "foreach"
_MAP_ITER = "map_iter"


def _run_partition(kind, func, ref, table):
    """In a Ray task: one partition (fetched from its data server, or handed over as a table) through func. What
    func prints is returned with its rows: Ray streams a task's output to its client only on a best-effort basis,
    and may drop the end of it when the client disconnects."""
    import contextlib
    import io
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        if ref is not None:
            rows = RayContext.collect_from([ref])
        else:
            rows = itertools.chain.from_iterable(_session.row_lists(table.to_batches()))
        result = list(map(func, rows) if kind == _FOREACH else func(rows))
    return printed.getvalue(), result


def _printed_then_rows(outcome):
    """Prints (to the worker's log) what a Ray task's func printed, then hands over its rows."""
    printed, rows = outcome
    if printed:
        sys.stderr.write(printed)
        sys.stderr.flush()
    return rows
