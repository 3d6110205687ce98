package io.conpaas.operator;

import io.conpaas.agent.api.MutualTls;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.reconcilers.agentclient.AgentCallException;
import io.conpaas.reconcilers.agentclient.HttpsAgentClient;
import io.conpaas.reconcilers.pki.CaSecretStore;
import io.conpaas.reconcilers.pki.CertificateAuthority;
import io.conpaas.reconcilers.pki.IssuedCertificate;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.PrintStream;
import java.time.Duration;

/**
 * {@code agent-call NAMESPACE AGENT PATH}: calls one agent's HTTPS endpoint the way the operator
 * does (a client certificate from the operator's CA, which the caller must be allowed to read),
 * e.g. the helloworld role's /helloworld. A debugging aid for administrators and the quickstart.
 */
public final class AgentCallCommand {
  private final KubernetesClient client;
  private final String operatorNamespace;

  public AgentCallCommand(KubernetesClient client, String operatorNamespace) {
    this.client = client;
    this.operatorNamespace = operatorNamespace;
  }

  /** Runs the call and returns the process exit code; prints the answer or one error line. */
  public int run(String namespace, String agentName, String path, PrintStream out, PrintStream err) {
    Agent agent = client.resources(Agent.class).inNamespace(namespace).withName(agentName).get();
    if (agent == null) {
      err.println("error: agent " + namespace + "/" + agentName + " not found");
      return 1;
    }
    if (agent.getStatus() == null || agent.getStatus().getAgentEndpoint() == null) {
      err.println("error: agent " + agentName + " has no endpoint yet (phase "
          + (agent.getStatus() == null ? "Pending" : agent.getStatus().getPhase()) + ")");
      return 1;
    }
    if (client.secrets().inNamespace(operatorNamespace).withName(CaSecretStore.SECRET_NAME).get() == null) {
      err.println("error: no CA Secret " + operatorNamespace + "/" + CaSecretStore.SECRET_NAME
          + " (is the operator running, and may you read it?)");
      return 1;
    }
    CertificateAuthority ca = new CaSecretStore(client, operatorNamespace).loadOrCreate();
    IssuedCertificate me = ca.issueClient(ConpaasOperator.OPERATOR_CN);
    HttpsAgentClient agents = new HttpsAgentClient(
        MutualTls.context(me.certificatePem(), me.privateKeyPem(), ca.certificatePem()), Duration.ofSeconds(5));
    try {
      out.println(agents.get(agent.getStatus().getAgentEndpoint(),
          io.conpaas.reconcilers.agentclient.AgentIdentity.of(agent), path));
      return 0;
    } catch (AgentCallException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
  }

  /** Entry point used by {@link OperatorMain} for {@code agent-call}. */
  static int main(String[] args, String operatorNamespace) {
    if (args.length != 4) {
      System.err.println("usage: agent-call NAMESPACE AGENT PATH   (e.g. agent-call default hw-agents-0 /helloworld)");
      return 2;
    }
    try (KubernetesClient client = new KubernetesClientBuilder().build()) {
      return new AgentCallCommand(client, operatorNamespace).run(args[1], args[2], args[3], System.out, System.err);
    }
  }
}
