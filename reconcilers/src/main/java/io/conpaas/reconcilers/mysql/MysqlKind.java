package io.conpaas.reconcilers.mysql;

import io.conpaas.agent.api.MysqlRoleKeys;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.Endpoint;
import io.conpaas.api.v1alpha1.MysqlService;
import io.conpaas.api.v1alpha1.MysqlServiceSpec;
import io.conpaas.api.v1alpha1.MysqlServiceStatus;
import io.conpaas.api.v1alpha1.MysqlStatus;
import io.conpaas.api.v1alpha1.ReplicaStatus;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.api.v1alpha1.ServiceStatus;
import io.conpaas.reconcilers.model.PeerAddress;
import io.conpaas.reconcilers.service.KindPlan;
import io.conpaas.reconcilers.service.Observation;
import io.conpaas.reconcilers.service.ServiceContext;
import io.conpaas.reconcilers.service.ServiceKind;
import io.conpaas.reconcilers.service.StatusCopy;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The MySQL service (manual 2.5): one master and slaves seeded from it and replicating. The
 * passwords live in a Secret only; agents get them over mutual TLS, and the Secret's
 * resourceVersion in their configuration makes a password reset reach every agent.
 */
public final class MysqlKind implements ServiceKind<MysqlService> {
  private final MysqlSecrets secrets;

  public MysqlKind(MysqlSecrets secrets) {
    this.secrets = secrets;
  }

  /** The Secret holding the service's passwords: spec.passwordSecretRef, else {@code <service>-mysql}. */
  public static String secretName(MysqlService service) {
    var ref = service.getSpec().getPasswordSecretRef();
    return ref != null && ref.getName() != null ? ref.getName() : service.getMetadata().getName() + "-mysql";
  }

  @Override
  public String scaleRole() {
    return MysqlServiceSpec.ROLE_SLAVES;
  }

  /** Creates the password Secret when missing (the one call that touches the API besides Agents); notes its version. */
  @Override
  public Observation observe(ServiceContext<MysqlService> context) {
    String secret = secretName(context.service());
    try {
      return Observation.NONE.withSecretVersion(secret, secrets.ensure(context.service(), secret));
    } catch (IllegalStateException e) {
      return Observation.NONE.withProblem("passwordSecretRef: " + e.getMessage());
    }
  }

  @Override
  public KindPlan plan(ServiceContext<MysqlService> context) {
    MysqlService service = context.service();
    Collection<Agent> agents = context.agents();
    String secret = secretName(service);
    Optional<String> version = context.observed().secretVersion(secret);
    Map<String, String> common = new LinkedHashMap<>();
    version.ifPresent(v -> common.put(MysqlRoleKeys.CREDENTIALS_VERSION, v));
    Map<String, String> slaves = new LinkedHashMap<>(common);
    String slaveCloud = agents.stream().filter(a -> MysqlServiceSpec.ROLE_SLAVES.equals(a.getSpec().getRole()))
        .map(a -> a.getSpec().getCloud()).findFirst().orElse(null);
    Optional<Agent> master = master(agents, context.keep());
    master.ifPresent(m -> {
      String host = PeerAddress.host(m, slaveCloud);
      String port = m.getStatus().getFacts().get(MysqlRoleKeys.PORT);
      if (host != null && port != null) {
        slaves.put(MysqlRoleKeys.MASTER_HOST, host);
        slaves.put(MysqlRoleKeys.MASTER_PORT, port);
      }
    });
    return KindPlan.of(Map.of(MysqlServiceSpec.ROLE_MASTER, common, MysqlServiceSpec.ROLE_SLAVES, slaves))
        // Unique per server of the replication group: 1 for the master, 10 + slot for slaves.
        .withAgentConfig((role, index) -> Map.of(MysqlRoleKeys.SERVER_ID, Integer.toString(
            MysqlServiceSpec.ROLE_MASTER.equals(role) ? 1 : 10 + index)))
        .withCredentials(Map.of(MysqlServiceSpec.ROLE_MASTER, secret, MysqlServiceSpec.ROLE_SLAVES, secret))
        // The master's data is on its VM only: losing it is reported, never papered over with an empty master.
        .withStatefulRoles(Set.of(MysqlServiceSpec.ROLE_MASTER))
        .withReady(MysqlKind::ready)
        .withStatus(s -> status(s, service, agents, master, version.orElse(null)));
  }

