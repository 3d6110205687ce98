package io.conpaas.plugin;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentAddresses;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.AgentSpec;
import io.conpaas.api.v1alpha1.AgentStatus;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.api.v1alpha1.CodeUpload;
import io.conpaas.api.v1alpha1.CodeVersionStatus;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.JavaService;
import io.conpaas.api.v1alpha1.MysqlService;
import io.conpaas.api.v1alpha1.PhpService;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Objects the ITs create directly on the API server (no operator runs in these tests). */
final class TestObjects {
  /** The field manager the tests' own writes use, so the plugin's writes can be told apart. */
  static final String SETUP_MANAGER = "test-setup";
  static final ResourceDefinitionContext HELLO = ResourceDefinitionContext.fromResourceType(HelloWorldService.class);
  static final ResourceDefinitionContext PHP = ResourceDefinitionContext.fromResourceType(PhpService.class);
  static final ResourceDefinitionContext JAVA = ResourceDefinitionContext.fromResourceType(JavaService.class);
  static final ResourceDefinitionContext MYSQL = ResourceDefinitionContext.fromResourceType(MysqlService.class);

  private TestObjects() {}

  /**
   * Server-side applies a HelloWorldService as {@value #SETUP_MANAGER}, with a label, an annotation,
   * a service Cloud, an instance type and a message, so that tests can see what a command leaves alone.
   */
  static GenericKubernetesResource helloWorld(KubernetesClient client, String ns, String name, int nodes) {
    String yaml = """
        apiVersion: conpaas.io/v1alpha1
        kind: HelloWorldService
        metadata:
          name: %s
          namespace: %s
          labels: {team: blue}
          annotations: {note: keep-me}
        spec:
          application: demo
          cloud: local-cloud
          message: hello from the test
          agents: {nodes: %d, instanceType: small}
        """.formatted(name, ns, nodes);
    GenericKubernetesResource r = Serialization.unmarshal(yaml, GenericKubernetesResource.class);
    return client.genericKubernetesResources(HELLO).inNamespace(ns).resource(r).fieldManager(SETUP_MANAGER)
        .forceConflicts().serverSideApply();
  }

  /** Writes a HelloWorldService's status through the status subresource. */
  static void helloWorldStatus(KubernetesClient client, String ns, String name, String state, int ready, int desired,
      String endpoint) {
    Map<String, Object> status = new java.util.LinkedHashMap<>();
    status.put("state", state);
    status.put("replicas", ready);
    status.put("ready", ready + "/" + desired);
    status.put("roles", List.of(Map.of("role", "agents", "desired", desired, "ready", ready)));
    if (endpoint != null) {
      status.put("endpoints", List.of(Map.of("name", "http", "url", endpoint)));
    }
    hello(client, ns, name).editStatus(o -> {
      o.setAdditionalProperty("status", status);
      return o;
    });
  }

  static Resource<GenericKubernetesResource> hello(KubernetesClient client, String ns, String name) {
    return client.genericKubernetesResources(HELLO).inNamespace(ns).withName(name);
  }

  /**
   * Server-side applies a PhpService or JavaService ({@code kind}) as {@value #SETUP_MANAGER}, with a
   * label, an annotation, nodes per role, a code source and {@code activeVersion} (if not null), and
   * debug off for a PhpService, so that tests can see what a command leaves alone.
   */
  static GenericKubernetesResource webService(KubernetesClient client, String ns, String kind, String name,
      String activeVersion) {
    String yaml = """
        apiVersion: conpaas.io/v1alpha1
        kind: %s
        metadata:
          name: %s
          namespace: %s
          labels: {team: blue}
          annotations: {note: keep-me}
        spec:
          application: demo
          backend: {nodes: 2, instanceType: small}
          web: {nodes: 1}
          proxy: {nodes: 1, cloud: edge}
          code:
            source: {url: "https://example.org/app.tar.gz", sha256: "%s"}
        """.formatted(kind, name, ns, "ab".repeat(32));
    GenericKubernetesResource r = Serialization.unmarshal(yaml, GenericKubernetesResource.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) r.getAdditionalProperties().get("spec");
    if (activeVersion != null) {
      @SuppressWarnings("unchecked")
      Map<String, Object> code = (Map<String, Object>) spec.get("code");
      code.put("activeVersion", activeVersion);
    }
    if (kind.equals("PhpService")) {
      spec.put("debug", false);
    }
    return client.genericKubernetesResources(context(kind)).inNamespace(ns).resource(r).fieldManager(SETUP_MANAGER)
        .forceConflicts().serverSideApply();
  }

