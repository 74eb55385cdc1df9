"""Connecting a script to a Ray cluster (``RayContext.connect(globals(), address)``).

``ray://host:port`` is a Ray Client address. A plain ``host:port`` is asked what it is: a Ray GCS (the cluster's
``--port``, 6379 by default) gets a driver connect, anything else a Ray Client connect (Byzer's ``host:10001``). The
pyjava and tributary_runtime packages go to the cluster with the connection (a runtime environment's py_modules),
so Ray workers import them without anything installed there. The connection closes when the task ends.
"""
import logging
import os
import sys
import threading

CONNECT_TIMEOUT_SECONDS = 10
CLIENT_ATTEMPTS = 3
# How long one Ray Client connect may take before it is abandoned and tried again. A connect that works takes
# seconds (the runtime environment's upload included); with Ray 2.58 a connect can also wait forever, when the
# server process the Ray Client server starts for the client never comes up.
CLIENT_ATTEMPT_SECONDS = 60
# How long closing a connect given up on may take.
CLOSE_SECONDS = 15


class RayConnectError(RuntimeError):
    """The script cannot become a client of the Ray cluster it named."""


_FIX = ("check that the address is the cluster's Ray Client server (ray start --ray-client-server-port, 10001 by "
        "default) or its GCS (ray start --port, 6379 by default), that the cluster runs and is reachable from the "
        "Spark executors, or pass None to run without Ray")


def _split(address):
    text = address.strip()
    if text.startswith("ray://"):
        return "client", text[len("ray://"):]
    if "://" in text or ":" not in text:
        raise ValueError("RayContext.connect: address %r is not a Ray address; use host:port (Ray Client, as in "
                         "Byzer: 127.0.0.1:10001; or a cluster's GCS host:6379), ray://host:port, or None"
                         % (address,))
    return "probe", text


def _probe(host_port, address):
    """'gcs' or 'client' for a reachable address; RayConnectError within CONNECT_TIMEOUT_SECONDS otherwise."""
    import socket
    host, port = host_port.rsplit(":", 1)
    try:
        socket.create_connection((host, int(port)), timeout=CONNECT_TIMEOUT_SECONDS).close()
    except socket.timeout:
        raise RayConnectError("Cannot connect to the Ray cluster at %r: nothing answered within %d s; %s"
                              % (address, CONNECT_TIMEOUT_SECONDS, _FIX))
    except (OSError, ValueError) as e:
        raise RayConnectError("Cannot connect to the Ray cluster at %r: %s; %s"
                              % (address, getattr(e, "strerror", None) or e, _FIX))
    try:
        import grpc
    except ImportError:
        raise RayConnectError("RayContext.connect(globals(), %r): grpcio is missing; install Ray with its client "
                              "(`%s -m pip install 'ray[client]'`)" % (address, sys.executable))
    channel = grpc.insecure_channel(host_port)
    try:
        try:
            grpc.channel_ready_future(channel).result(timeout=CONNECT_TIMEOUT_SECONDS)
        except grpc.FutureTimeoutError:
            raise RayConnectError("Cannot connect to the Ray cluster at %r: nothing answered within %d s; %s"
                                  % (address, CONNECT_TIMEOUT_SECONDS, _FIX))
        # A GCS answers its node table; a Ray Client server does not implement it.
        call = channel.unary_unary("/ray.rpc.NodeInfoGcsService/GetAllNodeInfo",
                                   request_serializer=lambda b: b, response_deserializer=lambda b: b)
        try:
            call(b"", timeout=CONNECT_TIMEOUT_SECONDS)
            return "gcs"
        except grpc.RpcError:
            return "client"
    finally:
        channel.close()


def runtime_env():
    """What Ray workers need from here: the pyjava and tributary_runtime packages, as py_modules."""
    import pyjava
    import tributary_runtime
    return {"py_modules": [os.path.dirname(pyjava.__file__), os.path.dirname(tributary_runtime.__file__)]}


