package io.conpaas.operator;

import io.conpaas.agent.api.MutualTls;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.KindRegistry;
import io.conpaas.api.v1alpha1.MysqlService;
import io.conpaas.reconcilers.OperatorSettings;
import io.conpaas.reconcilers.agent.AgentContextFactory;
import io.conpaas.reconcilers.agent.TlsBootstrap;
import io.conpaas.reconcilers.agentclient.TlsBootstrapClient;
import io.conpaas.reconcilers.agent.AgentReconciler;
import io.conpaas.operator.faults.CrashHooks;
import io.conpaas.operator.faults.CrashingAgentClient;
import io.conpaas.operator.faults.CrashingDriver;
import io.conpaas.operator.faults.CrashingTlsBootstrapClient;
import io.conpaas.reconcilers.agentclient.HttpsAgentClient;
import io.conpaas.reconcilers.application.ApplicationReconciler;
import io.conpaas.reconcilers.cloud.CachedResources;
import io.conpaas.reconcilers.cloud.CloudInventory;
import io.conpaas.reconcilers.cloud.CloudReconciler;
import io.conpaas.reconcilers.cloud.DriverFactory;
import io.conpaas.reconcilers.cloud.DriverRegistry;
import io.conpaas.reconcilers.cloud.SecretCredentialSource;
import io.conpaas.reconcilers.cloud.TerminationBatcher;
import io.conpaas.reconcilers.code.CodeSourceFetcher;
import io.conpaas.reconcilers.code.CodeStore;
import io.conpaas.reconcilers.code.CodeUploadReceiver;
import io.conpaas.reconcilers.code.CodeUploadReconciler;
import io.conpaas.reconcilers.code.CodeUploadSettings;
import io.conpaas.reconcilers.credits.CreditAccountReconciler;
import io.conpaas.reconcilers.credits.CreditMetrics;
import io.conpaas.reconcilers.mysql.MysqlDatabases;
import io.conpaas.reconcilers.mysql.MysqlDumps;
import io.conpaas.reconcilers.mysql.MysqlSecrets;
import io.conpaas.reconcilers.mysql.SecretWatchScope;
import io.conpaas.reconcilers.pki.CaSecretStore;
import io.conpaas.reconcilers.pki.CertificateAuthority;
import io.conpaas.reconcilers.pki.IssuedCertificate;
import io.conpaas.reconcilers.telemetry.EventRecorder;
import io.conpaas.reconcilers.telemetry.KubernetesEventRecorder;
import io.conpaas.reconcilers.telemetry.VmMetrics;
import io.conpaas.reconcilers.telemetry.CloudApiMetrics;
import io.conpaas.reconcilers.telemetry.MeteredDriver;
import io.conpaas.reconcilers.telemetry.ReconcileErrorCounter;
import io.conpaas.reconcilers.telemetry.ResourceGauges;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * Wires the whole operator by constructor injection: caches, CA, agent client, drivers,
 * reconcilers. Tests start and stop it in-process; {@link OperatorMain} runs it for real.
 */
public final class ConpaasOperator implements AutoCloseable {
  /** CN of the client certificate the operator presents to agents. */
  public static final String OPERATOR_CN = "conpaas-operator";

  private final KubernetesClient client;
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private final Operator operator;
  private final CertificateAuthority ca;
  private final SSLContext agentTls;
  private final TerminationBatcher terminations;
  private final UploadServer uploads;
  private final CodeSourceFetcher fetcher;
  private final String uploadBaseUrl;
  private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ResourceGauges gauges;

  public ConpaasOperator(KubernetesClient client, OperatorSettings settings, DriverFactory drivers, Clock clock) {
    this(client, settings, LeaderElectionSettings.disabled(), CodeSettings.beside(settings.localWorkDir()), drivers,
        clock);
  }

  public ConpaasOperator(KubernetesClient client, OperatorSettings settings, LeaderElectionSettings election,
      DriverFactory drivers, Clock clock) {
    this(client, settings, election, CodeSettings.beside(settings.localWorkDir()), drivers, clock);
  }

