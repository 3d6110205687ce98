package io.conpaas.operator;

import io.conpaas.iaas.local.AgentLauncher;
import io.conpaas.operator.faults.ApiWriteInterceptor;
import io.conpaas.operator.faults.CrashHooks;
import io.conpaas.reconcilers.OperatorSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the operator: standard KUBECONFIG or in-cluster configuration, probes, shutdown hook.
 * {@code agent-call NAMESPACE AGENT PATH} instead calls one agent (see {@link AgentCallCommand}).
 */
public final class OperatorMain {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

  private OperatorMain() {}

  public static void main(String[] args) throws Exception {
    OperatorConfig config = OperatorConfig.fromEnvironment();
    if (args.length > 0 && "agent-call".equals(args[0])) {
      // Calling one agent tags no VM: the cluster id is not needed (nor derived).
      System.exit(AgentCallCommand.main(args, config.settings(() -> "unused").operatorNamespace()));
    }
    Path agentJar = config.agentJar();
    if (!Files.isRegularFile(agentJar)) {
      LOG.warn("agent jar {} not found: the local cloud cannot start agents (set CONPAAS_LOCAL_AGENT_JAR)", agentJar);
    }
    AtomicBoolean ready = new AtomicBoolean(false);
    // Test-only crash points (no-op unless -Dconpaas.testHooks=crash-points: see the faults package).
    CrashHooks hooks = CrashHooks.fromEnvironment();
    io.conpaas.operator.faults.StaleAgentReads stale = io.conpaas.operator.faults.StaleAgentReads.fromEnvironment();
    KubernetesClient client = hooks.active() || stale != null
        ? new KubernetesClientBuilder().withHttpClientBuilderConsumer(b -> {
          if (hooks.active()) {
            b.addOrReplaceInterceptor(ApiWriteInterceptor.NAME, new ApiWriteInterceptor(hooks));
          }
          if (stale != null) {
            b.addOrReplaceInterceptor(io.conpaas.operator.faults.StaleAgentReads.NAME, stale);
          }
        }).build()
        : new KubernetesClientBuilder().build();
    OperatorSettings settings;
    try {
      settings = config.settings(() -> ClusterIdentity.derive(client));
    } catch (IllegalStateException | IllegalArgumentException e) {
      LOG.error("cannot start: {}", e.getMessage());
      System.exit(1);
      return;
    }
    CloudDriverFactory drivers = new CloudDriverFactory(settings.localWorkDir(),
        AgentLauncher.javaJar(Path.of(System.getProperty("java.home")), agentJar));
    ConpaasOperator operator;
    try {
      operator = new ConpaasOperator(client, settings, config.leaderElection(), config.code(), drivers,
          Clock.systemUTC(), hooks);
    } catch (IllegalStateException | io.fabric8.kubernetes.client.KubernetesClientException e) {
      LOG.error("cannot start: {}", e.getMessage());
      System.exit(1);
      return;
    }
    HealthServer health;
    try {
      health = new HealthServer(config.healthPort(), () -> live(operator), ready::get, operator::scrapeMetrics);
    } catch (IOException e) {
      // The informers already run (non-daemon threads): without the exit a failed main left a process
      // that never answers its probes.
      LOG.error("cannot start: the probe port {} cannot be bound: {}", config.healthPort(), e.getMessage());
      System.exit(1);
      return;
    }
    int port = health.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      operator.close();
      drivers.close();
      health.close();
      client.close();
      stopped.countDown();
    }));
    operator.start();
    ready.set(true);
    LOG.info("conpaas operator running against {} (cluster id {}, probes on :{}, uploads at {}, healthTimeout {}, "
        + "maxAttempts {})", client.getMasterUrl(), settings.clusterId(), port, operator.uploadBaseUrl(),
        settings.agentHealthTimeout(), settings.agentMaxAttempts());
    stopped.await();
  }

  /** The liveness answer; says in the log why it is no (the kubelet will restart the Pod). */
  private static boolean live(ConpaasOperator operator) {
    java.util.List<String> problems = operator.livenessProblems();
    if (!problems.isEmpty()) {
      LOG.warn("not live: {}", String.join("; ", problems));
    }
    return problems.isEmpty();
  }
}