def _client_connect(ray, host_port, attempt_seconds=None):
    """A Ray Client connect. The Ray Client server starts a server process per client; two starting at once on
    one machine sometimes fail (Ray 2.58: "Starting Ray client server failed"), and a start can hang, so the
    workers of one machine connect one at a time, and a failed or stalled attempt is retried (at most
    CLIENT_ATTEMPTS attempts of CLIENT_ATTEMPT_SECONDS each): the connect succeeds or fails in bounded time."""
    import fcntl
    import tempfile
    seconds = CLIENT_ATTEMPT_SECONDS if attempt_seconds is None else attempt_seconds
    lock_path = os.path.join(tempfile.gettempdir(), "tributary-ray-client-connect.lock")
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            for attempt in range(1, CLIENT_ATTEMPTS + 1):
                error = _client_init_within(ray, host_port, seconds)
                if error is None:
                    return
                stalled = isinstance(error, ClientConnectStalled)
                refused = (isinstance(error, ConnectionAbortedError)
                           and "Initialization failure from server" in str(error))
                if attempt == CLIENT_ATTEMPTS or not (stalled or refused):
                    raise error
                print("tributary: Ray Client connect to %s failed (attempt %d of %d), retrying: %s"
                      % (host_port, attempt, CLIENT_ATTEMPTS, str(error).strip().splitlines()[-1]),
                      file=sys.stderr)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class ClientConnectStalled(TimeoutError):
    """A Ray Client connect that did not finish in its time."""


def _client_init_within(ray, host_port, seconds):
    """ray.init through Ray Client, given up after seconds: returns None when connected, else the error.

    Ray Client counts itself connected as soon as the server answers a ping, before the server has answered the
    init; a server that never answers it leaves ray.is_initialized() and every other call waiting forever. So a
    connect given up on is closed (which ends the waiting init with an error) and waited for before
    anything else talks to Ray."""
    outcome = []

    def init():
        try:
            ray.init("ray://" + host_port, runtime_env=runtime_env(), log_to_driver=True,
                     logging_level=logging.WARNING)
            outcome.append(None)
        except BaseException as e:  # handed to the caller, which raises or retries it
            outcome.append(e)

    thread = threading.Thread(target=init, name="tributary-ray-client-connect", daemon=True)
    thread.start()
    thread.join(seconds)
    if outcome:
        return outcome[0]
    stalled = ClientConnectStalled("the Ray Client connect to %s did not finish within %g s" % (host_port, seconds))
    closer = threading.Thread(target=_close_unfinished, args=(ray,), name="tributary-ray-client-close", daemon=True)
    closer.start()
    closer.join(CLOSE_SECONDS)
    thread.join(CLOSE_SECONDS)
    if closer.is_alive() or thread.is_alive():
        # Not retried: another connect beside one that cannot be closed would share its broken client state.
        return RuntimeError("%s, and closing it did not finish within %d s either" % (stalled, CLOSE_SECONDS))
    return stalled


def _close_unfinished(ray):
    """Closes the connection an unfinished Ray Client ray.init made. ray.shutdown() would not: Ray Client hands a
    connection to shutdown only once ray.init has returned."""
    try:
        context = ray.util.client.ray.get_context()
        worker = context.client_worker
        if worker is not None and worker.channel is not None:
            worker.channel.close()
        context.disconnect()
    except Exception as e:  # the connect being closed is broken already; its own error is the one reported
        print("tributary: closing a stalled Ray Client connect: %s: %s" % (type(e).__name__, e), file=sys.stderr)


def connect(address, task_session):
    try:
        import ray
    except ImportError as e:
        raise RayConnectError("RayContext.connect(globals(), %r): Ray is not installed for %s (%s); install the "
                              "cluster's Ray version with its client: `%s -m pip install 'ray[client]==<version>'`, "
                              "or pass None to run without Ray" % (address, sys.executable, e, sys.executable))
    kind, host_port = _split(address)
    if kind == "probe":
        kind = _probe(host_port, address)
    else:
        _probe(host_port, address)  # fails fast when unreachable; Ray Client itself retries for minutes
    if ray.is_initialized():
        ray.shutdown()
    try:
        if kind == "gcs":
            ray.init(address=host_port, runtime_env=runtime_env(), log_to_driver=True,
                     logging_level=logging.WARNING)
        else:
            _client_connect(ray, host_port)
    except Exception as e:
        # A failed Ray Client connect has closed itself (a stalled one is closed above); asking a half-made client
        # is_initialized() could wait forever.
        if kind == "gcs" and ray.is_initialized():
            ray.shutdown()
        raise RayConnectError("Cannot connect to the Ray cluster at %r (%s): %s: %s. Client and cluster need the "
                              "same Ray and Python versions (here: Ray %s, Python %s)"
                              % (address, "driver connect to the GCS" if kind == "gcs" else "Ray Client",
                                 type(e).__name__, e, ray.__version__, sys.version.split()[0]))
    task_session.on_close(ray.shutdown)
    return ray, kind