  public ConpaasOperator(KubernetesClient client, OperatorSettings settings, LeaderElectionSettings election,
      CodeSettings code, DriverFactory drivers, Clock clock) {
    this(client, settings, election, code, drivers, clock, CrashHooks.NONE);
  }

  /** hooks: test-only crash points on cloud and agent writes (see the faults package; NONE in production). */
  public ConpaasOperator(KubernetesClient client, OperatorSettings settings, LeaderElectionSettings election,
      CodeSettings code, DriverFactory unhookedDrivers, Clock clock, CrashHooks hooks) {
    DriverFactory drivers = hooks.active()
        ? (cloud, creds) -> new CrashingDriver(unhookedDrivers.create(cloud, creds), hooks) : unhookedDrivers;
    this.client = client;
    requireCrds(client);
    refuseVpnOverlaps(client, settings, drivers);
    ensureNamespace(client, settings.operatorNamespace());
    // Refuses (one line) to mint a new CA while Agents have VMs that trust the old one.
    this.ca = new CaSecretStore(client, settings.operatorNamespace()).loadForAgents(settings.namespaces());
    IssuedCertificate me = ca.issueClient(OPERATOR_CN);
    this.agentTls = MutualTls.context(me.certificatePem(), me.privateKeyPem(), ca.certificatePem());
    javax.net.ssl.KeyManager[] operatorKeys = MutualTls.keyManagers(me.certificatePem(), me.privateKeyPem());

    CachedResources<Cloud> clouds = cache(Cloud.class);
    CachedResources<Agent> agents = cache(Agent.class);
    // Every cloud API call is counted and timed at this one seam (the drivers know nothing of it).
    CloudApiMetrics apiMetrics = new CloudApiMetrics(metrics);
    DriverFactory metered = (cloud, creds) -> new MeteredDriver(drivers.create(cloud, creds),
        cloud.getMetadata().getName(), apiMetrics);
    DriverRegistry registry = new DriverRegistry(metered,
        new SecretCredentialSource(client, settings.operatorNamespace()), settings.cloudResync(), clock);
    CloudInventory inventory = new CloudInventory(registry, settings.clusterId(), settings.inventoryMaxAge(), clock);

    EventRecorder events = new KubernetesEventRecorder(client, "conpaas-operator", clock);
    this.operator = new Operator(o -> {
      // Resource versions compared as numbers: a status this operator wrote stays in the controller's
      // cache even when another write (a spec patch) reached the informer first (see SoleWriterStatus).
      o.withKubernetesClient(client).withCloseClientOnStop(false).withParseResourceVersions(true)
          .withMetrics(
          new ReconcileErrorCounter(MicrometerMetrics.withoutPerResourceMetrics(metrics), metrics));
      if (election.enabled()) {
        o.withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder
            .aLeaderElectionConfiguration(election.leaseName())
            .withLeaseNamespace(settings.operatorNamespace())
            .withIdentity(election.identity())
            .withLeaseDuration(election.leaseDuration())
            .withRenewDeadline(election.renewDeadline())
            .withRetryPeriod(election.retryPeriod())
            .withExitOnStopLeading(election.exitOnLoss())
            .build());
      }
    });
    Consumer<ControllerConfigurationOverrider<?>> scope = o -> {
      ReconcileNow.configure(o);
      if (!settings.namespaces().isEmpty()) {
        o.settingNamespaces(settings.namespaces());
      }
      // Primary caches without managedFields (one new store per controller; see LeanCache).
      leanStore(o, settings.namespaces());
    };
    VmMetrics vmMetrics = new VmMetrics(metrics);
    this.gauges = new ResourceGauges(metrics, clouds::all, agents::all, vmMetrics);
    this.terminations = new TerminationBatcher(registry, inventory, vmMetrics, Duration.ofMillis(200));
    CodeStore store = new CodeStore(code.storeDir(), code.limits());
    io.conpaas.reconcilers.agentclient.AgentClient agentClient = hooks.active()
        ? new CrashingAgentClient(new HttpsAgentClient(agentTls, Duration.ofSeconds(3)), hooks)
        : new HttpsAgentClient(agentTls, Duration.ofSeconds(3));
    MysqlSecrets mysqlSecrets = new MysqlSecrets(client);
    try {
      this.uploads = new UploadServer(code.uploadBind(), code.uploadPort(),
          new CodeUploadReceiver(client, store, new MysqlDumps(client, agentClient),
              new io.conpaas.reconcilers.mapreduce.MapReduceJobs(client, agentClient), clock),
          code.uploadRequestTimeout());
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot listen for code uploads on " + code.uploadBind() + ":"
          + code.uploadPort() + ": " + e.getMessage(), e);
    }
    int uploadPort = uploads.start();
    this.uploadBaseUrl = code.publicUrl().isBlank() ? "http://" + code.uploadBind() + ":" + uploadPort
        : code.publicUrl();
    operator.register(new AgentReconciler(clouds, agents, registry, inventory, terminations,
        new AgentContextFactory(ca), new TlsBootstrap(hooks.active()
            ? new CrashingTlsBootstrapClient(operatorKeys, Duration.ofSeconds(3), hooks)
            : new TlsBootstrapClient(operatorKeys, Duration.ofSeconds(3)), ca,
            TlsBootstrap.DEFAULT_VALIDITY),
        CaSecretStore.fingerprint(ca), agentClient, store, mysqlSecrets, settings,
        vmMetrics, events, clock), scope::accept);
    operator.register(new CodeUploadReconciler(store,
        new CodeUploadSettings(uploadBaseUrl, code.urlLifetime(), code.requirePolicy()), clock), scope::accept);
    this.fetcher = new CodeSourceFetcher(store, code.storeDir().resolve(".fetch"), code.source());
    // Clouds are cluster-scoped: the namespace scope does not apply to them.
    operator.register(new CloudReconciler(registry, inventory, terminations, agents, settings, vmMetrics, events,
        clock), ReconcileNow::configure);
    // One controller per registered service kind, and Applications summarise them all.
    KindControllers.Parts parts = new KindControllers.Parts(store, fetcher,
        new MysqlDatabases(cache(MysqlService.class)), mysqlSecrets,
        SecretWatchScope.canWatch(client, settings.namespaces()), events, clock, settings.credits().gate());
    for (Reconciler<?> kind : KindControllers.forRegisteredKinds(parts)) {
      register(kind, scope);
    }
    operator.register(new ApplicationReconciler(KindRegistry.serviceResources(), clock,
        settings.vpn().plan()), scope::accept);
    operator.register(new CreditAccountReconciler(settings.credits(), new CreditMetrics(metrics), events, clock),
        scope::accept);
  }

  public void start() {
    operator.start();
  }

  /**
   * Why the operator is not live (empty when it is): once started, every JOSDK event source and
   * every cache of its own must still watch. Before start nothing is judged (readiness covers it).
   */
  public List<String> livenessProblems() {
    if (!operator.getRuntimeInfo().isStarted()) {
      return List.of();
    }
    java.util.Map<String, Boolean> caches = new java.util.LinkedHashMap<>();
    informers.forEach(i -> caches.put(i.getApiTypeClass().getSimpleName(), i.isRunning()));
    return OperatorHealth.problems(operator.getRuntimeInfo().unhealthyEventSources(), caches);
  }

  /** The TLS context the operator calls agents with (tests use it to call agents too). */
  public SSLContext agentTls() {
    return agentTls;
  }

  /** Where uploaders reach the upload listener (the base of the URLs in CodeUpload status). */
  public String uploadBaseUrl() {
    return uploadBaseUrl;
  }

  public CertificateAuthority certificateAuthority() {
    return ca;
  }

  /** The /metrics text: the cache-computed gauges refreshed, then the registry in Prometheus format. */
  public String scrapeMetrics() {
    gauges.refresh();
    return metrics.scrape();
  }

  /** The operator's metrics (JOSDK's and ours), served in Prometheus format at /metrics. */
  public PrometheusMeterRegistry metrics() {
    return metrics;
  }

  private <R extends io.fabric8.kubernetes.api.model.HasMetadata> void register(Reconciler<R> reconciler,
      Consumer<ControllerConfigurationOverrider<?>> scope) {
    operator.register(reconciler, scope::accept);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void leanStore(ControllerConfigurationOverrider<?> o, java.util.Set<String> namespaces) {
    var store = io.conpaas.reconcilers.LeanCache.storeFor(namespaces);
    if (store != null) {
      ((ControllerConfigurationOverrider) o).withItemStore(store);
    }
  }

  private <T extends io.fabric8.kubernetes.api.model.HasMetadata> CachedResources<T> cache(Class<T> type) {
    SharedIndexInformer<T> informer = client.resources(type).inAnyNamespace().runnableInformer(0);
    informer.itemStore(io.conpaas.reconcilers.LeanCache.store());
    informer.run();
    informers.add(informer);
    return new CachedResources<>(informer);
  }

  /** Fails with one clear line when the CRDs are not installed (instead of an informer stack trace). */
  private static void requireCrds(KubernetesClient client) {
    for (Class<? extends io.fabric8.kubernetes.api.model.HasMetadata> kind : KindRegistry.allResources()) {
      String crd = io.fabric8.kubernetes.api.model.HasMetadata.getPlural(kind) + "."
          + io.fabric8.kubernetes.api.model.HasMetadata.getGroup(kind);
      if (client.apiextensions().v1().customResourceDefinitions().withName(crd).get() == null) {
        throw new IllegalStateException("CRD " + crd + " is not installed: kubectl apply --server-side -f "
            + "helm/conpaas/crds/ (or install the Helm chart)");
      }
    }
  }

  /**
   * Fails with one line naming vpn.baseNetwork/vpn.netmask when the VPN block overlaps a network of
   * the cluster or of a Cloud the operator knows (a Cloud added later gets Ready=False instead).
   */
  private static void refuseVpnOverlaps(KubernetesClient client, OperatorSettings settings, DriverFactory drivers) {
    List<io.conpaas.reconcilers.vpn.VpnNetworks.InUse> inUse =
        new ArrayList<>(io.conpaas.reconcilers.vpn.VpnNetworks.ofCluster(client));
    for (Cloud c : client.resources(Cloud.class).list().getItems()) {
      if (c.getSpec() == null || c.getSpec().getProvider() != io.conpaas.api.v1alpha1.CloudProvider.LOCAL) {
        continue; // only a local Cloud's network is known without calling the cloud
      }
      try {
        drivers.create(c, io.conpaas.reconcilers.cloud.CloudCredentials.NONE).underlayNetworks().forEach(n ->
            inUse.add(new io.conpaas.reconcilers.vpn.VpnNetworks.InUse(n, "the network of Cloud "
                + c.getMetadata().getName())));
      } catch (RuntimeException e) {
        // A Cloud whose driver cannot be made says so in its own Ready condition.
      }
    }
    io.conpaas.reconcilers.vpn.VpnNetworks.overlap(settings.vpn(), inUse).ifPresent(m -> {
      throw new IllegalStateException(m);
    });
  }

  private static void ensureNamespace(KubernetesClient client, String namespace) {
    if (client.namespaces().withName(namespace).get() == null) {
      client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
          .withNewMetadata().withName(namespace).endMetadata().build()).serverSideApply();
    }
  }

  @Override
  public void close() {
    operator.stop();
    terminations.close();
    uploads.close();
    fetcher.close();
    informers.forEach(SharedIndexInformer::close);
  }
}
