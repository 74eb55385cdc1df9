"""What ``ray_context.to_dataset()`` returns through Ray Client.

Ray Data executes its plans in the driver process, with the driver's core worker; a Ray Client process has none
(Ray 2.58: ``'Worker' object has no attribute 'core_worker'``), so a Ray Dataset cannot run there. Through Ray
Client, ``to_dataset()`` returns a ClientDataset instead: the same blocks (one Ray task per input partition fetches
it from its data server into Ray's object store, a pyarrow Table) and the part of Ray Dataset's API that needs no
Ray Data executor. ``to_dask()`` is a Dask DataFrame over those blocks whose graph runs on the Ray cluster
(Dask-on-Ray), so Dask's operations run in Ray tasks and only their results reach the script.
"""
from pyjava.api import data_servers as _data_servers

_SUPPORTED = ("count", "num_blocks", "schema", "to_arrow_refs", "to_dask", "to_pandas")


# The task's dask.config.set while Dask's scheduler is Ray's (the worker runs one task at a time).
_dask_settings = None


def _restore_dask_scheduler():
    global _dask_settings
    settings, _dask_settings = _dask_settings, None
    settings.__exit__(None, None, None)


def _num_rows(table):
    return table.num_rows


def _to_pandas(table):
    return table.to_pandas()


class ClientDataset:
    """The input as blocks in Ray's object store, one per input partition (see the module's doc). Methods of
    Ray Dataset that need Ray Data's executor raise NotImplementedError naming the driver connect that has them."""

    def __init__(self, ray, refs, schema, task_session):
        self._ray = ray
        self._schema = schema
        self._session = task_session
        fetch = ray.remote(_data_servers.table)
        # Fetched once, here: each data server reference is readable once, and the blocks are then read as often
        # as the script computes.
        self._blocks = [fetch.remote(ref) for ref in refs]

    def __repr__(self):
        return "ClientDataset(num_blocks=%d, schema=%s)" % (len(self._blocks), self._schema.to_string().replace(
            "\n", ", "))

    def num_blocks(self):
        return len(self._blocks)

    def schema(self):
        """The input's pyarrow schema."""
        return self._schema

    def to_arrow_refs(self):
        """The blocks: one ObjectRef of a pyarrow Table per input partition, in partition order."""
        return list(self._blocks)

    def count(self):
        """The number of rows, counted in Ray tasks next to the blocks."""
        counter = self._ray.remote(_num_rows)
        return sum(self._ray.get([counter.remote(block) for block in self._blocks]))

    def to_pandas(self):
        """The whole input as one pandas DataFrame in the script (loads it into memory)."""
        import pyarrow as pa
        tables = self._ray.get(self._blocks)
        return pa.concat_tables(tables).to_pandas() if tables else self._schema.empty_table().to_pandas()

    def to_dask(self):
        """A Dask DataFrame with one partition per block. Its meta (the empty frame with the columns' dtypes) comes
        from the input's schema, so building it reads nothing; computing it runs on the Ray cluster: for the rest of
        the task Dask's scheduler is Ray's (``ray.util.dask.ray_dask_get``), each partition a Ray task."""
        import dask.dataframe as dd
        self._use_ray_scheduler()
        return dd.from_map(_to_pandas, self._blocks, meta=self._schema.empty_table().to_pandas())

    def _use_ray_scheduler(self):
        global _dask_settings
        if _dask_settings is not None:
            return
        import dask
        from ray.util.dask import ray_dask_get
        # Dask's disk and p2p shuffles need Dask's own workers; tasks shuffle through Ray.
        _dask_settings = dask.config.set({"scheduler": ray_dask_get, "dataframe.shuffle.method": "tasks"})
        self._session.on_close(_restore_dask_scheduler)

    def __getattr__(self, name):
        if not name.startswith("_"):
            import ray.data
            if hasattr(ray.data.Dataset, name):
                raise NotImplementedError(
                    "to_dataset() through Ray Client: Dataset.%s needs Ray Data, which does not run through Ray "
                    "Client (Ray %s); this dataset has %s. For the whole Ray Dataset API connect to the cluster's "
                    "GCS address instead (RayContext.connect(globals(), '<head>:6379'); ray start --port, 6379 by "
                    "default), which needs a Ray node on the machine the script runs on"
                    % (name, self._ray.__version__, ", ".join(_SUPPORTED)))
        raise AttributeError("%r object has no attribute %r" % (type(self).__name__, name))
