package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.AgentSpec;
import io.conpaas.api.v1alpha1.AgentStatus;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.reconcilers.OperatorSettings;
import io.conpaas.reconcilers.pki.CaSecretStore;
import io.conpaas.reconcilers.pki.CertificateAuthority;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator refuses to start with a new CA while Agents have VMs that trust the old one: a
 * missing CA Secret or one holding another CA stops it with one clear line; the right CA starts.
 */
class CaRefusalIT {
  @TempDir
  Path workDir;

  @Test
  void aLostOrReplacedCaSecretWhileAgentsHaveVmsRefusesToStart() {
    KubernetesClient client = DevCluster.client();
    String ns = TestNamespace.create(client, "carefuse");
    String operatorNs = "op-" + ns;
    OperatorSettings defaults = TestOperator.settings(ns, workDir, Duration.ofSeconds(30), 3);
    OperatorSettings settings = new OperatorSettings(defaults.clusterId(), operatorNs, defaults.agentHealthTimeout(),
        defaults.agentMaxAttempts(), defaults.runningResync(), defaults.inventoryMaxAge(), workDir, Set.of(ns),
        defaults.orphanGracePeriod(), defaults.cloudResync(), defaults.agentMaxUnhealthyShare(),
        defaults.agentUnhealthyWindow());
    try {
      // A first operator mints the CA; an Agent's VM was started with it.
      startAndStop(client, settings);
      CertificateAuthority original = new CaSecretStore(client, operatorNs).loadOrCreate();
      Agent agent = agentWithVm(client, ns, CaSecretStore.fingerprint(original));

      // The Secret is lost: no new CA.
      client.secrets().inNamespace(operatorNs).withName(CaSecretStore.SECRET_NAME).delete();
      awaitSecretGone(client, operatorNs);
      assertThatThrownBy(() -> startAndStop(client, settings)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("refusing to start").hasMessageContaining("is missing")
          .hasMessageContaining(ns + "/" + agent.getMetadata().getName());
      assertThat(client.secrets().inNamespace(operatorNs).withName(CaSecretStore.SECRET_NAME).get()).isNull();

      // The Secret is replaced by another CA: refused too, naming both fingerprints.
      CertificateAuthority other = new CaSecretStore(client, operatorNs).loadOrCreate();
      assertThatThrownBy(() -> startAndStop(client, settings)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("refusing to start").hasMessageContaining(CaSecretStore.fingerprint(other))
          .hasMessageContaining(CaSecretStore.fingerprint(original));

      // The VMs trust the CA in the Secret: it starts.
      agent.getStatus().setCaFingerprint(CaSecretStore.fingerprint(other));
      client.resource(agent).updateStatus();
      startAndStop(client, settings);
    } finally {
      client.resources(Agent.class).inNamespace(ns).delete();
      client.namespaces().withName(operatorNs).delete();
    }
  }

  private static void startAndStop(KubernetesClient client, OperatorSettings settings) {
    // Constructed, not started: the CA is loaded (or refused) in the constructor.
    new ConpaasOperator(client, settings, TestOperator.localDrivers(settings.localWorkDir()), Clock.systemUTC())
        .close();
  }

  private static Agent agentWithVm(KubernetesClient client, String ns, String caFingerprint) {
    Agent a = new Agent();
    a.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName("db-master-0").build());
    AgentSpec spec = new AgentSpec();
    spec.setRole("master");
    spec.setServiceKind("MysqlService");
    spec.setCloud("nowhere");
    a.setSpec(spec);
    Agent created = client.resource(a).create();
    AgentStatus st = new AgentStatus();
    st.setPhase(AgentPhase.Running);
    st.setInstanceId("vm-1");
    st.setCaFingerprint(caFingerprint);
    created.setStatus(st);
    return client.resource(created).updateStatus();
  }

  private static void awaitSecretGone(KubernetesClient client, String ns) {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
        client.secrets().inNamespace(ns).withName(CaSecretStore.SECRET_NAME).get() == null);
  }
}
