package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.Application;
import io.conpaas.api.v1alpha1.ApplicationSpec;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MySQL service with the commands every kind has (create, usage, add-nodes, remove-nodes,
 * list, agents) and connect, against the real API server: one master that cannot be scaled, the
 * slaves as the scale role.
 */
class MysqlCommandsIT {
  static KubernetesClient client;
  static String ns;

  @BeforeAll
  static void namespaceWithApplication() {
    client = DevCluster.client();
    ns = TestNamespace.create(client, "plugin-mysql");
    Application app = new Application();
    app.setMetadata(new ObjectMetaBuilder().withName("demo").withNamespace(ns).build());
    app.setSpec(new ApplicationSpec());
    client.resource(app).create();
  }

  @AfterAll
  static void cleanUp() {
    client.resources(Application.class).inNamespace(ns).delete();
    TestObjects.cleanUp(client, ns);
  }

  @Test
  void createStartsTheMasterAloneOrWithTheSlavesAskedFor() {
    Plugin.Result r = Plugin.run("-n", ns, "create", "mysql", "db", "--application", "demo");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("mysqlservice.conpaas.io/db created\n");
    assertThat(r.err()).isEmpty();
    assertThat((Object) TestObjects.mysqlService(client, ns, "db").get().get("spec")).isEqualTo(Map.of(
        "application", "demo", "slaves", Map.of("nodes", 0), "master", Map.of("nodes", 1)));

    Plugin.Result two = Plugin.run("-n", ns, "create", "MysqlService", "replicated", "--application", "demo",
        "--nodes", "2");
    assertThat(two.exitCode()).as(two.toString()).isZero();
    assertThat((Object) TestObjects.mysqlService(client, ns, "replicated").get().get("spec")).isEqualTo(Map.of(
        "application", "demo", "slaves", Map.of("nodes", 2), "master", Map.of("nodes", 1)));

    Plugin.Result dry = Plugin.run("create", "mysql", "gitops", "--application", "demo", "--dry-run", "-o", "yaml");
    assertThat(Serialization.unmarshal(dry.out(), GenericKubernetesResource.class).getAdditionalProperties()
        .get("spec")).isEqualTo(Map.of("application", "demo", "slaves", Map.of("nodes", 0),
            "master", Map.of("nodes", 1)));
  }

  @Test
  void theSlavesScaleButTheOneMasterIsRefusedWithoutAWrite() {
    TestObjects.mysql(client, ns, "scaled", 0, null);

    Plugin.Result add = Plugin.run("-n", ns, "add-nodes", "scaled", "2");
    assertThat(add.exitCode()).as(add.toString()).isZero();
    assertThat(add.out()).isEqualTo("mysqlservice/scaled: role slaves nodes 0 -> 2\n");
    Plugin.Result remove = Plugin.run("-n", ns, "remove-nodes", "mysql/scaled", "--role", "slaves", "1");
    assertThat(remove.out()).isEqualTo("mysqlservice/scaled: role slaves nodes 2 -> 1\n");
    String before = TestObjects.mysqlService(client, ns, "scaled").get().getMetadata().getResourceVersion();

    Plugin.Result master = Plugin.run("-n", ns, "add-nodes", "scaled", "--role", "master", "--cloud", "aws-eu", "1");
    Plugin.Result fewer = Plugin.run("-n", ns, "remove-nodes", "scaled", "--role", "master", "1");

    for (Plugin.Result refused : List.of(master, fewer)) {
      assertThat(refused.exitCode()).isEqualTo(1);
      assertThat(refused.out()).isEmpty();
      assertThat(refused.errLines()).containsExactly("error: cannot change the nodes of role master of "
          + "mysqlservice/scaled: a MySQL service has exactly one master; add or remove slaves instead");
    }
    GenericKubernetesResource after = TestObjects.mysqlService(client, ns, "scaled").get();
    assertThat(after.getMetadata().getResourceVersion()).isEqualTo(before);
    assertThat((Object) after.get("spec", "master")).isEqualTo(Map.of("nodes", 1));
    assertThat((Object) after.get("spec", "slaves")).isEqualTo(Map.of("nodes", 1));
  }

  @Test
  void usageShowsTheRolesTheFixedMasterTheDatabaseAndItsCommands() {
    TestObjects.mysql(client, ns, "shown", 1, null);
    TestObjects.mysqlStatus(client, ns, "shown", "RUNNING", "10.1.0.10:3306", "shown-mysql");

    Plugin.Result r = Plugin.run("-n", ns, "usage", "shown");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    String k = "kubectl conpaas -n " + ns + " ";
    assertThat(r.out()).startsWith("mysqlservice/shown in namespace " + ns
            + ": ConPaaS type mysql, kind MysqlService (mysqlservices.conpaas.io)\n")
        .contains("role master has a fixed size: a MySQL service has exactly one master\n")
        .contains("database: user mysqladb, password in Secret shown-mysql, master at 10.1.0.10:3306\n")
        .contains(k + "add-nodes shown [--role slaves] [--cloud CLOUD] N\n")
        .contains(k + "remove-nodes shown [--role slaves] N\n")
        .contains(k + "reset-password shown [--password-stdin] [--timeout 90s]\n")
        .contains(k + "upload-dump shown FILE [--timeout 60s]\n")
        .contains(k + "connect shown\n")
        .contains("kubectl -n " + ns + " scale mysqlservice/shown --replicas=N   (sets slaves nodes)")
        .doesNotContain("upload-code").doesNotContain("toggle-debug");
    assertThat(r.out().lines()).anySatisfy(l -> assertThat(l.split(" {3,}"))
            .containsExactly("slaves", "1", "0/1", "-", "yes"))
        .anySatisfy(l -> assertThat(l.split(" {3,}")).containsExactly("master", "1", "0/1", "-", "no"));
  }

