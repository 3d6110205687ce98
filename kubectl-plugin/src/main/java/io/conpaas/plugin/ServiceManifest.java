package io.conpaas.plugin;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/** The manifest {@code create} applies or prints: only the fields the user chose, nothing defaulted. */
public final class ServiceManifest {
  private ServiceManifest() {}

  /**
   * A service of {@code kind}: spec.application, spec.cloud (if set), spec.SCALEROLE.nodes, one node
   * for each other role (ConPaaS starts a service with one agent of each, e.g. a PHP service with a
   * backend, a web server and a proxy) and the kind's string {@code settings}. {@code namespace} may
   * be null (a manifest for GitOps then names none).
   */
  public static GenericKubernetesResource build(ServiceKind kind, String namespace, String name, String application,
      String cloud, int nodes, Map<String, String> settings) {
    Names.requireDnsLabel("service name", name);
    Names.requireObjectName("application name", application);
    if (nodes < 0 || nodes > 1000) {
      throw new CliException("--nodes must be between 0 and 1000 (got " + nodes + ")", 2);
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("application", application);
    if (cloud != null) {
      spec.put("cloud", cloud);
    }
    for (String role : kind.roles()) {
      spec.put(role, new LinkedHashMap<>(Map.of("nodes", role.equals(kind.scaleRole()) ? nodes : 1)));
    }
    settings.forEach((field, value) -> {
      if (!kind.settings().contains(field)) {
        throw new CliException("service type " + kind.type() + " has no setting --" + field
            + (kind.settings().isEmpty() ? "" : "; its settings: --" + String.join(", --", kind.settings())), 2);
      }
      spec.put(field, value);
    });
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion(kind.apiVersion());
    r.setKind(kind.kind());
    r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    r.setAdditionalProperty("spec", spec);
    return r;
  }
}
