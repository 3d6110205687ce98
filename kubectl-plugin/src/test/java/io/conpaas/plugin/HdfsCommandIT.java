package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Application;
import io.conpaas.api.v1alpha1.ApplicationSpec;
import io.conpaas.api.v1alpha1.MapReduceService;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hdfs put|ls|get} against a real HDFS: a NameNode and a DataNode from the Hadoop jars the
 * build copies beside the agent jar (agent-runtime/target/hadoop), run by the test; the
 * MapReduceService object's status points at the NameNode (the service itself is tested with real
 * agents in the operator's MapReduceServiceIT).
 */
class HdfsCommandIT {
  static final ResourceDefinitionContext MR = ResourceDefinitionContext.fromResourceType(MapReduceService.class);
  static KubernetesClient client;
  static String ns;
  static final List<Process> daemons = new ArrayList<>();
  static int httpPort;

  @TempDir
  static Path dir;

  @BeforeAll
  static void hdfsAndAService() throws Exception {
    client = DevCluster.client();
    ns = TestNamespace.create(client, "plugin-hdfs");
    Application app = new Application();
    app.setMetadata(new ObjectMetaBuilder().withName("demo").withNamespace(ns).build());
    app.setSpec(new ApplicationSpec());
    client.resource(app).create();

    int rpc = freePort();
    httpPort = freePort();
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Files.writeString(conf.resolve("core-site.xml"), site(Map.of("fs.defaultFS", "hdfs://127.0.0.1:" + rpc)));
    Files.writeString(conf.resolve("hdfs-site.xml"), site(Map.of("dfs.replication", "1",
        "dfs.namenode.name.dir", dir.resolve("name").toUri().toString(),
        "dfs.datanode.data.dir", dir.resolve("data").toUri().toString(),
        "dfs.namenode.http-address", "127.0.0.1:" + httpPort,
        "dfs.datanode.address", "127.0.0.1:" + freePort(), "dfs.datanode.http.address", "127.0.0.1:" + freePort(),
        "dfs.datanode.ipc.address", "127.0.0.1:" + freePort(), "dfs.namenode.safemode.extension", "0",
        "dfs.permissions.enabled", "false")));
    Path target = DevCluster.repoRoot().resolve("agent-runtime/target");
    String cp = conf + ":" + target.resolve("hadoop-hdfs-web") + "/*:" + target.resolve("hadoop") + "/*";
    assertThat(hadoop(cp, "org.apache.hadoop.hdfs.server.namenode.NameNode", "-format", "-nonInteractive")
        .waitFor()).isZero();
    daemons.add(hadoop(cp, "org.apache.hadoop.hdfs.server.namenode.NameNode"));
    daemons.add(hadoop(cp, "org.apache.hadoop.hdfs.server.datanode.DataNode"));
    HttpClient http = HttpClient.newHttpClient();
    await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
            + "/jmx?qry=Hadoop:service=NameNode,name=FSNamesystemState")).build(),
        HttpResponse.BodyHandlers.ofString()).body().contains("\"NumLiveDataNodes\" : 1"));
  }

  @AfterAll
  static void cleanUp() {
    daemons.forEach(Process::destroy);
    client.genericKubernetesResources(MR).inNamespace(ns).delete();
    client.resources(Application.class).inNamespace(ns).delete();
    TestObjects.cleanUp(client, ns);
  }

  @Test
  void putListAndGetThroughTheNameNodeEndpoint() throws Exception {
    Plugin.Result created = Plugin.run("-n", ns, "create", "mapreduce", "mr", "--application", "demo", "--nodes", "2");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    Plugin.Result early = Plugin.run("-n", ns, "hdfs", "ls", "mr", "/");
    assertThat(early.exitCode()).isEqualTo(1);
    assertThat(early.err()).startsWith("error: mapreduceservice/mr has no endpoint yet");

    client.genericKubernetesResources(MR).inNamespace(ns).withName("mr").editStatus(o -> {
      o.setAdditionalProperty("status", Map.of("state", "RUNNING", "endpoints", List.of(
          Map.of("name", "namenode", "url", "http://127.0.0.1:" + httpPort + "/"))));
      return o;
    });
    byte[] content = new byte[3 << 20];
    new Random(7).nextBytes(content);
    Path local = Files.write(dir.resolve("data.bin"), content);
    Plugin.Result put = Plugin.run("-n", ns, "hdfs", "put", "mr", local.toString(), "/in/data.bin");
    assertThat(put.exitCode()).as(put.toString()).isZero();
    assertThat(put.out()).isEqualTo("put " + local + " (" + content.length + " bytes) to /in/data.bin in "
        + "mapreduceservice/mr\n");

    Plugin.Result ls = Plugin.run("-n", ns, "hdfs", "ls", "mr", "/in");
    assertThat(ls.exitCode()).as(ls.toString()).isZero();
    assertThat(ls.out()).isEqualTo(String.format("- %12d data.bin%n", content.length));

    Path back = dir.resolve("back.bin");
    Plugin.Result get = Plugin.run("-n", ns, "hdfs", "get", "mr", "/in/data.bin", back.toString());
    assertThat(get.exitCode()).as(get.toString()).isZero();
    assertThat(Files.readAllBytes(back)).isEqualTo(content);

    Plugin.Result missing = Plugin.run("-n", ns, "hdfs", "get", "mr", "/in/nothing", back.toString());
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("get /in/nothing: the NameNode answered 404");
    assertThat(Plugin.run("-n", ns, "usage", "mr").out()).contains("hdfs put mr LOCAL_FILE PATH");
  }

  private static Process hadoop(String cp, String main, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", cp, main));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("hadoop.log").toFile())).start();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String site(Map<String, String> properties) {
    StringBuilder s = new StringBuilder("<?xml version=\"1.0\"?>\n<configuration>\n");
    properties.forEach((k, v) -> s.append("<property><name>").append(k).append("</name><value>").append(v)
        .append("</value></property>\n"));
    return s.append("</configuration>\n").toString();
  }
}
