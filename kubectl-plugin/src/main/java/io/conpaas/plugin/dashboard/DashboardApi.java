package io.conpaas.plugin.dashboard;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.CreditAccount;
import io.conpaas.plugin.ServiceKind;
import io.conpaas.plugin.ServiceObject;
import io.conpaas.plugin.ServicePatcher;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The dashboard's JSON calls, each one or a few API server requests made with the caller's own
 * client (their kubeconfig credentials): RBAC decides, and refusals come back as {@link ActionError}s
 * with the API server's message. Generic over every kind of the {@link KindCatalog}.
 */
public final class DashboardApi {
  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
  private static final ResourceDefinitionContext AGENTS = ResourceDefinitionContext.fromResourceType(Agent.class);
  private static final int MAX_EVENTS = 30;

  private final KubernetesClient client;
  private final KindCatalog catalog;
  private final PluginActions actions;
  private final String defaultNamespace;

  public DashboardApi(KubernetesClient client, KindCatalog catalog, PluginActions actions, String defaultNamespace) {
    this.client = client;
    this.catalog = catalog;
    this.actions = actions;
    this.defaultNamespace = defaultNamespace;
  }

  /** The caller's client (the live updates watch with it too). */
  KubernetesClient client() {
    return client;
  }

  KindCatalog catalog() {
    return catalog;
  }

