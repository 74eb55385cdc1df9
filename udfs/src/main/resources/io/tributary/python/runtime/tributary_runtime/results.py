"""Turns what a script hands to build_result into Arrow record batches of the declared schema.

Rows (dicts) take a fast path through pyarrow's converters; only when pyarrow rejects a column, or when a value
could be silently truncated (pyarrow turns 1.5 into 1 for an integer column), does a per-value check run to name
the field, the expected type, the value and the row. Batches (pyarrow, pandas, Polars) are cast column by column
where the cast cannot lose information (int to long or double, float to double, string views to strings).
"""
import datetime
import decimal
import gc
import itertools

import pyarrow as pa
import pyarrow.types as pat

_MAX_REPR = 300


class SchemaMismatch(Exception):
    """A returned row does not fit the declared schema."""


def without_gc(func, *args):
    """func(*args) with the cyclic garbage collector paused. Every dict a row takes is a container allocation that
    counts towards the collector's next run, so building or reading 10,000 rows starts it about fifteen times; the
    runtime's own row loops create no reference cycles, and pausing it there saves about a third of their time.
    Only the runtime's loops run paused, never the script's code: cycles a script makes are collected as usual."""
    if not gc.isenabled():
        return func(*args)
    gc.disable()
    try:
        return func(*args)
    finally:
        gc.enable()


def _short(value):
    text = repr(value)
    return text if len(text) <= _MAX_REPR else text[:_MAX_REPR] + "..."


def _is_numpy_integer(v):
    return type(v).__module__ == "numpy" and hasattr(v, "dtype") and v.dtype.kind in "iu"


def _is_numpy_float(v):
    return type(v).__module__ == "numpy" and hasattr(v, "dtype") and v.dtype.kind == "f"


def _is_numpy_bool(v):
    return type(v).__module__ == "numpy" and hasattr(v, "dtype") and v.dtype.kind == "b"


def _is_sequence(v):
    return isinstance(v, (list, tuple)) or (type(v).__module__ == "numpy" and hasattr(v, "ndim") and v.ndim == 1)


_INT_RANGES = {8: (-2 ** 7, 2 ** 7 - 1), 16: (-2 ** 15, 2 ** 15 - 1), 32: (-2 ** 31, 2 ** 31 - 1),
               64: (-2 ** 63, 2 ** 63 - 1)}


def describe_problem(value, type_):
    """None if value fits the Arrow type under the widening rules, else why not."""
    if value is None:
        return None
    if pat.is_integer(type_):
        if isinstance(value, bool) or _is_numpy_bool(value) or not (isinstance(value, int) or
                                                                    _is_numpy_integer(value)):
            return "not an integer"
        low, high = _INT_RANGES[type_.bit_width]
        if not low <= int(value) <= high:
            return "out of range"
        return None
    if pat.is_floating(type_):
        if isinstance(value, bool) or _is_numpy_bool(value):
            return "a boolean is not a number"
        if isinstance(value, (int, float)) or _is_numpy_integer(value) or _is_numpy_float(value):
            return None
        return "not a number"
    if pat.is_boolean(type_):
        return None if isinstance(value, bool) or _is_numpy_bool(value) else "not a boolean"
    if pat.is_string(type_):
        return None if isinstance(value, str) else "not a string"
    if pat.is_binary(type_):
        return None if isinstance(value, (bytes, bytearray, memoryview)) else "not bytes"
    if pat.is_decimal(type_):
        return None if isinstance(value, (decimal.Decimal, int)) and not isinstance(value, bool) else \
            "not a decimal.Decimal or int"
    if pat.is_timestamp(type_):
        return None if isinstance(value, datetime.datetime) else "not a datetime.datetime"
    if pat.is_date(type_):
        return None if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime) else \
            "not a datetime.date"
    if pat.is_map(type_):
        if not isinstance(value, dict):
            return "not a dict"
        for k, v in value.items():
            problem = describe_problem(k, type_.key_type) or describe_problem(v, type_.item_type)
            if problem:
                return "entry %s: %s" % (_short(k), problem)
        return None
    if pat.is_list(type_):
        if not _is_sequence(value):
            return "not a list"
        for i, element in enumerate(value):
            problem = describe_problem(element, type_.value_type)
            if problem:
                return "element %d (%s): %s" % (i, _short(element), problem)
        return None
    if pat.is_struct(type_):
        if not isinstance(value, dict):
            return "not a dict"
        for child in type_:
            problem = describe_problem(value.get(child.name), child.type)
            if problem:
                return "field %s: %s" % (child.name, problem)
        return None
    return None


def _contains_integer(type_):
    if pat.is_integer(type_):
        return True
    if pat.is_list(type_):
        return _contains_integer(type_.value_type)
    if pat.is_map(type_):
        return _contains_integer(type_.key_type) or _contains_integer(type_.item_type)
    if pat.is_struct(type_):
        return any(_contains_integer(f.type) for f in type_)
    return False


_PLAIN_INT_TYPES = frozenset([int, type(None)])


