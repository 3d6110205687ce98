package io.conpaas.plugin;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentAddresses;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.AgentSpec;
import io.conpaas.api.v1alpha1.AgentStatus;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.api.v1alpha1.HelloWorldService;
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

  /** Creates an Agent of a service as the operator would, then sets its status through /status. */
  static Agent agent(KubernetesClient client, String ns, String service, String role, int index, AgentPhase phase,
      String instance, String publicIp, String privateIp, String vpn, String cloud) {
    Agent a = new Agent();
    a.setMetadata(new ObjectMetaBuilder().withName(service + "-" + role + "-" + index).withNamespace(ns)
        .withLabels(Map.of(ApiConstants.LABEL_SERVICE, service, ApiConstants.LABEL_ROLE, role,
            ApiConstants.LABEL_APPLICATION, "demo", ApiConstants.LABEL_SERVICE_KIND, "HelloWorldService",
            "conpaas.io/index", Integer.toString(index)))
        .build());
    AgentSpec spec = new AgentSpec();
    spec.setRole(role);
    spec.setServiceKind("HelloWorldService");
    spec.setCloud(cloud);
    a.setSpec(spec);
    Agent created = client.resource(a).create();
    AgentStatus st = new AgentStatus();
    st.setPhase(phase);
    st.setInstanceId(instance);
    AgentAddresses ad = new AgentAddresses(publicIp, privateIp);
    ad.setVpn(vpn);
    st.setAddresses(ad);
    created.setStatus(st);
    return client.resource(created).updateStatus();
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
    client.resources(Agent.class).inNamespace(ns).delete();
    client.v1().events().inNamespace(ns).delete();
    client.namespaces().withName(ns).delete();
  }
}