  /** Writes status.code {active, versions: [VERSION, sha256, bytes, format, uploaded, origin]} through /status. */
  static void codeStatus(KubernetesClient client, String ns, String kind, String name, String active,
      String message, CodeVersionStatus... versions) {
    Map<String, Object> code = new java.util.LinkedHashMap<>();
    if (active != null) {
      code.put("active", active);
    }
    code.put("versions", List.of(versions));
    if (message != null) {
      code.put("message", message);
    }
    Map<String, Object> status = new java.util.LinkedHashMap<>();
    status.put("state", "RUNNING");
    status.put("code", Serialization.jsonMapper().convertValue(code, Map.class));
    web(client, ns, kind, name).editStatus(o -> {
      o.setAdditionalProperty("status", status);
      return o;
    });
  }

  /** A stored version as the operator lists it. */
  static CodeVersionStatus version(String name, long bytes, String uploaded, String origin) {
    return new CodeVersionStatus(name, name.length() % 2 == 0 ? "cd".repeat(32) : "ef".repeat(32), bytes, "zip",
        uploaded, origin);
  }

  static Resource<GenericKubernetesResource> web(KubernetesClient client, String ns, String kind, String name) {
    return client.genericKubernetesResources(context(kind)).inNamespace(ns).withName(name);
  }

  private static ResourceDefinitionContext context(String kind) {
    return switch (kind) {
      case "PhpService" -> PHP;
      case "JavaService" -> JAVA;
      case "MysqlService" -> MYSQL;
      default -> throw new IllegalArgumentException(kind);
    };
  }

  /** Creates an Agent of a service as the operator would, then sets its status through /status. */
  static Agent agent(KubernetesClient client, String ns, String service, String role, int index, AgentPhase phase,
      String instance, String publicIp, String privateIp, String vpn, String cloud) {
    return agent(client, ns, "HelloWorldService", service, role, index, phase, Map.of(), instance, publicIp,
        privateIp, vpn, cloud);
  }

  /** An Agent of MysqlService {@code service} in {@code phase} reporting {@code facts}. */
  static Agent mysqlAgent(KubernetesClient client, String ns, String service, String role, int index,
      AgentPhase phase, Map<String, String> facts) {
    return agent(client, ns, "MysqlService", service, role, index, phase, facts, "i-" + role + index,
        "192.0.2." + (index + 10), "10.1.0." + (index + 10), null, "local-cloud");
  }

  /** Sets status.facts of an Agent through /status, as the operator does after the agent's /info. */
  static Agent facts(KubernetesClient client, String ns, String agent, Map<String, String> facts) {
    return client.resources(Agent.class).inNamespace(ns).withName(agent).editStatus(a -> {
      a.getStatus().setFacts(new java.util.TreeMap<>(facts));
      return a;
    });
  }

  private static Agent agent(KubernetesClient client, String ns, String kind, String service, String role, int index,
      AgentPhase phase, Map<String, String> facts, String instance, String publicIp, String privateIp, String vpn,
      String cloud) {
    Agent a = new Agent();
    a.setMetadata(new ObjectMetaBuilder().withName(service + "-" + role + "-" + index).withNamespace(ns)
        .withLabels(Map.of(ApiConstants.LABEL_SERVICE, service, ApiConstants.LABEL_ROLE, role,
            ApiConstants.LABEL_APPLICATION, "demo", ApiConstants.LABEL_SERVICE_KIND, kind,
            "conpaas.io/index", Integer.toString(index)))
        .build());
    AgentSpec spec = new AgentSpec();
    spec.setRole(role);
    spec.setServiceKind(kind);
    spec.setCloud(cloud);
    a.setSpec(spec);
    Agent created = client.resource(a).create();
    AgentStatus st = new AgentStatus();
    st.setPhase(phase);
    st.setInstanceId(instance);
    AgentAddresses ad = new AgentAddresses(publicIp, privateIp);
    ad.setVpn(vpn);
    st.setAddresses(ad);
    st.setFacts(new java.util.TreeMap<>(facts));
    created.setStatus(st);
    return client.resource(created).updateStatus();
  }

