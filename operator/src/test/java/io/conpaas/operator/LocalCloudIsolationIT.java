package io.conpaas.operator;

import static io.conpaas.operator.testing.Archives.files;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.conpaas.api.v1alpha1.LocalObjectRef;
import io.conpaas.api.v1alpha1.MysqlService;
import io.conpaas.api.v1alpha1.MysqlServiceSpec;
import io.conpaas.api.v1alpha1.PhpService;
import io.conpaas.api.v1alpha1.RoleSpec;
import io.conpaas.api.v1alpha1.ScaleRoleSpec;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.api.v1alpha1.CodeUploadSpec.ServiceKind;
import io.conpaas.iaas.local.LocalIsolation;
import io.conpaas.operator.testing.Archives;
import io.conpaas.operator.testing.Fixtures;
import io.conpaas.operator.testing.LocalWorld;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.operator.testing.WebServiceSteps;
import io.conpaas.testing.DevCluster;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local cloud does not hand tenant code the operator's identity: a PHP page of one service
 * (intruder) cannot read the operator's environment, nor any file of another VM: the context
 * (agent key) of another agent, the database password another PhpService's backend got, the
 * MySQL master's credentials. The operator runs in this JVM, so its environment is this JVM's.
 * As root (per-VM accounts); a normal user's run allows unisolated roles and proves only the environment.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalCloudIsolationIT {
  /** Names the agent may get from the operator's environment (AgentEnvironment's allow-list). */
  private static final Pattern PASSED = Pattern.compile("PATH|LANG|LANGUAGE|LC_[A-Z_]+|TZ|CONPAAS_TOMCAT_HOME");
  /** Reads every path of the request body (one a line), then shows its environment and its parent's. */
  private static final String PROBE = """
      <?php
      $out = [];
      foreach (explode("\\n", trim(file_get_contents('php://input'))) as $p) {
        if ($p === '') { continue; }
        $out[] = (@file_get_contents($p) === false ? 'DENIED ' : 'READ ') . $p;
      }
      foreach (getenv() as $k => $v) { $out[] = 'ENV ' . $k . '=' . $v; }
      $ppid = 0;
      $stat = @file_get_contents('/proc/self/stat');
      if ($stat !== false) { $ppid = explode(' ', substr($stat, strrpos($stat, ')') + 2))[1]; }
      foreach (['/proc/self/environ', '/proc/' . $ppid . '/environ'] as $e) {
        $c = @file_get_contents($e);
        $out[] = 'ENVIRON ' . $e . ' ' . ($c === false ? 'DENIED' : str_replace("\\0", "\\n", $c));
      }
      echo implode("\\n", $out);
      """;

  @TempDir
  static Path workDir;
  @TempDir
  static Path files;

  private KubernetesClient client;
  private LocalWorld world;
  private ConpaasOperator operator;
  private WebServiceSteps<PhpService> intruder;

  @BeforeAll
  void start() throws IOException {
    Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    client = DevCluster.client();
    world = LocalWorld.create(client, "iso", workDir);
    operator = TestOperator.start(TestOperator.settings(world.namespace(), workDir, Duration.ofSeconds(90), 3),
        TestOperator.localDrivers(workDir));
    MysqlService db = new MysqlService();
    db.setMetadata(new ObjectMetaBuilder().withNamespace(world.namespace()).withName("db").build());
    MysqlServiceSpec dbSpec = new MysqlServiceSpec();
    dbSpec.setApplication(LocalWorld.APP);
    dbSpec.setMaster(new RoleSpec(1));
    dbSpec.setSlaves(new ScaleRoleSpec(0));
    db.setSpec(dbSpec);
    client.resource(db).create();
    PhpService victim = Fixtures.php(world.namespace(), "victim", LocalWorld.APP, 1);
    victim.getSpec().setDatabase(new LocalObjectRef("db"));
    client.resource(victim).create();
    client.resource(Fixtures.php(world.namespace(), "intruder", LocalWorld.APP, 1)).create();
    intruder = new WebServiceSteps<>(client, world.namespace(), PhpService.class, "intruder", ServiceKind.PhpService);
    new WebServiceSteps<>(client, world.namespace(), PhpService.class, "victim", ServiceKind.PhpService)
        .awaitRunning();
    intruder.awaitRunning();
    await().atMost(Duration.ofSeconds(120)).until(() -> client.resources(MysqlService.class)
        .inNamespace(world.namespace()).withName("db").get().getStatus().getState() == ServiceState.RUNNING);
    intruder.upload("v1", Archives.zip(files.resolve("v1.zip"), files("probe.php", PROBE)));
    intruder.activate("v1");
  }

  @AfterAll
  void stop() {
    if (operator != null) {
      client.resources(PhpService.class).inNamespace(world.namespace()).delete();
      client.resources(MysqlService.class).inNamespace(world.namespace()).delete();
      await().atMost(Duration.ofSeconds(120)).until(() ->
          client.resources(PhpService.class).inNamespace(world.namespace()).list().getItems().isEmpty()
              && client.resources(MysqlService.class).inNamespace(world.namespace()).list().getItems().isEmpty());
      operator.close();
    }
    world.close();
  }

  @Test
  void aPhpPageReadsNoFileOfAnotherVmNorAnyPasswordOrKey() throws Exception {
    assumeTrue(LocalIsolation.runningAsRoot(), "VMs have accounts of their own only when the operator is root");
    Path victimBackend = vmDir("victim-backend-0");
    Path dbMaster = vmDir("db-master-0");
    Path own = vmDir("intruder-backend-0");
    Path victimPassword = victimBackend.resolve("backend/db/password");
    Path masterCredentials = dbMaster.resolve("master/private/credentials.json");
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.isRegularFile(victimPassword));
    assertThat(masterCredentials).isRegularFile();
    List<Path> foreign = new ArrayList<>(List.of(victimPassword, masterCredentials,
        victimBackend.resolve("context.json"), own.resolve("context.json")));
    try (Stream<Path> vms = Files.list(workDir)) {
      for (Path vm : vms.filter(d -> Files.isRegularFile(d.resolve("meta.properties"))).toList()) {
        if (!vm.equals(own)) {
          try (Stream<Path> all = Files.walk(vm)) {
            all.filter(Files::isRegularFile).limit(300).forEach(foreign::add);
          }
        }
      }
    }
    Path ownPage;
    try (Stream<Path> all = Files.walk(own)) {
      ownPage = all.filter(p -> p.getFileName().toString().equals("probe.php")).findFirst().orElseThrow();
    }

    String answer = probe(Stream.concat(foreign.stream(), Stream.of(ownPage)).map(Path::toString)
        .collect(Collectors.joining("\n")));

    assertThat(answer).contains("READ " + ownPage);
    List<String> read = answer.lines().filter(l -> l.startsWith("READ ")).toList();
    assertThat(read).as("files of other VMs and secrets the page could read").containsExactly("READ " + ownPage);
    assertThat(answer).contains("DENIED " + victimPassword).contains("DENIED " + masterCredentials);
  }

  @Test
  void neitherTheAgentsNorTheirServersNorAPhpPageSeeTheOperatorsEnvironment() throws Exception {
    Map<String, String> operatorOnly = System.getenv().entrySet().stream()
        .filter(e -> !PASSED.matcher(e.getKey()).matches() && !e.getValue().isBlank())
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    assertThat(operatorOnly).as("this JVM's environment beyond the allow-list").isNotEmpty();
    List<String> leaks = operatorOnly.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();

    List<ProcessHandle> agents = new ArrayList<>();
    try (Stream<Path> vms = Files.list(workDir)) {
      for (Path vm : vms.filter(d -> Files.isRegularFile(d.resolve("pid"))).toList()) {
        ProcessHandle.of(Long.parseLong(Files.readString(vm.resolve("pid")).trim())).ifPresent(agents::add);
      }
    }
    assertThat(agents).hasSizeGreaterThanOrEqualTo(7);
    for (ProcessHandle p : Stream.concat(agents.stream(), agents.stream().flatMap(ProcessHandle::descendants))
        .toList()) {
      List<String> environ = environ(p.pid());
      assertThat(environ).as("environment of %s", p.info().command().orElse("" + p.pid()))
          .doesNotContainAnyElementsOf(leaks).noneMatch(v -> v.startsWith("KUBECONFIG=") || v.startsWith("AWS_"));
    }

    String answer = probe("");
    assertThat(answer).contains("ENVIRON /proc/self/environ");
    for (String leak : leaks) {
      assertThat(answer.lines()).as("the page's environment").noneMatch(l -> l.equals(leak) || l.equals("ENV " + leak)
          || l.endsWith(" " + leak));
    }
  }

  private String probe(String body) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(intruder.endpoint()
        + "probe.php")).timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  /** The directory of the local VM running the named agent. */
  private static Path vmDir(String agentName) throws IOException {
    try (Stream<Path> vms = Files.list(workDir)) {
      for (Path vm : vms.filter(d -> Files.isRegularFile(d.resolve("meta.properties"))).toList()) {
        Properties meta = new Properties();
        try (InputStream in = Files.newInputStream(vm.resolve("meta.properties"))) {
          meta.load(in);
        }
        if (agentName.equals(meta.getProperty("name"))) {
          return vm;
        }
      }
    }
    throw new IllegalStateException("no local VM runs " + agentName);
  }

  private static List<String> environ(long pid) {
    try {
      return List.of(Files.readString(Path.of("/proc/" + pid + "/environ")).split("\0"));
    } catch (IOException e) {
      return List.of();
    }
  }

}
