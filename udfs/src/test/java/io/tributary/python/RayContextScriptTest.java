package io.tributary.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** pyjava's Ray-facing API in a real worker, where no Ray cluster is needed to check it. */
class RayContextScriptTest {
    private static final StructType TEXT = new StructType().add("t", DataTypes.StringType);

    private static String failure(String code) {
        return assertThrows(PythonTransformException.class, () -> PythonTaskRunTest.run(code, TEXT, Map.of(), 3))
                .getMessage();
    }

    @Test
    void withoutRayInstalledConnectNamesTheAddressAndTheFix() {
        // None in sys.modules is how Python marks a module as absent: `import ray` raises ImportError.
        String message = failure(String.join(
                "\n",
                "import sys",
                "sys.modules['ray'] = None",
                "from pyjava.api.mlsql import RayContext",
                "RayContext.connect(globals(), '127.0.0.1:10001')"));
        assertTrue(
                message.contains("RayConnectError: RayContext.connect(globals(), '127.0.0.1:10001'): Ray is not "
                        + "installed for "),
                message);
        assertTrue(message.contains("install the cluster's Ray version with its client: `"), message);
        assertTrue(
                message.contains("-m pip install 'ray[client]==<version>'`, or pass None to run without Ray"), message);
    }

    @Test
    void anAddressThatIsNotRaysIsRefusedNamingTheForms() {
        String message = failure(String.join(
                "\n", "from pyjava.api.mlsql import RayContext", "RayContext.connect(globals(), url='localhost')"));
        assertTrue(
                message.contains("ValueError: RayContext.connect: address 'localhost' is not a Ray address; use "
                        + "host:port (Ray Client, as in Byzer: 127.0.0.1:10001; or a cluster's GCS host:6379), "
                        + "ray://host:port, or None"),
                message);
    }

    @Test
    void toDatasetNeedsARayCluster() {
        String message = failure(String.join(
                "\n", "from pyjava.api.mlsql import RayContext", "RayContext.connect(globals(), None).to_dataset()"));
        assertTrue(
                message.contains("RuntimeError: to_dataset() puts the input on a Ray cluster: "
                        + "RayContext.connect(globals(), '<host>:10001') (Ray Client) or '<GCS host>:6379' (a Ray "
                        + "Dataset); without Ray use to_pandas(), to_arrow() or collect_batches()"),
                message);
    }

    @Test
    void referencesHideTheirSecretWhenPrintedAndPickleAsReferences() {
        List<String> out = PythonTaskRunTest.run(
                String.join(
                        "\n",
                        "import pickle",
                        "from pyjava.api.data_servers import DataServerRef",
                        "ref = DataServerRef('127.0.0.1:4242/0123456789abcdef/3#' + 'f' * 64)",
                        "copy = pickle.loads(pickle.dumps(ref))",
                        "context.build_result([{'t': repr([ref])}, {'t': ref.describe()},",
                        "                      {'t': str(type(copy).__name__ == 'DataServerRef' and copy == ref)}])"),
                TEXT,
                Map.of(),
                0);
        assertEquals(
                List.of(
                        "[DataServerRef('127.0.0.1:4242/0123456789abcdef/3#***')]",
                        "partition 3 of serving 0123456789abcdef at 127.0.0.1:4242",
                        "True"),
                out);
    }

    @Test
    void rayfixLastMakesAScriptFunctionPickleByValue() {
        List<String> out = PythonTaskRunTest.run(
                String.join(
                        "\n",
                        "from pyjava import rayfix",
                        "import json",
                        "@rayfix.last",
                        "def mine():",
                        "    return 1",
                        "context.build_result([{'t': mine.__module__}, {'t': rayfix.last(json.dumps).__module__}])"),
                TEXT,
                Map.of(),
                0);
        assertEquals(List.of("__main__", "json"), out, "a module's function keeps its module");
    }

    /**
     * A Ray stand-in whose first {@code stalls} connects never finish, as a Ray Client connect can hang when the
     * server process Ray starts for the client never comes up. Like Ray Client, it counts itself connected before
     * the server has answered the init, and asking such a half-made client {@code is_initialized()} waits forever
     * (here it raises instead, so that a test fails rather than hangs); closing the connection ends the waiting init.
     */
    private static final String STALLING_RAY = String.join(
            "\n",
            "import threading, types",
            "from pyjava.api import ray_cluster",
            "class StallingRay:",
            "    def __init__(self, stalls):",
            "        self.stalls, self.calls, self.connected, self.answered = stalls, 0, False, False",
            "        self.closed = threading.Event()",
            "    def is_initialized(self):",
            "        if self.connected and not self.answered:",
            "            raise AssertionError('is_initialized() on a client whose init is unanswered waits forever')",
            "        return self.connected",
            "    def init(self, address, **options):",
            "        self.calls += 1",
            "        self.closed.clear()",
            "        self.connected = True",
            "        if self.calls <= self.stalls:",
            "            self.closed.wait()",
            "            raise ConnectionError('the connection was closed')",
            "        self.answered = True",
            "    @property",
            "    def util(self):  # ray.util.client.ray.get_context(): the Ray Client connection, made or half-made",
            "        context = types.SimpleNamespace(client_worker=None, disconnect=self.disconnect)",
            "        return types.SimpleNamespace(client=types.SimpleNamespace(ray=types.SimpleNamespace(",
            "            get_context=lambda: context)))",
            "    def disconnect(self):",
            "        self.connected = self.answered = False",
            "        self.closed.set()");

