package io.conpaas.reconcilers.mysql;

import com.fasterxml.jackson.core.type.TypeReference;
import io.conpaas.agent.api.AgentJson;
import io.conpaas.agent.api.AgentPaths;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.api.v1alpha1.MysqlServiceSpec;
import io.conpaas.reconcilers.agentclient.AgentCallException;
import io.conpaas.reconcilers.agentclient.AgentClient;
import io.conpaas.reconcilers.code.CodeUploadReceiver;
import io.conpaas.reconcilers.code.DumpTarget;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/** Streams an uploaded dump to the service's running master agent (ConPaaS load_dump) and relays its answer. */
public final class MysqlDumps implements DumpTarget {
  private final KubernetesClient client;
  private final AgentClient agents;

  public MysqlDumps(KubernetesClient client, AgentClient agents) {
    this.client = client;
    this.agents = agents;
  }

  @Override
  public CodeUploadReceiver.Answer apply(String namespace, String service, InputStream dump, long length) {
    Optional<Agent> master = client.resources(Agent.class).inNamespace(namespace)
        .withLabel(ApiConstants.LABEL_SERVICE, service)
        .withLabel(ApiConstants.LABEL_ROLE, MysqlServiceSpec.ROLE_MASTER).list().getItems().stream()
        .filter(a -> a.getStatus() != null && a.getStatus().getPhase() == AgentPhase.Running
            && a.getStatus().getAgentEndpoint() != null)
        .findFirst();
    if (master.isEmpty()) {
      return new CodeUploadReceiver.Answer(409, Map.of("error", "MysqlService " + service
          + " has no running master; nothing was applied"));
    }
    try {
      AgentClient.Answer a = agents.stream(master.get().getStatus().getAgentEndpoint(),
          io.conpaas.reconcilers.agentclient.AgentIdentity.of(master.get()), AgentPaths.MYSQL_DUMP, dump, length);
      Map<String, Object> body;
      try {
        body = AgentJson.mapper().readValue(a.body(), new TypeReference<Map<String, Object>>() {});
      } catch (IOException e) {
        body = Map.of("error", "the master answered " + a.status() + ": " + a.body());
      }
      return new CodeUploadReceiver.Answer(a.status(), body);
    } catch (AgentCallException e) {
      return new CodeUploadReceiver.Answer(502, Map.of("error", "cannot reach the master: " + e.getMessage()
          + " (some statements may have been applied)"));
    }
  }
}