  /**
   * Server-side applies a MysqlService as {@value #SETUP_MANAGER}: one master, {@code slaves} slaves,
   * a label, and spec.passwordSecretRef when {@code secretRef} is not null.
   */
  static GenericKubernetesResource mysql(KubernetesClient client, String ns, String name, int slaves,
      String secretRef) {
    String yaml = """
        apiVersion: conpaas.io/v1alpha1
        kind: MysqlService
        metadata:
          name: %s
          namespace: %s
          labels: {team: blue}
        spec:
          application: demo
          master: {nodes: 1}
          slaves: {nodes: %d}
        """.formatted(name, ns, slaves);
    GenericKubernetesResource r = Serialization.unmarshal(yaml, GenericKubernetesResource.class);
    if (secretRef != null) {
      @SuppressWarnings("unchecked")
      Map<String, Object> spec = (Map<String, Object>) r.getAdditionalProperties().get("spec");
      spec.put("passwordSecretRef", Map.of("name", secretRef));
    }
    return client.genericKubernetesResources(MYSQL).inNamespace(ns).resource(r).fieldManager(SETUP_MANAGER)
        .forceConflicts().serverSideApply();
  }

  /**
   * Writes a MysqlService's status through /status: {@code state}, the master's {@code endpoint}
   * (none when null) and status.mysql {user: mysqladb, passwordSecret} (no mysql block when
   * {@code passwordSecret} is null).
   */
  static void mysqlStatus(KubernetesClient client, String ns, String name, String state, String endpoint,
      String passwordSecret) {
    Map<String, Object> status = new java.util.LinkedHashMap<>();
    status.put("state", state);
    if (endpoint != null) {
      status.put("endpoints", List.of(Map.of("name", "mysql", "url", endpoint)));
    }
    if (passwordSecret != null) {
      status.put("mysql", Map.of("user", "mysqladb", "passwordSecret", passwordSecret));
    }
    mysqlService(client, ns, name).editStatus(o -> {
      o.setAdditionalProperty("status", status);
      return o;
    });
  }

  static Resource<GenericKubernetesResource> mysqlService(KubernetesClient client, String ns, String name) {
    return client.genericKubernetesResources(MYSQL).inNamespace(ns).withName(name);
  }

  /** A core/v1 Event about {@code kind}/{@code name}, last seen at {@code time} (RFC 3339). */
  static Event event(KubernetesClient client, String ns, String eventName, String kind, String name, String type,
      String reason, String message, String time) {
    return client.v1().events().inNamespace(ns).resource(new EventBuilder()
        .withMetadata(new ObjectMetaBuilder().withName(eventName).withNamespace(ns).build())
        .withNewInvolvedObject().withApiVersion(ApiConstants.API_VERSION).withKind(kind).withName(name)
        .withNamespace(ns).endInvolvedObject()
        .withType(type).withReason(reason).withMessage(message)
        .withFirstTimestamp(time).withLastTimestamp(time).withCount(1)
        .withNewSource().withComponent("conpaas-operator").endSource()
        .build()).create();
  }

  /** The managedFields entry of {@code manager} (and subresource, "" for the main resource). */
  static Optional<ManagedFieldsEntry> managedBy(GenericKubernetesResource o, String manager, String subresource) {
    return o.getMetadata().getManagedFields().stream()
        .filter(m -> manager.equals(m.getManager()))
        .filter(m -> subresource.equals(m.getSubresource() == null ? "" : m.getSubresource()))
        .findFirst();
  }

  /** The fieldsV1 of an entry as plain maps. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> fields(ManagedFieldsEntry m) {
    return Serialization.unmarshal(Serialization.asJson(m.getFieldsV1()), Map.class);
  }

  /** Deletes every object the plugin tests may leave in {@code ns}, then the namespace. */
  static void cleanUp(KubernetesClient client, String ns) {
    for (GenericKubernetesResource s : client.genericKubernetesResources(HELLO).inNamespace(ns).list().getItems()) {
      hello(client, ns, s.getMetadata().getName()).edit(o -> {
        o.getMetadata().setFinalizers(List.of());
        return o;
      });
    }
    client.genericKubernetesResources(HELLO).inNamespace(ns).delete();
    client.genericKubernetesResources(PHP).inNamespace(ns).delete();
    client.genericKubernetesResources(JAVA).inNamespace(ns).delete();
    client.genericKubernetesResources(MYSQL).inNamespace(ns).delete();
    client.resources(CodeUpload.class).inNamespace(ns).delete();
    client.resources(Agent.class).inNamespace(ns).delete();
    client.v1().events().inNamespace(ns).delete();
    client.namespaces().withName(ns).delete();
  }
}
