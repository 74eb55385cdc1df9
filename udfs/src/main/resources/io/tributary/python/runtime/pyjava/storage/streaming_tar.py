"""A directory as rows and back, for Byzer's ``file`` schema: st(field(start,long),field(offset,long),field(value,binary)).

build_rows_from_file packs the directory as an uncompressed tar stream cut into chunks; each row holds a chunk
(``value``), its position in the stream (``start``) and its length (``offset``, pyjava's name for it). The stream is
spooled to a temporary file and read back chunk by chunk, so memory holds one chunk, not the archive. save_rows_as_file rebuilds the directory.
"""
import os
import tarfile
import tempfile

CHUNK_BYTES = 1024 * 1024


def build_rows_from_file(target_dir, chunk_bytes=CHUNK_BYTES):
    """Yields {"start", "offset", "value"} rows that together hold target_dir as a tar stream."""
    if not os.path.isdir(target_dir):
        raise ValueError("build_rows_from_file needs a directory, got %r" % target_dir)
    # The archive is spooled to a temporary file, so memory holds one chunk however large the directory is.
    with tempfile.TemporaryFile() as archive:
        with tarfile.open(fileobj=archive, mode="w:") as tar:
            for root, dirs, files in os.walk(target_dir):
                dirs.sort()
                for name in sorted(files):
                    path = os.path.join(root, name)
                    tar.add(path, arcname=os.path.relpath(path, target_dir), recursive=False)
        archive.seek(0)
        start = 0
        while True:
            chunk = archive.read(chunk_bytes)
            if not chunk:
                break
            yield {"start": start, "offset": len(chunk), "value": chunk}
            start += len(chunk)


def save_rows_as_file(rows, target_dir):
    """Rebuilds the directory from rows made by build_rows_from_file (dicts, in any order; as Spark returns them
    from a table, rows may come back shuffled, so they are ordered by ``start``)."""
    rows = sorted(rows, key=lambda r: r["start"])
    os.makedirs(target_dir, exist_ok=True)
    expected = 0
    with tempfile.TemporaryFile() as archive:
        for row in rows:
            if row["start"] != expected:
                raise ValueError("the rows do not form one stream: a chunk starts at %d, expected %d"
                                 % (row["start"], expected))
            archive.write(row["value"])
            expected += len(row["value"])
        archive.seek(0)
        with tarfile.open(fileobj=archive, mode="r:") as tar:
            # The "data" filter refuses absolute paths, links out of the directory and device files.
            tar.extractall(target_dir, filter="data")
    return target_dir
