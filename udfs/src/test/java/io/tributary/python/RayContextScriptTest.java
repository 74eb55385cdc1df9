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

    /** A Ray stand-in whose first {@code failing} connects never finish, as a Ray Client connect can hang. */
    private static final String STALLING_RAY = String.join(
            "\n",
            "import threading",
            "from pyjava.api import ray_cluster",
            "class StallingRay:",
            "    def __init__(self, stalls):",
            "        self.stalls, self.calls, self.connected = stalls, 0, False",
            "    def is_initialized(self):",
            "        return self.connected",
            "    def init(self, address, **options):",
            "        self.calls += 1",
            "        if self.calls <= self.stalls:",
            "            threading.Event().wait()",
            "        self.connected = True");

    @Test
    void aStalledRayClientConnectIsGivenUpAndTriedAgain() {
        List<String> out = PythonTaskRunTest.run(
                String.join(
                        "\n",
                        STALLING_RAY,
                        "ray = StallingRay(stalls=2)",
                        "ray_cluster._client_connect(ray, '127.0.0.1:10001', attempt_seconds=0.5)",
                        "context.build_result([{'t': '%d attempts, connected: %s' % (ray.calls, ray.connected)}])"),
                TEXT,
                Map.of(),
                0);
        assertEquals(List.of("3 attempts, connected: True"), out);
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
}