def _plain_integer_array(spec, values):
    """The integer column in one pass when pyarrow's own type inference sees only integers: an inferred int64 (or
    an all-null column) holds no float, bool or other value pyarrow could silently truncate. Saves the per-value type
    scan of needs_value_check. None when inference sees anything else or fails; the checked path then names the
    culprit."""
    try:
        array = pa.array(values)
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        return None
    target = spec.field.type
    if array.type == target:
        return array
    if pat.is_int64(array.type) or pat.is_null(array.type):
        try:
            return array.cast(target, safe=True)
        except (pa.ArrowException, TypeError, ValueError, OverflowError):
            return None  # out of range for a narrower target: the checked path reports the value and row
    return None
_DICT_ONLY = frozenset([dict])


class ColumnSpec:
    """One declared field with how to check it cheaply."""

    def __init__(self, field, spark_type):
        self.field = field
        self.name = field.name
        self.spark_type = spark_type
        self.leaf_integer = pat.is_integer(field.type)
        self.nested_integer = not self.leaf_integer and _contains_integer(field.type)

    def needs_value_check(self, values):
        if self.leaf_integer:
            # A float, bool or numpy value may be silently truncated by pyarrow; plain ints never are.
            return not set(map(type, values)) <= _PLAIN_INT_TYPES
        return self.nested_integer


class BatchWriter:
    """Writes record batches of the declared schema as Arrow IPC messages to the JVM."""

    def __init__(self, sink, schema, spark_types, batch_rows):
        self.sink = sink
        self.schema = schema
        self.columns = [ColumnSpec(f, spark_types.get(f.name, str(f.type))) for f in schema]
        self.batch_rows = batch_rows
        self.rows_written = 0
        sink.write(schema.serialize())
        sink.flush()

    # ---- rows (dicts) ---------------------------------------------------------------------------------------

    def write_rows(self, rows):
        if not rows:
            return
        arrays = [self._column(spec, rows) for spec in self.columns]
        self._emit(pa.RecordBatch.from_arrays(arrays, schema=self.schema))

    def _column(self, spec, rows):
        name = spec.name
        try:
            values = [row[name] for row in rows]
        except KeyError:
            # A missing key is a null; the common case (every key present) avoids dict.get's call.
            values = [row.get(name) for row in rows]
        array = _plain_integer_array(spec, values) if spec.leaf_integer else None
        if array is None:
            array = self._checked_array(spec, values, rows)
        if not spec.field.nullable and array.null_count:
            index = next(i for i, v in enumerate(values) if v is None)
            raise self._mismatch(spec, index, None, rows[index], "the field is not nullable")
        return array

    def _checked_array(self, spec, values, rows):
        if spec.needs_value_check(values):
            self._check_values(spec, values, rows)
        try:
            return pa.array(values, type=spec.field.type)
        except (pa.ArrowException, TypeError, ValueError, OverflowError) as e:
            self._check_values(spec, values, rows, pyarrow_error=e)
            raise

    def _check_values(self, spec, values, rows, pyarrow_error=None):
        type_ = spec.field.type
        for i, value in enumerate(values):
            problem = describe_problem(value, type_)
            if problem is None and pyarrow_error is not None and value is not None:
                try:
                    pa.array([value], type=type_)
                except (pa.ArrowException, TypeError, ValueError, OverflowError) as e:
                    problem = str(e)
            if problem:
                raise self._mismatch(spec, i, value, rows[i], problem)
        if pyarrow_error is not None:
            raise SchemaMismatch("field '%s' (expected %s): %s" % (spec.name, spec.spark_type, pyarrow_error))

    def _mismatch(self, spec, index, value, row, problem):
        return SchemaMismatch(
            "row %d does not match the declared schema: field '%s' expects %s, got %s %s (%s); row: %s"
            % (self.rows_written + index, spec.name, spec.spark_type, type(value).__name__, _short(value),
               problem, _short(row)))

    # ---- batches (pyarrow, pandas, Polars) ------------------------------------------------------------------

    def write_table(self, data):
        table = _to_arrow(data)
        arrays = []
        for spec in self.columns:
            if spec.name not in table.column_names:
                raise SchemaMismatch("the result batch has no column '%s' (expected %s); its columns are %s"
                                     % (spec.name, spec.spark_type, table.column_names))
            arrays.append(self._cast(spec, table.column(spec.name), table))
        table = pa.Table.from_arrays(arrays, schema=self.schema)
        for batch in table.to_batches(max_chunksize=self.batch_rows):
            self._emit(batch)

    def _cast(self, spec, column, table):
        target = spec.field.type
        if column.type != target:
            if not _widens_safely(column.type, target):
                raise self._batch_mismatch(spec, column, table, "its type is %s" % column.type)
            try:
                column = column.cast(target, safe=True)
            except (pa.ArrowException, TypeError, ValueError) as e:
                raise self._batch_mismatch(spec, column, table, str(e))
        if not spec.field.nullable and column.null_count:
            raise self._batch_mismatch(spec, column, table, "the field is not nullable", nulls=True)
        return column

    def _batch_mismatch(self, spec, column, table, problem, nulls=False):
        index = 0
        for i, value in enumerate(column):
            if (value.is_valid and not nulls) or (nulls and not value.is_valid):
                index = i
                break
        value = column[index].as_py() if len(column) else None
        row = table.slice(index, 1).to_pylist()[0] if len(column) else None
        return SchemaMismatch(
            "row %d does not match the declared schema: field '%s' expects %s, got %s %s (%s); row: %s"
            % (self.rows_written + index, spec.name, spec.spark_type, type(value).__name__, _short(value),
               problem, _short(row)))

    def _emit(self, batch):
        self.sink.write(batch.serialize())
        self.sink.flush()
        self.rows_written += batch.num_rows

    def close(self):
        from .framing import END_OF_STREAM
        self.sink.write(END_OF_STREAM)
        self.sink.flush()


