package io.conpaas.reconcilers.service;

import io.conpaas.agent.api.WebRoleKeys;
import io.conpaas.agent.api.MysqlRoleKeys;
import io.conpaas.api.v1alpha1.CodeSpec;
import io.conpaas.api.v1alpha1.CodeStatus;
import io.conpaas.api.v1alpha1.CodeVersionStatus;
import io.conpaas.api.v1alpha1.ServiceResource;
import io.conpaas.api.v1alpha1.ServiceStatus;
import io.conpaas.api.v1alpha1.WebServiceStatus;
import io.conpaas.api.v1alpha1.WebServiceSpec;
import io.conpaas.api.v1alpha1.CodeSource;
import io.conpaas.reconcilers.code.CodeSourceFetcher;
import io.conpaas.reconcilers.code.FetchState;
import io.conpaas.reconcilers.code.CodeStore;
import io.conpaas.reconcilers.code.ServiceCode;
import io.conpaas.reconcilers.code.StoredVersion;
import io.conpaas.reconcilers.model.WebTopology;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * PhpService and JavaService (manual 2.3, 2.4): backends, web servers and proxies wired by
 * {@link WebTopology}; the code versions come from the operator's {@link CodeStore}. Observing
 * starts or polls the fetch of spec.code.source and reads the stored versions and the database;
 * the plan is pure.
 */
public final class WebKind<R extends ServiceResource<? extends WebServiceSpec>> implements ServiceKind<R> {
  private final String kindName;
  private final CodeStore store;
  private final CodeSourceFetcher fetcher;
  private final boolean sessions;
  private final Function<R, Boolean> debug;
  private final Function<R, String> database;
  private final Databases databases;

  /**
   * sessions: backends share PHP sessions through the proxy; debug: the kind's debug setting
   * (null when it has none).
   */
  public WebKind(String kindName, CodeStore store, CodeSourceFetcher fetcher, boolean sessions,
      Function<R, Boolean> debug) {
    this(kindName, store, fetcher, sessions, debug, s -> null, null);
  }

  /** With database: the name of the MysqlService the kind's backends use (null: none), found by databases. */
  public WebKind(String kindName, CodeStore store, CodeSourceFetcher fetcher, boolean sessions,
      Function<R, Boolean> debug, Function<R, String> database, Databases databases) {
    this.database = database;
    this.databases = databases;
    this.kindName = kindName;
    this.store = store;
    this.fetcher = fetcher;
    this.sessions = sessions;
    this.debug = debug;
  }

  @Override
  public String scaleRole() {
    return WebServiceSpec.ROLE_BACKEND;
  }

  /**
   * Starts fetching spec.code.source when it is not stored yet (off this thread: the fetcher
   * triggers the service again when it ends), then reads the stored versions and the database.
   */
  @Override
  public Observation observe(ServiceContext<R> context) {
    R service = context.service();
    Observation o = Observation.NONE;
    CodeSource source = source(service);
    Optional<FetchState> fetch = Optional.empty();
    if (source != null && (source.getGit() == null || sessions)) {
      fetch = Optional.of(fetcher.poll(id(service), source));
    }
    o = o.withCode(store.list(id(service)), fetch);
    String db = database.apply(service);
    if (db != null && databases != null) {
      if (!databases.exists(context.namespace(), db)) {
        o = o.withProblem("database: MysqlService " + db + " not found in namespace " + context.namespace());
      }
      o = o.withDatabase(databases.find(context.namespace(), db));
    }
    return o;
  }

