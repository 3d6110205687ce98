package io.conpaas.reconcilers.mapreduce;

import com.fasterxml.jackson.core.type.TypeReference;
import io.conpaas.agent.api.AgentJson;
import io.conpaas.agent.api.MapReduceRoleKeys;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.api.v1alpha1.CodeUploadSpec;
import io.conpaas.api.v1alpha1.MapReduceServiceSpec;
import io.conpaas.reconcilers.agentclient.AgentCallException;
import io.conpaas.reconcilers.agentclient.AgentClient;
import io.conpaas.reconcilers.agentclient.AgentIdentity;
import io.conpaas.reconcilers.code.CodeUploadReceiver;
import io.conpaas.reconcilers.code.JobTarget;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Streams a MapReduceService upload to the service's running master agent over its mutual-TLS API:
 * a job jar to {@code PUT /mapreduce/jobs} (the arguments as arg= parameters), a data file to
 * {@code PUT /mapreduce/hdfs?path=...}; relays the agent's answer (202 {"job", "state"} or 201).
 */
public final class MapReduceJobs implements JobTarget {
  private final KubernetesClient client;
  private final AgentClient agents;

  public MapReduceJobs(KubernetesClient client, AgentClient agents) {
    this.client = client;
    this.agents = agents;
  }

  @Override
  public CodeUploadReceiver.Answer accept(String namespace, CodeUploadSpec spec, InputStream body, long length) {
    Optional<Agent> master = client.resources(Agent.class).inNamespace(namespace)
        .withLabel(ApiConstants.LABEL_SERVICE, spec.getService())
        .withLabel(ApiConstants.LABEL_ROLE, MapReduceServiceSpec.ROLE_MASTER).list().getItems().stream()
        .filter(a -> a.getStatus() != null && a.getStatus().getPhase() == AgentPhase.Running
            && a.getStatus().getAgentEndpoint() != null && a.getMetadata().getDeletionTimestamp() == null)
        .findFirst();
    if (master.isEmpty()) {
      return CodeUploadReceiver.Answer.error(409, "MapReduceService " + spec.getService()
          + " has no running master; nothing was submitted");
    }
    String path = agentPath(spec);
    try {
      AgentClient.Answer a = agents.stream(master.get().getStatus().getAgentEndpoint(),
          AgentIdentity.of(master.get()), path, body, length);
      Map<String, Object> answer;
      try {
        answer = AgentJson.mapper().readValue(a.body(), new TypeReference<Map<String, Object>>() {});
      } catch (IOException e) {
        answer = Map.of("error", "the master answered " + a.status() + ": " + a.body());
      }
      return new CodeUploadReceiver.Answer(a.status(), answer);
    } catch (AgentCallException e) {
      return CodeUploadReceiver.Answer.error(502, "cannot reach the master: " + e.getMessage());
    }
  }

  /** The master's path for this upload: its jobs endpoint with the arguments, or its HDFS endpoint with the path. */
  static String agentPath(CodeUploadSpec spec) {
    if (spec.getHdfsPath() != null) {
      return MapReduceRoleKeys.HDFS_FILES_PATH + "?path=" + encode(spec.getHdfsPath());
    }
    List<String> args = spec.getArgs() == null ? List.of() : spec.getArgs();
    return MapReduceRoleKeys.JOBS_PATH + (args.isEmpty() ? ""
        : args.stream().map(a -> "arg=" + encode(a)).collect(Collectors.joining("&", "?", "")));
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