  /** What the page needs first: the namespace to show, the API server and the kinds. */
  public Map<String, Object> session() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("namespace", defaultNamespace);
    m.put("server", client.getMasterUrl().toString());
    m.put("kinds", catalog.describe());
    return m;
  }

  /**
   * Every service of every kind in {@code ns}, summarised for the list, plus the credits; kinds the
   * caller may not list are named in {@code warnings} instead of failing the page.
   */
  public Map<String, Object> services(String ns) {
    namespace(ns);
    List<Map<String, Object>> items = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    int refused = 0;
    for (ServiceKind kind : catalog.kinds().all()) {
      try {
        for (GenericKubernetesResource o : client.genericKubernetesResources(kind.context()).inNamespace(ns).list()
            .getItems()) {
          items.add(summary(new ServiceObject(kind, o)));
        }
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          continue; // this kind's CRD is not installed in this cluster
        }
        if (e.getCode() != 403) {
          throw e;
        }
        refused++;
        warnings.add("Not allowed to list " + kind.resource() + " in namespace " + ns + ": not shown.");
      }
    }
    if (refused > 0 && refused == catalog.kinds().all().size()) {
      throw new ActionError(403, "Not allowed to list any service kind in namespace " + ns + ".");
    }
    items.sort(Comparator.comparing((Map<String, Object> m) -> String.valueOf(m.get("application")))
        .thenComparing(m -> String.valueOf(m.get("kind"))).thenComparing(m -> String.valueOf(m.get("name"))));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("namespace", ns);
    m.put("items", items);
    m.put("warnings", warnings);
    m.put("credits", credits(ns));
    return m;
  }

  /** One service with its Agents (instances), recent Events and the namespace's credits. */
  public Map<String, Object> service(String ns, String kindName, String name) {
    ServiceObject s = find(ns, kindName, name);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("summary", summary(s));
    m.put("object", trimmed(s.object()));
    List<GenericKubernetesResource> agents = agents(s);
    m.put("agents", agents.stream().map(DashboardApi::trimmed).toList());
    m.put("events", events(s, agents));
    m.put("credits", credits(ns));
    return m;
  }

  /** Sets a role's nodes: the /scale subresource for the scale role, else a merge patch of spec.ROLE.nodes. */
  public Map<String, Object> scale(String ns, String kindName, String name, String role, int nodes) {
    ServiceObject s = find(ns, kindName, name);
    if (!s.kind().roles().contains(role)) {
      throw new ActionError(400, s.ref() + " has no role " + role + "; its roles: " + String.join(", ", s.kind().roles()));
    }
    String fixed = s.kind().fixedRoles().get(role);
    if (fixed != null) {
      throw new ActionError(400, "The nodes of role " + role + " cannot change: " + fixed + ".");
    }
    if (nodes < 0) {
      throw new ActionError(400, "The number of nodes cannot be negative.");
    }
    Resource<GenericKubernetesResource> r = resource(s);
    if (role.equals(s.kind().scaleRole())) {
      r.subresource("scale").patch(patchContext(), "{\"spec\":{\"replicas\":" + nodes + "}}");
    } else {
      r.patch(patchContext(), "{\"spec\":{" + json(role) + ":{\"nodes\":" + nodes + "}}}");
    }
    return Map.of("message", s.ref() + ": " + role + " set to " + nodes + " node" + (nodes == 1 ? "" : "s") + ".");
  }

  /** Stops (releases every agent, keeps the rest) or starts a service: spec.stopped. */
  public Map<String, Object> setStopped(String ns, String kindName, String name, boolean stopped) {
    ServiceObject s = find(ns, kindName, name);
    resource(s).patch(patchContext(), "{\"spec\":{\"stopped\":" + stopped + "}}");
    return Map.of("message", s.ref() + (stopped ? ": stopping." : ": starting."));
  }

  /** Terminates (deletes) a service, only when {@code confirm} repeats its name. */
  public Map<String, Object> terminate(String ns, String kindName, String name, String confirm) {
    ServiceObject s = find(ns, kindName, name);
    if (!name.equals(confirm)) {
      throw new ActionError(400, "Type the service's name (" + name + ") to confirm terminating it.");
    }
    resource(s).delete();
    return Map.of("message", s.ref() + ": terminating (every agent is released first).");
  }

  /** Creates a service of {@code kindName} from the form's spec; the API server validates it. */
  public Map<String, Object> create(String ns, String kindName, String name, Map<String, Object> spec) {
    namespace(ns);
    ServiceKind kind = kind(kindName);
    if (name == null || name.isBlank()) {
      throw new ActionError(400, "A service needs a name.");
    }
    GenericKubernetesResource o = new GenericKubernetesResource();
    o.setApiVersion(kind.apiVersion());
    o.setKind(kind.kind());
    ObjectMeta meta = new ObjectMeta();
    meta.setName(name); // the API server checks the name's syntax and answers in its own words
    meta.setNamespace(ns);
    o.setMetadata(meta);
    o.setAdditionalProperty("spec", spec == null ? Map.of() : spec);
    client.genericKubernetesResources(kind.context()).inNamespace(ns).resource(o)
        .create(); // its field manager is the user agent's product: kubectl-conpaas
    return Map.of("message", kind.ref(name) + " created.");
  }

  /** Activates a code version (also a rollback: activating an older one): spec.code.activeVersion. */
  public Map<String, Object> activate(String ns, String kindName, String name, String version) {
    ServiceObject s = find(ns, kindName, name);
    if (version == null || version.isBlank()) {
      throw new ActionError(400, "No version given.");
    }
    resource(s).patch(patchContext(), "{\"spec\":{\"code\":{\"activeVersion\":" + json(version) + "}}}");
    return Map.of("message", s.ref() + ": activating " + version + ".");
  }

  /** Uploads an archive through the plugin's authorized CodeUpload path, optionally activating it. */
  public Map<String, Object> upload(String ns, String kindName, String name, String version, boolean activate,
      Path archive) throws Exception {
    ServiceObject s = find(ns, kindName, name);
    if (!s.kind().has(ServiceKind.Feature.CODE)) {
      throw new ActionError(400, s.kind().kind() + " has no code versions.");
    }
    String stored = actions.uploadCode(s, version == null || version.isBlank() ? null : version, archive);
    if (activate) {
      activate(ns, kindName, name, stored);
    }
    return Map.of("message", s.ref() + ": uploaded " + stored + (activate ? ", activating it." : "."),
        "version", stored);
  }

  /** A MySQL service's new password, into its Secret (the operator rolls it out to the agents). */
  public Map<String, Object> resetPassword(String ns, String kindName, String name, String password) {
    ServiceObject s = find(ns, kindName, name);
    if (!s.kind().has(ServiceKind.Feature.DATABASE)) {
      throw new ActionError(400, s.kind().kind() + " has no database password.");
    }
    if (password == null || password.length() < 8 || !password.equals(password.strip())
        || password.chars().anyMatch(Character::isISOControl)) {
      throw new ActionError(400, "The password needs at least 8 characters, no control characters and no blank "
          + "at either end.");
    }
    actions.resetPassword(s, password);
    return Map.of("message", s.ref() + ": password set in Secret " + s.passwordSecret()
        + "; the agents switch to it shortly.");
  }

  ServiceObject find(String ns, String kindName, String name) {
    namespace(ns);
    ServiceKind kind = kind(kindName);
    if (name == null || !NAME.matcher(name).matches()) {
      throw new ActionError(400, "Not a service name: " + name);
    }
    GenericKubernetesResource o = client.genericKubernetesResources(kind.context()).inNamespace(ns).withName(name).get();
    if (o == null) {
      throw new ActionError(404, kind.ref(name) + " not found in namespace " + ns + ".");
    }
    return new ServiceObject(kind, o);
  }

  ServiceKind kind(String kindName) {
    return catalog.kinds().all().stream().filter(k -> k.kind().equals(kindName)).findFirst()
        .orElseThrow(() -> new ActionError(400, "Unknown service kind: " + kindName));
  }

  static String namespace(String ns) {
    if (ns == null || !NAMESPACE.matcher(ns).matches()) {
      throw new ActionError(400, "Not a namespace name: " + ns);
    }
    return ns;
  }

  private Map<String, Object> summary(ServiceObject s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", s.kind().kind());
    m.put("name", s.name());
    m.put("application", s.application());
    m.put("state", s.state());
    m.put("stopped", s.stopped());
    List<Map<String, Object>> roles = new ArrayList<>();
    for (String role : s.kind().roles()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("role", role);
      r.put("nodes", s.nodes(role));
      r.put("desired", s.desired(role));
      r.put("ready", s.ready(role));
      roles.add(r);
    }
    m.put("roles", roles);
    m.put("endpoint", s.endpoint());
    m.put("created", s.object().getMetadata().getCreationTimestamp());
    m.put("deleting", s.object().getMetadata().getDeletionTimestamp() != null);
    return m;
  }

  private List<GenericKubernetesResource> agents(ServiceObject s) {
    try {
      return client.genericKubernetesResources(AGENTS).inNamespace(s.namespace())
          .withLabel(io.conpaas.api.v1alpha1.ApiConstants.LABEL_SERVICE, s.name()).list().getItems().stream()
          .filter(a -> ownedBy(a, s)).sorted(Comparator.comparing(a -> a.getMetadata().getName())).toList();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403 || e.getCode() == 404) {
        return List.of();
      }
      throw e;
    }
  }

  /** Agents name their service in a label; the owner reference tells kinds sharing a name apart. */
  private static boolean ownedBy(GenericKubernetesResource agent, ServiceObject s) {
    List<OwnerReference> owners = agent.getMetadata().getOwnerReferences();
    return owners == null || owners.isEmpty()
        || owners.stream().anyMatch(o -> s.kind().kind().equals(o.getKind()) && s.name().equals(o.getName()));
  }

  private List<Map<String, Object>> events(ServiceObject s, List<GenericKubernetesResource> agents) {
    List<Event> all = new ArrayList<>();
    try {
      all.addAll(client.v1().events().inNamespace(s.namespace()).withField("involvedObject.name", s.name()).list()
          .getItems());
      for (GenericKubernetesResource a : agents) {
        all.addAll(client.v1().events().inNamespace(s.namespace())
            .withField("involvedObject.name", a.getMetadata().getName()).list().getItems());
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != 403) {
        throw e;
      }
      return List.of(Map.of("reason", "", "message", "Not allowed to read Events in this namespace.", "type", "Warning"));
    }
    return all.stream().sorted(Comparator.comparing(DashboardApi::eventTime).reversed()).limit(MAX_EVENTS)
        .map(e -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("time", eventTime(e).toString());
          m.put("type", e.getType());
          m.put("reason", e.getReason());
          m.put("object", e.getInvolvedObject() == null ? null
              : e.getInvolvedObject().getKind() + "/" + e.getInvolvedObject().getName());
          m.put("message", e.getMessage());
          m.put("count", e.getCount());
          return m;
        }).toList();
  }

  private static Instant eventTime(Event e) {
    for (String t : new String[] {e.getLastTimestamp(), e.getEventTime() == null ? null : e.getEventTime().getTime(),
        e.getFirstTimestamp(), e.getMetadata().getCreationTimestamp()}) {
      if (t != null && !t.isBlank()) {
        try {
          return Instant.parse(t);
        } catch (RuntimeException ignored) {
          // try the next field
        }
      }
    }
    return Instant.EPOCH;
  }

  /** The namespace's CreditAccount as {credits, used, remaining, exhausted}; null when it has none or may not read it. */
  private Map<String, Object> credits(String ns) {
    CreditAccount a;
    try {
      a = client.resources(CreditAccount.class).inNamespace(ns).withName(CreditAccount.NAME).get();
    } catch (KubernetesClientException e) {
      return null;
    }
    if (a == null) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("credits", a.getSpec() == null ? null : a.getSpec().getCredits());
    m.put("used", a.getStatus() == null ? null : a.getStatus().getUsed());
    m.put("remaining", a.getStatus() == null ? null : a.getStatus().getRemaining());
    m.put("exhausted", a.getStatus() != null && Boolean.TRUE.equals(a.getStatus().getExhausted()));
    return m;
  }

  /** The object without managedFields (large, and of no use to the page). */
  private static HasMetadata trimmed(GenericKubernetesResource o) {
    o.getMetadata().setManagedFields(null);
    return o;
  }

  private Resource<GenericKubernetesResource> resource(ServiceObject s) {
    return client.genericKubernetesResources(s.kind().context()).inNamespace(s.namespace()).withName(s.name());
  }

  private static PatchContext patchContext() {
    PatchContext ctx = PatchContext.of(PatchType.JSON_MERGE);
    ctx.setFieldManager(ServicePatcher.FIELD_MANAGER);
    return ctx;
  }

  private static String json(String s) {
    return io.fabric8.kubernetes.client.utils.Serialization.asJson(s);
  }
}
