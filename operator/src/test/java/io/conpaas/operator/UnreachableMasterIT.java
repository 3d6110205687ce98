package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.MysqlService;
import io.conpaas.api.v1alpha1.MysqlServiceSpec;
import io.conpaas.api.v1alpha1.RoleSpec;
import io.conpaas.api.v1alpha1.ScaleRoleSpec;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.operator.testing.LocalVms;
import io.conpaas.operator.testing.LocalWorld;
import io.conpaas.operator.testing.PausedProcesses;
import io.conpaas.operator.testing.Sql;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.testing.DevCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A MySQL master whose agent stops answering (its process paused: a network cut between operator
 * and VM looks the same) for three health timeouts keeps its VM: the Agent and the service say it
 * is unreachable, nothing is terminated, and once it answers again the service is RUNNING with
 * every row written before the cut.
 */
class UnreachableMasterIT {
  private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(10);

  @TempDir
  Path workDir;

  @Test
  void aSilentMasterIsWaitedForNeverTerminatedAndKeepsItsRows() throws Exception {
    Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    KubernetesClient client = DevCluster.client();
    LocalWorld world = LocalWorld.create(client, "unreach", workDir);
    String ns = world.namespace();
    try (PausedProcesses paused = new PausedProcesses();
         ConpaasOperator op = TestOperator.start(TestOperator.settings(ns, workDir, HEALTH_TIMEOUT, 3),
             TestOperator.localDrivers(workDir))) {
      MysqlService db = new MysqlService();
      db.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName("db").build());
      MysqlServiceSpec spec = new MysqlServiceSpec();
      spec.setApplication(LocalWorld.APP);
      spec.setMaster(new RoleSpec(1));
      spec.setSlaves(new ScaleRoleSpec(1));
      db.setSpec(spec);
      client.resource(db).create();
      awaitRunning(client, ns);

      String password = password(client, ns);
      String master = service(client, ns).getStatus().getEndpoints().get(0).getUrl();
      Sql.ok(master, "mysqladb", password, "CREATE DATABASE shop; CREATE TABLE shop.posts "
          + "(id INT AUTO_INCREMENT PRIMARY KEY, title VARCHAR(200))");
      for (int i = 0; i < 20; i++) {
        Sql.ok(master, "mysqladb", password, "INSERT INTO shop.posts (title) VALUES ('before the cut')");
      }
      Agent before = masterAgent(client, ns);
      String instance = before.getStatus().getInstanceId();
      long pid = LocalVms.pid(workDir, instance).orElseThrow();

      // Only the agent's JVM stops: its mariadbd (a child) keeps the data, as on a VM cut off the network.
      paused.pause(pid);
      Instant cut = Instant.now();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        Agent a = masterAgent(client, ns);
        assertThat(a.getStatus().getUnreachableSince()).isNotNull();
        assertThat(a.getStatus().getConditions()).anySatisfy(c -> {
          assertThat(c.getType()).isEqualTo("Degraded");
          assertThat(c.getStatus()).isEqualTo("True");
          assertThat(c.getReason()).isEqualTo("AgentUnreachable");
        });
        MysqlService s = service(client, ns);
        assertThat(s.getStatus().getState()).isNotEqualTo(ServiceState.RUNNING);
        assertThat(s.getStatus().getMessage()).contains("db-master-0").contains("does not answer");
        assertThat(s.getStatus().getConditions()).anySatisfy(c -> {
          assertThat(c.getType()).isEqualTo("Degraded");
          assertThat(c.getStatus()).isEqualTo("True");
          assertThat(c.getReason()).isEqualTo("AgentsUnreachable");
          assertThat(c.getMessage()).contains("db-master-0");
        });
      });
      // Three health timeouts of silence: the master's VM stays, on the same instance.
      while (Duration.between(cut, Instant.now()).compareTo(HEALTH_TIMEOUT.multipliedBy(3)) < 0) {
        Agent a = masterAgent(client, ns);
        assertThat(a.getStatus().getInstanceId()).isEqualTo(instance);
        assertThat(a.getStatus().getVmSerial()).isEqualTo(before.getStatus().getVmSerial());
        assertThat(a.getStatus().getPhase()).isNotEqualTo(AgentPhase.Failed);
        assertThat(LocalVms.alive(pid)).isTrue();
        Thread.sleep(1000);
      }
      // (A VM that failed at boot before the cut may have been retried: only this VM's fate counts.)
      assertThat(events(client, ns)).filteredOn(e -> e.getMessage().contains(instance)).noneSatisfy(e ->
          assertThat(e.getReason()).isIn("VmReplaced", "VmRetried", "StatefulVmLost", "AgentFailed"));

      paused.resume(pid);
      awaitRunning(client, ns);
      Agent after = masterAgent(client, ns);
      assertThat(after.getStatus().getInstanceId()).isEqualTo(instance);
      assertThat(after.getStatus().getUnreachableSince()).isNull();
      assertThat(LocalVms.alive(pid)).isTrue();
      String now = service(client, ns).getStatus().getEndpoints().get(0).getUrl();
      assertThat(now).isEqualTo(master);
      assertThat(Sql.ok(now, "mysqladb", password, "SELECT COUNT(*) FROM shop.posts")).isEqualTo("20");

      client.resources(MysqlService.class).inNamespace(ns).withName("db").delete();
      await().atMost(Duration.ofSeconds(90)).until(() -> service(client, ns) == null);
      // The Cloud goes too while the operator runs (its finalizer waits for the Agents first).
      world.close();
      await().atMost(Duration.ofSeconds(60)).until(() ->
          client.resources(io.conpaas.api.v1alpha1.Cloud.class).withName(world.cloud()).get() == null);
    } finally {
      world.close();
    }
  }

  private static void awaitRunning(KubernetesClient client, String ns) {
    await().atMost(Duration.ofSeconds(180)).ignoreExceptions().untilAsserted(() -> {
      MysqlService s = service(client, ns);
      assertThat(s.getStatus().getState()).isEqualTo(ServiceState.RUNNING);
      assertThat(s.getStatus().getReplicas()).isEqualTo(1);
      assertThat(s.getStatus().getEndpoints()).isNotEmpty();
    });
  }

  private static MysqlService service(KubernetesClient client, String ns) {
    return client.resources(MysqlService.class).inNamespace(ns).withName("db").get();
  }

  private static Agent masterAgent(KubernetesClient client, String ns) {
    return client.resources(Agent.class).inNamespace(ns).withName("db-master-0").get();
  }

  private static List<Event> events(KubernetesClient client, String ns) {
    return client.v1().events().inNamespace(ns).list().getItems();
  }

  private static String password(KubernetesClient client, String ns) {
    Secret s = client.secrets().inNamespace(ns).withName("db-mysql").get();
    return new String(Base64.getDecoder().decode(s.getData().get("password")), StandardCharsets.UTF_8);
  }
}