  /** A slave counts only once it replicates (seeded from the master, both threads running). */
  static boolean ready(Agent agent) {
    return !MysqlServiceSpec.ROLE_SLAVES.equals(agent.getSpec().getRole())
        || "true".equals(agent.getStatus().getFacts().get(MysqlRoleKeys.REPLICATING));
  }

  private static MysqlServiceStatus status(ServiceStatus common, MysqlService service, Collection<Agent> agents,
      Optional<Agent> master, String credentialsVersion) {
    MysqlServiceStatus status = StatusCopy.as(common, MysqlServiceStatus.class);
    MysqlStatus mysql = new MysqlStatus();
    mysql.setPasswordSecret(secretName(service));
    mysql.setUser(MysqlRoleKeys.USER);
    mysql.setCredentialsVersion(credentialsVersion);
    mysql.setReplicas(agents.stream()
        .filter(a -> MysqlServiceSpec.ROLE_SLAVES.equals(a.getSpec().getRole()) && a.getStatus() != null)
        .sorted(Comparator.comparing(a -> a.getMetadata().getName()))
        .map(a -> new ReplicaStatus(a.getMetadata().getName(),
            "true".equals(a.getStatus().getFacts().get(MysqlRoleKeys.REPLICATING)),
            seconds(a.getStatus().getFacts().get(MysqlRoleKeys.SECONDS_BEHIND))))
        .toList());
    mysql.setVpnAddress(master.map(m -> m.getStatus() == null || m.getStatus().getAddresses() == null ? null
        : m.getStatus().getAddresses().getVpn()).orElse(null));
    status.setMysql(mysql);
    status.setEndpoints(master.map(m -> {
      String host = PeerAddress.host(m, true);
      String port = m.getStatus().getFacts().get(MysqlRoleKeys.PORT);
      return host == null || port == null ? List.<Endpoint>of()
          : List.of(new Endpoint("mysql", PeerAddress.bracketed(host) + ":" + port));
    }).orElse(List.of()));
    // A master that ran and stopped answering: say so plainly (ConPaaS had no fail-over either).
    agents.stream().filter(a -> MysqlServiceSpec.ROLE_MASTER.equals(a.getSpec().getRole()))
        .filter(a -> a.getStatus() != null && a.getStatus().getPhase() != AgentPhase.Running)
        .filter(a -> a.getStatus().getPhase() == AgentPhase.Failed
            || a.getStatus().getVmSerial() != null && a.getStatus().getVmSerial() > 1)
        .findFirst()
        .filter(a -> status.getState() != ServiceState.STOPPED && status.getState() != ServiceState.EPILOGUE)
        .ifPresent(a -> status.setMessage("master " + a.getMetadata().getName() + " is down ("
            + a.getStatus().getMessage() + "); writes fail until it is back; " + status.getMessage()));
    return status;
  }

  private static Optional<Agent> master(Collection<Agent> agents, java.util.Set<String> keep) {
    return agents.stream()
        .filter(a -> MysqlServiceSpec.ROLE_MASTER.equals(a.getSpec().getRole()))
        .filter(a -> keep.contains(a.getMetadata().getName()))
        .filter(a -> a.getStatus() != null && a.getStatus().getPhase() == AgentPhase.Running)
        .filter(a -> a.getStatus().getFacts().containsKey(MysqlRoleKeys.PORT))
        .findFirst();
  }

  private static Long seconds(String v) {
    try {
      return v == null ? null : Long.parseLong(v);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
