package io.conpaas.reconcilers.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conpaas.agent.api.AgentInfo;
import io.conpaas.agent.api.MysqlRoleKeys;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentSpec;
import io.conpaas.api.v1alpha1.AgentStatus;
import io.conpaas.reconcilers.agentclient.AgentAnsweredError;
import io.conpaas.reconcilers.agentclient.AgentCallException;
import io.conpaas.reconcilers.agentclient.AgentClient;
import io.conpaas.reconcilers.agentclient.AgentIdentity;
import io.conpaas.reconcilers.model.AgentReasons;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An agent that answers with an error is blocked (alive, waits); only silence propagates as a call failure. */
class RoleSyncTest {
  @Test
  void aRefusedConfigurationBlocksTheAgentInsteadOfCountingAsSilence() {
    RoleSync sync = new RoleSync(new FailingClient(new AgentAnsweredError("POST /configure on a", 422,
        "unknown master")), (s, v) -> Optional.empty(), (ns, n) -> Optional.empty());
    Optional<RoleSync.Blocked> blocked = sync.sync(agent(), "127.0.0.1:1");
    assertThat(blocked).hasValueSatisfying(b -> {
      assertThat(b.reason()).isEqualTo(AgentReasons.AGENT_REFUSED);
      assertThat(b.message()).contains("answered 422").contains("unknown master");
    });
  }

  @Test
  void silenceStillPropagates() {
    RoleSync sync = new RoleSync(new FailingClient(new AgentCallException("connect timed out", null)),
        (s, v) -> Optional.empty(), (ns, n) -> Optional.empty());
    assertThatThrownBy(() -> sync.sync(agent(), "127.0.0.1:1")).isInstanceOf(AgentCallException.class)
        .isNotInstanceOf(AgentAnsweredError.class);
  }

  private static Agent agent() {
    Agent a = new Agent();
    a.setMetadata(new ObjectMetaBuilder().withName("db-slaves-0").withNamespace("ns").withUid("u").build());
    AgentSpec spec = new AgentSpec();
    spec.setRole("slaves");
    spec.setConfig(Map.of("master", "db-master-0"));
    a.setSpec(spec);
    a.setStatus(new AgentStatus());
    return a;
  }

  /** Every call fails the same way. */
  private record FailingClient(AgentCallException failure) implements AgentClient {
    @Override
    public boolean healthy(String endpoint, AgentIdentity agent) {
      return false;
    }

    @Override
    public AgentInfo info(String endpoint, AgentIdentity agent) {
      throw failure;
    }

    @Override
    public AgentInfo configure(String endpoint, AgentIdentity agent, Map<String, String> config) {
      throw failure;
    }

    @Override
    public void uploadCode(String endpoint, AgentIdentity agent, String version, Path archive) {
      throw failure;
    }

    @Override
    public AgentInfo putCredentials(String endpoint, AgentIdentity agent, MysqlRoleKeys.Credentials credentials) {
      throw failure;
    }

    @Override
    public boolean leave(String endpoint, AgentIdentity agent) {
      throw failure;
    }

    @Override
    public Answer stream(String endpoint, AgentIdentity agent, String path, InputStream body, long length) {
      throw failure;
    }

    @Override
    public String get(String endpoint, AgentIdentity agent, String path) {
      throw failure;
    }
  }
}
