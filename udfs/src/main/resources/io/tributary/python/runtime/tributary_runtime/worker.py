"""Entry point of a long-lived worker: answers the JVM's hello, then runs one task after another.

Protocol (all on this process's stdin/stdout; the script's prints go to stderr):
  worker -> JVM  hello frame {"ok", "python", "pyarrow"} or {"ok": false, "error"}
  per task:
  JVM -> worker  header frame {"code", "dataMode", "conf", "batchRows", "sparkTypes"}; a frame with the declared
                 output schema as an Arrow IPC schema message; the input as an Arrow IPC stream.
  worker -> JVM  the output as an Arrow IPC stream (schema first, end-of-stream last), then a status frame
                 {"ok": true, "rows"} or {"ok": false, "error": traceback}. Before the status frame, the line
                 END_OF_TASK_OUTPUT on stderr tells the JVM that the task's output ends there.
"""
import json
import os
import sys
import traceback

# Starts with a newline to end a last line the script left open (the JVM drops the empty line this may make); the NULs
# keep it apart from anything a script prints.
END_OF_TASK_OUTPUT = b"\n\x00tributary:end-of-task-output\x00\n"
# The JVM's end of stderr, kept apart (not inherited) in case a script points fd 2 elsewhere.
_jvm_stderr = 2


def main():
    global _jvm_stderr
    # Its own process group (and session): when the JVM stops this worker, it stops the group, so the processes a
    # script started go too.
    if hasattr(os, "setsid"):
        try:
            os.setsid()
        except OSError:
            pass  # already a group leader
    _jvm_stderr = os.dup(2)
    # The protocol owns the original stdout; print() in scripts goes to stderr, which the JVM logs.
    protocol_out = os.fdopen(os.dup(1), "wb", buffering=1 << 16)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    protocol_in = os.fdopen(os.dup(0), "rb", buffering=1 << 16)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)

    # `kill -USR1 <pid>` writes every thread's Python stack to the executor's log: how to see where a script waits.
    import faulthandler
    import signal
    faulthandler.register(signal.SIGUSR1, file=sys.stderr, all_threads=True, chain=False)

    from . import framing
    try:
        import pyarrow
    except ImportError as e:
        framing.write_json(protocol_out, {
            "ok": False,
            "error": "pyarrow is not installed for %s (%s): run `%s -m pip install pyarrow`, or point "
                     "spark.tributary.python.executable / the env option at an environment that has it"
                     % (sys.executable, e, sys.executable)})
        return 3
    framing.write_json(protocol_out, {"ok": True, "python": sys.version.split()[0],
                                      "pyarrow": pyarrow.__version__})
    while True:
        header = framing.read_frame(protocol_in)
        if header is None:
            return 0
        if not run_task(json.loads(header.decode("utf-8")), protocol_in, protocol_out):
            # The JVM does not reuse a worker after a failure; exit so nothing stale stays around.
            return 0


def run_task(header, protocol_in, protocol_out):
    import pyarrow as pa
    from . import framing, results, session as session_module

    schema = pa.ipc.read_schema(pa.py_buffer(framing.read_frame(protocol_in)))
    writer = results.BatchWriter(protocol_out, schema, header.get("sparkTypes", {}), int(header["batchRows"]))
    task = session_module.TaskSession(protocol_in, writer, dict(header.get("conf", {})), header["dataMode"])
    session_module.set_current(task)
    ok = True
    error = None
    scope = {}
    try:
        from pyjava.api.mlsql import PythonContext
        scope.update({"__name__": "__main__", "__builtins__": __builtins__, "context": PythonContext(task)})
        exec(compile(header["code"], "<python transform>", "exec"), scope)
        task.drain()
    except BaseException as e:  # noqa: B902 - a script's SystemExit or KeyboardInterrupt fails the task too
        ok = False
        if isinstance(e, results.SchemaMismatch):
            error = "SchemaMismatch: %s" % e
        else:
            error = traceback.format_exc()
    finally:
        try:
            task.close()
        except BaseException:  # noqa: B902 - a failing cleanup fails the task
            if ok:
                ok = False
                error = traceback.format_exc()
        session_module.set_current(None)
        # A function the script defines refers to the script's globals, which refer back to it: a reference cycle
        # that would keep everything the script made (its DataFrames, the task's reader and writer) alive until
        # the collector's next full pass, which a worker running task after task seldom reaches. Emptying the
        # globals frees it all now.
        scope.clear()
    writer.close()
    end_task_output()
    if ok:
        framing.write_json(protocol_out, {"ok": True, "rows": writer.rows_written})
    else:
        framing.write_json(protocol_out, {"ok": False, "error": error})
    return ok


def end_task_output():
    """Everything the task printed is written; then the marker, to the JVM whatever the script did with stdout and
    stderr, which the next task finds as the worker set them up."""
    for stream in (sys.stdout, sys.stderr, sys.__stderr__):
        try:
            stream.flush()
        except Exception:  # noqa: B902 - a script may have replaced or closed them
            pass
    sys.stdout = sys.stderr = sys.__stderr__
    try:
        os.dup2(_jvm_stderr, 1)
        os.dup2(_jvm_stderr, 2)
        os.write(_jvm_stderr, END_OF_TASK_OUTPUT)
    except OSError:
        pass  # the JVM then stops this worker instead of reusing it


if __name__ == "__main__":
    sys.exit(main())
