package io.conpaas.reconcilers.service;

import io.conpaas.agent.api.WebRoleKeys;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.CodeSpec;
import io.conpaas.api.v1alpha1.CodeStatus;
import io.conpaas.api.v1alpha1.CodeVersionStatus;
import io.conpaas.api.v1alpha1.ServiceResource;
import io.conpaas.api.v1alpha1.ServiceStatus;
import io.conpaas.api.v1alpha1.WebServiceSpec;
import io.conpaas.api.v1alpha1.CodeSource;
import io.conpaas.reconcilers.code.CodeSourceFetcher;
import io.conpaas.reconcilers.code.FetchState;
import io.conpaas.reconcilers.code.CodeStore;
import io.conpaas.reconcilers.code.ServiceCode;
import io.conpaas.reconcilers.code.StoredVersion;
import io.conpaas.reconcilers.model.WebTopology;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * PhpService and JavaService (manual 2.3, 2.4): backends, web servers and proxies wired by
 * {@link WebTopology}; the code versions come from the operator's {@link CodeStore}.
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

  @Override
  public Map<String, Map<String, String>> roleConfig(R service, Collection<Agent> agents, Set<String> keep) {
    String active = activeVersion(service);
    boolean stored = active != null && stored(service).stream().anyMatch(v -> v.name().equals(active));
    Map<String, Map<String, String>> config = new java.util.HashMap<>(
        new WebTopology(agents, keep, sessions).config(stored ? active : null, debug.apply(service)));
    database(service).ifPresent(db -> {
      Map<String, String> backend = new java.util.LinkedHashMap<>(config.get(WebServiceSpec.ROLE_BACKEND));
      backend.put(WebRoleKeys.DB_HOST, db.host());
      backend.put(WebRoleKeys.DB_PORT, db.port());
      backend.put(WebRoleKeys.DB_USER, db.user());
      if (db.credentialsVersion() != null) {
        // A password reset changes it, so the backends get the new password.
        backend.put(io.conpaas.agent.api.MysqlRoleKeys.CREDENTIALS_VERSION, db.credentialsVersion());
      }
      config.put(WebServiceSpec.ROLE_BACKEND, backend);
    });
    return config;
  }

  /** The database's password Secret goes to the backends (over mutual TLS, never in config). */
  @Override
  public Map<String, String> roleCredentials(R service) {
    String name = database.apply(service);
    return name == null ? Map.of() : Map.of(WebServiceSpec.ROLE_BACKEND,
        database(service).map(Databases.Database::passwordSecret).orElse(name + "-mysql"));
  }

  private Optional<Databases.Database> database(R service) {
    String name = database.apply(service);
    return name == null || databases == null ? Optional.empty()
        : databases.find(service.getMetadata().getNamespace(), name);
  }

  @Override
  public Map<String, List<String>> roleCode(R service) {
    List<String> versions = stored(service).stream().map(StoredVersion::name).toList();
    return Map.of(WebServiceSpec.ROLE_BACKEND, versions, WebServiceSpec.ROLE_WEB, versions);
  }

  /**
   * Starts fetching spec.code.source when it is not stored yet (off this thread: the fetcher
   * triggers the service again when it ends); a failed fetch is a problem with its reason.
   */
  @Override
  public List<String> problems(R service) {
    List<String> problems = new ArrayList<>();
    CodeSource source = source(service);
    if (source != null) {
      if (source.getGit() != null && !sessions) {
        problems.add("code.source.git: a " + kindName + " serves a war; use code.source.url with the war's sha256");
      } else {
        if (fetcher.poll(id(service), source) instanceof FetchState.Failed failed) {
          problems.add("code.source: " + failed.message());
        }
      }
    }
    activeVersionProblem(service).ifPresent(problems::add);
    String db = database.apply(service);
    if (db != null && databases != null && !databases.exists(service.getMetadata().getNamespace(), db)) {
      problems.add("database: MysqlService " + db + " not found in namespace " + service.getMetadata().getNamespace());
    }
    return problems;
  }

  private Optional<String> activeVersionProblem(R service) {
    String active = activeVersion(service);
    List<StoredVersion> stored = stored(service);
    if (active == null || stored.stream().anyMatch(v -> v.name().equals(active))) {
      return Optional.empty();
    }
    return Optional.of("code.activeVersion " + active + " has not been uploaded (versions: "
        + (stored.isEmpty() ? "none" : String.join(", ", stored.stream().map(StoredVersion::name).toList())) + ")");
  }

  @Override
  public boolean mayRelease(Agent leaving, Collection<Agent> agents, Set<String> keep) {
    return new WebTopology(agents, keep, sessions).mayRelease(leaving);
  }

  @Override
  public void completeStatus(R service, Collection<Agent> agents, Set<String> keep, ServiceStatus status) {
    WebTopology topology = new WebTopology(agents, keep, sessions);
    status.setEndpoints(topology.endpoints());
    CodeStatus code = new CodeStatus();
    code.setVersions(stored(service).stream().map(v -> new CodeVersionStatus(v.name(), v.version().sha256(),
        v.version().bytes(), v.version().format(), v.version().uploaded(), v.origin())).toList());
    code.setActive(topology.servedVersion().orElse(null));
    CodeSource source = source(service);
    if (source != null && (source.getGit() == null || sessions) && fetcher.poll(id(service), source) instanceof FetchState.Fetching fetching) {
      code.setMessage(fetching.message());
    }
    activeVersionProblem(service).ifPresent(code::setMessage);
    status.setCode(code);
  }

  @Override
  public void released(R service) {
    store.delete(id(service));
    fetcher.forget(id(service));
  }

  private List<StoredVersion> stored(R service) {
    return store.list(id(service));
  }

  private ServiceCode id(R service) {
    return new ServiceCode(service.getMetadata().getNamespace(), kindName, service.getMetadata().getName());
  }

  /** spec.code.activeVersion, else the version spec.code.source is stored as, else none (the default page). */
  private String activeVersion(R service) {
    CodeSpec code = service.getSpec().getCode();
    if (code != null && code.getActiveVersion() != null && !code.getActiveVersion().isBlank()) {
      return code.getActiveVersion();
    }
    CodeSource source = source(service);
    return source == null ? null : fetcher.storedVersion(id(service), source).orElse(null);
  }

  private static CodeSource source(ServiceResource<? extends WebServiceSpec> service) {
    CodeSpec code = service.getSpec().getCode();
    return code == null ? null : code.getSource();
  }
}