def _to_arrow(data):
    if isinstance(data, pa.Table):
        return data
    if isinstance(data, pa.RecordBatch):
        return pa.Table.from_batches([data])
    module = type(data).__module__.split(".")[0]
    if module == "pandas":
        return pa.Table.from_pandas(data, preserve_index=False)
    if module == "polars":
        return data.to_arrow()
    raise TypeError("build_result takes dicts, pyarrow RecordBatches or Tables, pandas or Polars DataFrames, "
                    "not %s" % type(data).__name__)


def is_batch(item):
    if isinstance(item, (pa.Table, pa.RecordBatch)):
        return True
    cls = type(item)
    return cls.__name__ == "DataFrame" and cls.__module__.split(".")[0] in ("pandas", "polars")


def _string_like(t):
    return pat.is_string(t) or pat.is_large_string(t) or getattr(pat, "is_string_view", lambda _: False)(t)


def _binary_like(t):
    return pat.is_binary(t) or pat.is_large_binary(t) or getattr(pat, "is_binary_view", lambda _: False)(t)


def _widens_safely(source, target):
    """Whether casting a column of source type to target keeps every value (int to long, float to double, ...)."""
    if pat.is_null(source):
        return True
    if pat.is_integer(target):
        return pat.is_integer(source) and (
            (pat.is_signed_integer(source) and source.bit_width <= target.bit_width)
            or (pat.is_unsigned_integer(source) and source.bit_width < target.bit_width))
    if pat.is_floating(target):
        return pat.is_integer(source) or (pat.is_floating(source) and source.bit_width <= target.bit_width)
    if pat.is_string(target):
        return _string_like(source)
    if pat.is_binary(target):
        return _binary_like(source)
    if pat.is_timestamp(target):
        return pat.is_timestamp(source)
    if pat.is_date(target):
        return pat.is_date(source)
    if pat.is_decimal(target):
        return pat.is_decimal(source) or pat.is_integer(source)
    if pat.is_boolean(target):
        return pat.is_boolean(source)
    if pat.is_list(target):
        return (pat.is_list(source) or pat.is_large_list(source)
                or getattr(pat, "is_list_view", lambda _: False)(source)) \
            and _widens_safely(source.value_type, target.value_type)
    if pat.is_map(target):
        return pat.is_map(source) and _widens_safely(source.key_type, target.key_type) \
            and _widens_safely(source.item_type, target.item_type)
    if pat.is_struct(target):
        if not pat.is_struct(source):
            return False
        names = {source.field(i).name: source.field(i).type for i in range(source.num_fields)}
        return all(f.name in names and _widens_safely(names[f.name], f.type) for f in target)
    return False


def write_items(writer, items):
    """Streams a list, generator or single batch to the writer: batches as they come, one at a time, so the JVM
    works on each while the script makes the next and only one is held here; dicts batch_rows at a time."""
    if is_batch(items):
        writer.write_table(items)
        return
    if isinstance(items, dict):
        raise TypeError("build_result takes a list or generator of dicts, not a single dict; wrap it in a list")
    iterator = iter(items)
    for first in iterator:
        if is_batch(first):
            writer.write_table(first)
            continue
        chunk = [first]
        chunk.extend(itertools.islice(iterator, writer.batch_rows - 1))
        if set(map(type, chunk)) <= _DICT_ONLY:
            without_gc(writer.write_rows, chunk)
        else:
            _write_mixed(writer, chunk)


def _write_mixed(writer, chunk):
    """A chunk of dicts with batches among them, in order."""
    buffer = []
    for item in chunk:
        if isinstance(item, dict):
            buffer.append(item)
        elif is_batch(item):
            writer.write_rows(buffer)
            buffer = []
            writer.write_table(item)
        else:
            writer.write_rows(buffer)
            raise TypeError("build_result takes dicts, pyarrow RecordBatches or Tables, pandas or Polars "
                            "DataFrames; row %d is a %s: %s"
                            % (writer.rows_written, type(item).__name__, _short(item)))
    writer.write_rows(buffer)