    @Test
    void aStalledRayClientConnectIsGivenUpAndTriedAgain() {
        List<String> out = PythonTaskRunTest.run(
                String.join(
                        "\n",
                        STALLING_RAY,
                        "ray = StallingRay(stalls=2)",
                        "ray_cluster._client_connect(ray, '127.0.0.1:10001', attempt_seconds=0.5)",
                        "context.build_result([{'t': '%d attempts, connected: %s, init answered: %s'",
                        "                        % (ray.calls, ray.connected, ray.answered)}])"),
                TEXT,
                Map.of(),
                0);
        assertEquals(List.of("3 attempts, connected: True, init answered: True"), out);
    }

    @Test
    void aRayClientConnectThatStallsEveryTimeFailsInBoundedTime() {
        String message = failure(String.join(
                "\n",
                STALLING_RAY,
                "ray_cluster._client_connect(StallingRay(stalls=3), '127.0.0.1:10001', attempt_seconds=0.5)"));
        assertTrue(
                message.contains("ClientConnectStalled: the Ray Client connect to 127.0.0.1:10001 did not finish "
                        + "within 0.5 s"),
                message);
    }

    /**
     * A Ray Client server, speaking Ray's own protocol to the real Ray Client library, that behaves as Ray 2.58's
     * Ray Client server does when the server process it starts for a client never comes up: it answers the ping
     * and what a client asks before its init, takes the init and never answers it.
     */
    private static final String SERVER_THAT_NEVER_ANSWERS_THE_INIT = """
            import threading
            from concurrent import futures
            import grpc, ray
            from ray.core.generated import ray_client_pb2, ray_client_pb2_grpc
            from pyjava.api import ray_cluster
            stopped = threading.Event()
            inits = []
            def idle(context):
                while context.is_active() and not stopped.wait(0.05):
                    pass
            class Driver(ray_client_pb2_grpc.RayletDriverServicer):
                def ClusterInfo(self, request, context):
                    if request.type == ray_client_pb2.ClusterInfoType.PING:
                        return ray_client_pb2.ClusterInfoResponse(json="{}")
                    idle(context)  # any other question waits for the server that never comes up
                    context.abort(grpc.StatusCode.UNAVAILABLE, "stopped")
                def KVExists(self, request, context):
                    return ray_client_pb2.KVExistsResponse(exists=True)
                def PinRuntimeEnvURI(self, request, context):
                    return ray_client_pb2.ClientPinRuntimeEnvURIResponse()
            class Data(ray_client_pb2_grpc.RayletDataStreamerServicer):
                def Datapath(self, requests, context):
                    inits.append(next(requests).WhichOneof("type"))
                    idle(context)
                    return
                    yield
            class Logs(ray_client_pb2_grpc.RayletLogStreamerServicer):
                def Logstream(self, requests, context):
                    idle(context)
                    return
                    yield
            server = grpc.server(futures.ThreadPoolExecutor(max_workers=16))
            ray_client_pb2_grpc.add_RayletDriverServicer_to_server(Driver(), server)
            ray_client_pb2_grpc.add_RayletDataStreamerServicer_to_server(Data(), server)
            ray_client_pb2_grpc.add_RayletLogStreamerServicer_to_server(Logs(), server)
            port = server.add_insecure_port("127.0.0.1:0")
            server.start()
            try:
                ray_cluster._client_connect(ray, "127.0.0.1:%d" % port, attempt_seconds=2)
                outcome = "connected"
            except ray_cluster.ClientConnectStalled as e:
                outcome = str(e).replace(str(port), "PORT")
            left = sorted(t.name for t in threading.enumerate() if t.name.startswith("tributary-ray-client"))
            connected = ray.util.client.ray.is_connected()
            stopped.set()
            server.stop(0)
            context.build_result([{"t": outcome}, {"t": "inits: %s" % inits},
                                  {"t": "threads left: %s, still connected: %s" % (left, connected)}])
            """;

    @Test
    void aRayClientInitTheServerNeverAnswersIsClosedAndTriedAgainThroughTheRealClient() {
        List<String> out = PythonTaskRunTest.run(
                SERVER_THAT_NEVER_ANSWERS_THE_INIT, TEXT, Map.of(PythonTransformOptions.TIMEOUT, "3m"), 0);
        assertEquals(
                List.of(
                        "the Ray Client connect to 127.0.0.1:PORT did not finish within 2 s",
                        "inits: ['init', 'init', 'init']",
                        "threads left: [], still connected: False"),
                out);
    }
}
