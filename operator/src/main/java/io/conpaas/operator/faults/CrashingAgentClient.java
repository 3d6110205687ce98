package io.conpaas.operator.faults;

import io.conpaas.agent.api.AgentInfo;
import io.conpaas.agent.api.MysqlRoleKeys;
import io.conpaas.agent.api.VpnConfig;
import io.conpaas.reconcilers.agentclient.AgentClient;
import io.conpaas.reconcilers.agentclient.AgentIdentity;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/** An AgentClient whose writing calls pass the crash hooks; health, info and GETs pass through. */
public final class CrashingAgentClient implements AgentClient {
  private final AgentClient inner;
  private final CrashHooks hooks;

  public CrashingAgentClient(AgentClient inner, CrashHooks hooks) {
    this.inner = inner;
    this.hooks = hooks;
  }

  private <T> T write(String what, Supplier<T> call) {
    hooks.beforeWrite(WriteKind.AGENT, what);
    try {
      return call.get();
    } finally {
      hooks.afterWrite(WriteKind.AGENT, what);
    }
  }

  @Override
  public boolean healthy(String endpoint, AgentIdentity agent) {
    return inner.healthy(endpoint, agent);
  }

  @Override
  public AgentInfo info(String endpoint, AgentIdentity agent) {
    return inner.info(endpoint, agent);
  }

  @Override
  public AgentInfo configure(String endpoint, AgentIdentity agent, Map<String, String> config) {
    return write("configure " + endpoint, () -> inner.configure(endpoint, agent, config));
  }

  @Override
  public void uploadCode(String endpoint, AgentIdentity agent, String version, Path archive) {
    write("code " + version + " " + endpoint, () -> {
      inner.uploadCode(endpoint, agent, version, archive);
      return null;
    });
  }

  @Override
  public AgentInfo putCredentials(String endpoint, AgentIdentity agent, MysqlRoleKeys.Credentials credentials) {
    return write("credentials " + endpoint, () -> inner.putCredentials(endpoint, agent, credentials));
  }

  @Override
  public boolean leave(String endpoint, AgentIdentity agent) {
    return write("leave " + endpoint, () -> inner.leave(endpoint, agent));
  }

  @Override
  public Answer stream(String endpoint, AgentIdentity agent, String path, InputStream body, long length) {
    return write("stream " + path + " " + endpoint, () -> inner.stream(endpoint, agent, path, body, length));
  }

  @Override
  public AgentInfo putVpn(String endpoint, AgentIdentity agent, VpnConfig config) {
    return write("vpn " + endpoint, () -> inner.putVpn(endpoint, agent, config));
  }

  @Override
  public String get(String endpoint, AgentIdentity agent, String path) {
    return inner.get(endpoint, agent, path);
  }
}
