package io.conpaas.operator;

import static io.conpaas.operator.testing.Archives.files;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.agent.api.MysqlRoleKeys;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.Application;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.CodeUploadSpec.ServiceKind;
import io.conpaas.api.v1alpha1.LocalObjectRef;
import io.conpaas.api.v1alpha1.MysqlService;
import io.conpaas.api.v1alpha1.MysqlServiceSpec;
import io.conpaas.api.v1alpha1.PhpService;
import io.conpaas.api.v1alpha1.RoleSpec;
import io.conpaas.api.v1alpha1.ScaleRoleSpec;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.api.v1alpha1.VpnSpec;
import io.conpaas.iaas.local.LocalIsolation;
import io.conpaas.operator.testing.Archives;
import io.conpaas.operator.testing.Fixtures;
import io.conpaas.operator.testing.NetnsProbe;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.operator.testing.WebServiceSteps;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A MysqlService (master + slave) and a PhpService using it, in one vpn.enabled application: the
 * slave replicates from the master's VPN address, and a PHP backend's connection shows up in the
 * master's processlist from the backend's VPN address. Root only (namespaces).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VpnMysqlIT {
  /** The master's processlist row of this very connection: where MySQL sees the backend. */
  private static final String PAGE = """
      <?php
      $pw = getenv('CONPAAS_DB_PASSWORD');
      if ($pw === false) { $pw = trim(file_get_contents(getenv('CONPAAS_DB_PASSWORD_FILE'))); }
      $db = new PDO('mysql:host=' . getenv('CONPAAS_DB_HOST') . ';port=' . getenv('CONPAAS_DB_PORT'),
          getenv('CONPAAS_DB_USER'), $pw);
      echo $db->query('SELECT host FROM information_schema.processlist WHERE id = CONNECTION_ID()')->fetchColumn();
      """;

  @TempDir
  static Path workDir;
  @TempDir
  static Path files;

  private KubernetesClient client;
  private String ns;
  private String cloud;
  private ConpaasOperator operator;
  private WebServiceSteps<PhpService> steps;

  @BeforeAll
  void start() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(LocalIsolation.runningAsRoot(), "network namespaces need root");
    Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    client = DevCluster.client();
    ns = TestNamespace.create(client, "vpndb");
    cloud = "vpndb-" + ns;
    client.resource(Fixtures.localCloud(cloud, workDir)).create();
    Application app = Fixtures.application(ns, "app", cloud);
    VpnSpec vpn = new VpnSpec();
    vpn.setEnabled(true);
    app.getSpec().setVpn(vpn);
    client.resource(app).create();
    operator = TestOperator.start(TestOperator.settings(ns, workDir, Duration.ofSeconds(120), 3),
        TestOperator.localDrivers(workDir));
    MysqlService db = new MysqlService();
    db.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName("db").build());
    MysqlServiceSpec dbSpec = new MysqlServiceSpec();
    dbSpec.setApplication("app");
    dbSpec.setMaster(new RoleSpec(1));
    dbSpec.setSlaves(new ScaleRoleSpec(1));
    db.setSpec(dbSpec);
    client.resource(db).create();
    PhpService shop = Fixtures.php(ns, "shop", "app", 1);
    shop.getSpec().setDatabase(new LocalObjectRef("db"));
    client.resource(shop).create();
    steps = new WebServiceSteps<>(client, ns, PhpService.class, "shop", ServiceKind.PhpService);
    await().atMost(Duration.ofSeconds(180)).untilAsserted(() -> assertThat(client.resources(MysqlService.class)
        .inNamespace(ns).withName("db").get().getStatus().getState()).isEqualTo(ServiceState.RUNNING));
    steps.awaitRunning();
  }

  @AfterAll
  void stop() {
    if (operator != null) {
      client.resources(PhpService.class).inNamespace(ns).delete();
      client.resources(MysqlService.class).inNamespace(ns).delete();
      await().atMost(Duration.ofSeconds(120)).until(() ->
          client.resources(Agent.class).inNamespace(ns).list().getItems().isEmpty());
      await().atMost(Duration.ofSeconds(30)).until(() -> NetnsProbe.namespaces().stream()
          .noneMatch(n -> n.startsWith("cpa-local-") && Files.isDirectory(workDir.resolve(n.substring(4)))));
      operator.close();
      client.resources(Cloud.class).withName(cloud).delete();
    }
  }

  private Agent only(String role, String service) {
    return client.resources(Agent.class).inNamespace(ns).withLabel("conpaas.io/service", service)
        .withLabel("conpaas.io/role", role).list().getItems().get(0);
  }

  @Test
  void theSlaveAndThePhpBackendsReachTheMasterAtItsVpnAddress() throws Exception {
    Agent master = only("master", "db");
    Agent slave = only("slaves", "db");
    Agent backend = only("backend", "shop");
    String masterVpn = master.getStatus().getAddresses().getVpn();
    assertThat(masterVpn).startsWith("172.16.");
    assertThat(slave.getSpec().getConfig().get(MysqlRoleKeys.MASTER_HOST)).isEqualTo(masterVpn);
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(client.resources(MysqlService.class)
        .inNamespace(ns).withName("db").get().getStatus().getMysql().getReplicas())
        .allMatch(r -> Boolean.TRUE.equals(r.getReplicating())).isNotEmpty());
    assertThat(client.resources(MysqlService.class).inNamespace(ns).withName("db").get().getStatus().getMysql()
        .getVpnAddress()).isEqualTo(masterVpn);

    steps.upload("v1", Archives.zip(files.resolve("v1.zip"), files("index.php", PAGE)));
    steps.activate("v1");
    assertThat(only("backend", "shop").getSpec().getConfig().get("dbHost")).isEqualTo(masterVpn);
    String seenFrom = steps.get("/index.php").body().strip();
    // host:port of the client as the master sees it: the backend's VPN address.
    assertThat(seenFrom).startsWith(backend.getStatus().getAddresses().getVpn() + ":");
  }
}