  @Override
  public KindPlan plan(ServiceContext<R> context) {
    R service = context.service();
    Observation seen = context.observed();
    WebTopology topology = new WebTopology(context.agents(), context.keep(), sessions);
    List<String> versions = seen.codeVersions().stream().map(StoredVersion::name).toList();
    String active = activeVersion(service, seen);
    Map<String, Map<String, String>> config = new HashMap<>(
        topology.config(active != null && versions.contains(active) ? active : null, debug.apply(service)));
    seen.database().ifPresent(db -> {
      Map<String, String> backend = new LinkedHashMap<>(config.get(WebServiceSpec.ROLE_BACKEND));
      // Over the application's VPN when the database is on it too (MySQL sees the backends' VPN addresses).
      backend.put(WebRoleKeys.DB_HOST, db.hostFor(service.getSpec().getApplication(),
          context.application().map(io.conpaas.reconcilers.vpn.ServiceVpn::enabled).orElse(false)));
      backend.put(WebRoleKeys.DB_PORT, db.port());
      backend.put(WebRoleKeys.DB_USER, db.user());
      if (db.credentialsVersion() != null) {
        // A password reset changes it, so the backends get the new password.
        backend.put(MysqlRoleKeys.CREDENTIALS_VERSION, db.credentialsVersion());
      }
      config.put(WebServiceSpec.ROLE_BACKEND, backend);
    });
    String dbName = database.apply(service);
    // The database's password Secret goes to the backends (over mutual TLS, never in config).
    Map<String, String> credentials = dbName == null ? Map.of() : Map.of(WebServiceSpec.ROLE_BACKEND,
        seen.database().map(Databases.Database::passwordSecret).orElse(dbName + "-mysql"));
    return KindPlan.of(config)
        .withCredentials(credentials)
        .withCode(Map.of(WebServiceSpec.ROLE_BACKEND, versions, WebServiceSpec.ROLE_WEB, versions))
        .withMayRelease(topology::mayRelease)
        .withProblems(problems(service, seen))
        .withStatus(common -> status(common, service, seen, topology));
  }

  private List<String> problems(R service, Observation seen) {
    List<String> problems = new ArrayList<>();
    CodeSource source = source(service);
    if (source != null && source.getGit() != null && !sessions) {
      problems.add("code.source.git: a " + kindName + " serves a war; use code.source.url with the war's sha256");
    }
    seen.codeFetch().filter(FetchState.Failed.class::isInstance)
        .ifPresent(f -> problems.add("code.source: " + ((FetchState.Failed) f).message()));
    activeVersionProblem(service, seen).ifPresent(problems::add);
    return problems;
  }

  private Optional<String> activeVersionProblem(R service, Observation seen) {
    String active = activeVersion(service, seen);
    List<StoredVersion> stored = seen.codeVersions();
    if (active == null || stored.stream().anyMatch(v -> v.name().equals(active))) {
      return Optional.empty();
    }
    return Optional.of("code.activeVersion " + active + " has not been uploaded (versions: "
        + (stored.isEmpty() ? "none" : String.join(", ", stored.stream().map(StoredVersion::name).toList())) + ")");
  }

  private WebServiceStatus status(ServiceStatus common, R service, Observation seen, WebTopology topology) {
    WebServiceStatus status = StatusCopy.as(common, WebServiceStatus.class);
    status.setEndpoints(topology.endpoints());
    CodeStatus code = new CodeStatus();
    code.setVersions(seen.codeVersions().stream().map(v -> new CodeVersionStatus(v.name(), v.version().sha256(),
        v.version().bytes(), v.version().format(), v.version().uploaded(), v.origin())).toList());
    code.setActive(topology.servedVersion().orElse(null));
    seen.codeFetch().filter(FetchState.Fetching.class::isInstance)
        .ifPresent(f -> code.setMessage(((FetchState.Fetching) f).message()));
    activeVersionProblem(service, seen).ifPresent(code::setMessage);
    status.setCode(code);
    return status;
  }

  @Override
  public void released(R service) {
    store.delete(id(service));
    fetcher.forget(id(service));
  }

  private ServiceCode id(R service) {
    return new ServiceCode(service.getMetadata().getNamespace(), kindName, service.getMetadata().getName());
  }

  /** spec.code.activeVersion, else the version spec.code.source is stored as, else none (the default page). */
  private static String activeVersion(ServiceResource<? extends WebServiceSpec> service, Observation seen) {
    CodeSpec code = service.getSpec().getCode();
    if (code != null && code.getActiveVersion() != null && !code.getActiveVersion().isBlank()) {
      return code.getActiveVersion();
    }
    return source(service) == null ? null : seen.fetchedVersion().orElse(null);
  }

  private static CodeSource source(ServiceResource<? extends WebServiceSpec> service) {
    CodeSpec code = service.getSpec().getCode();
    return code == null ? null : code.getSource();
  }
}