  @Test
  void listAndAgentsShowTheMysqlServiceWithItsRoles() {
    String listNs = TestNamespace.create(client, "plugin-mysql-list");
    try {
      TestObjects.mysql(client, listNs, "db", 1, null);
      TestObjects.mysqlStatus(client, listNs, "db", "RUNNING", "10.1.0.10:3306", "db-mysql");
      TestObjects.helloWorld(client, listNs, "hw", 1);
      TestObjects.mysqlAgent(client, listNs, "db", "master", 0, AgentPhase.Running, Map.of("port", "3306"));
      TestObjects.mysqlAgent(client, listNs, "db", "slaves", 0, AgentPhase.Booting, Map.of());

      Plugin.Result list = Plugin.run("-n", listNs, "list");
      Plugin.Result agents = Plugin.run("-n", listNs, "agents", "db");

      assertThat(list.exitCode()).as(list.toString()).isZero();
      assertThat(list.out().lines().map(l -> List.of(l.split(" {3,}"))).toList()).containsExactly(
          List.of("KIND", "NAME", "APPLICATION", "STATE", "READY", "ENDPOINT"),
          List.of("HelloWorldService", "hw", "demo", "-", "agents 0/1", "-"),
          List.of("MysqlService", "db", "demo", "RUNNING", "slaves 0/1, master 0/1", "10.1.0.10:3306"));
      assertThat(agents.exitCode()).as(agents.toString()).isZero();
      assertThat(agents.out().lines().map(l -> List.of(l.split(" {3,}"))).toList()).containsExactly(
          List.of("NAME", "ROLE", "PHASE", "INSTANCE", "PUBLIC", "PRIVATE", "VPN", "CLOUD"),
          List.of("db-slaves-0", "slaves", "Booting", "i-slaves0", "192.0.2.10", "10.1.0.10", "-", "local-cloud"),
          List.of("db-master-0", "master", "Running", "i-master0", "192.0.2.10", "10.1.0.10", "-", "local-cloud"));
    } finally {
      TestObjects.cleanUp(client, listNs);
    }
  }

  @Test
  void connectPrintsTheMysqlCommandAndHowToReadThePassword() {
    TestObjects.mysql(client, ns, "conn", 0, "conn-creds");
    TestObjects.mysqlStatus(client, ns, "conn", "RUNNING", "203.0.113.9:33060", "conn-creds");

    Plugin.Result r = Plugin.run("-n", ns, "connect", "conn");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).isEqualTo("mysql -h 203.0.113.9 -P 33060 -u mysqladb -p\n"
        + "kubectl get secret conn-creds -n " + ns + " -o jsonpath='{.data.password}' | base64 -d\n");

    Plugin.Result json = Plugin.run("-n", ns, "connect", "conn", "-o", "json");
    assertThat(json.exitCode()).as(json.toString()).isZero();
    assertThat(Serialization.unmarshal(json.out(), Map.class)).containsEntry("host", "203.0.113.9")
        .containsEntry("port", 33060).containsEntry("user", "mysqladb").containsEntry("passwordSecret", "conn-creds")
        .containsEntry("namespace", ns);

    TestObjects.mysqlStatus(client, ns, "conn", "RUNNING", "[fd00::9]:3306", "conn-creds");
    assertThat(Plugin.run("-n", ns, "connect", "conn").out()).startsWith("mysql -h fd00::9 -P 3306 -u mysqladb -p\n");
  }

  @Test
  void connectBeforeTheMasterRunsFailsInOneLine() {
    TestObjects.mysql(client, ns, "early", 0, null);

    Plugin.Result fresh = Plugin.run("-n", ns, "connect", "early");
    assertThat(fresh.exitCode()).isEqualTo(1);
    assertThat(fresh.errLines()).containsExactly("error: mysqlservice/early is not RUNNING yet (no status yet): "
        + "nothing to connect to yet (kubectl conpaas list -n " + ns + ")");

    TestObjects.mysqlStatus(client, ns, "early", "PROLOGUE", null, "early-mysql");
    Plugin.Result starting = Plugin.run("-n", ns, "connect", "early");
    assertThat(starting.errLines()).containsExactly("error: mysqlservice/early is not RUNNING yet (state PROLOGUE): "
        + "nothing to connect to yet (kubectl conpaas list -n " + ns + ")");
  }

  @Test
  void theDatabaseCommandsRefuseOtherKindsAndTheCodeCommandsRefuseMysql() {
    TestObjects.helloWorld(client, ns, "hello", 1);
    TestObjects.mysql(client, ns, "nocode", 0, null);

    for (List<String> args : List.of(List.of("connect", "hello"), List.of("reset-password", "hello",
        "--password-stdin"), List.of("upload-dump", "hello", "pom.xml"))) {
      Plugin.Result r = Plugin.run(Stream.concat(Stream.of("-n", ns), args.stream()).toArray(String[]::new));
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
      assertThat(r.errLines()).containsExactly("error: HelloWorldService has no database (" + args.get(0)
          + " works with MysqlService)");
    }
    Plugin.Result code = Plugin.run("-n", ns, "versions", "nocode");
    assertThat(code.errLines()).containsExactly(
        "error: MysqlService has no code versions (versions works with PhpService, JavaService)");
  }
}
