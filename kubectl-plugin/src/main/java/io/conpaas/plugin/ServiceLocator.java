package io.conpaas.plugin;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** Finds services of every known kind: by NAME or TYPE/NAME in a namespace, or all of them. */
public final class ServiceLocator {
  private final KubernetesClient client;
  private final ServiceKinds kinds;

  public ServiceLocator(KubernetesClient client, ServiceKinds kinds) {
    this.client = client;
    this.kinds = kinds;
  }

  /** The API handle of one service object (which may not exist). */
  public Resource<GenericKubernetesResource> resource(ServiceKind kind, String namespace, String name) {
    return client.genericKubernetesResources(kind.context()).inNamespace(namespace).withName(name);
  }

  /**
   * The service {@code ref} names in {@code namespace}: NAME searches every kind, TYPE/NAME one kind.
   * Fails with one clear line when there is none or the name is ambiguous.
   */
  public ServiceObject find(String namespace, String ref) {
    int slash = ref.indexOf('/');
    List<ServiceKind> candidates = slash < 0 ? kinds.all() : List.of(kinds.require(ref.substring(0, slash)));
    String name = ref.substring(slash + 1);
    if (name.isEmpty()) {
      throw new CliException("no service name in '" + ref + "'", 2);
    }
    List<ServiceObject> found = new ArrayList<>();
    KubernetesClientException forbidden = null;
    for (ServiceKind kind : candidates) {
      try {
        // get() answers null on 404, which is also what a kind whose CRD is not installed gives.
        GenericKubernetesResource o = resource(kind, namespace, name).get();
        if (o != null) {
          found.add(new ServiceObject(kind, o));
        }
      } catch (KubernetesClientException e) {
        if (e.getCode() != 403) {
          throw e;
        }
        // Users may be allowed some kinds only: a kind they cannot read does not hide the others.
        forbidden = forbidden == null ? e : forbidden;
      }
    }
    if (found.isEmpty() && forbidden != null) {
      throw forbidden;
    }
    if (found.isEmpty()) {
      throw new CliException("service '" + ref + "' not found in namespace '" + namespace
          + "' (kubectl conpaas list -n " + namespace + " shows its services)");
    }
    if (found.size() > 1) {
      throw new CliException("service name '" + name + "' is ambiguous in namespace '" + namespace + "': "
          + found.stream().map(s -> s.kind().type() + "/" + name).collect(Collectors.joining(", "))
          + "; name one as TYPE/NAME");
    }
    return found.get(0);
  }

  /**
   * Every service of every installed kind in {@code namespace} (null: all namespaces), sorted. Kinds
   * the user may not list are skipped with a line to {@code warnings}, unless no kind could be listed.
   */
  public List<ServiceObject> list(String namespace, Consumer<String> warnings) {
    List<ServiceObject> all = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    KubernetesClientException forbidden = null;
    boolean listedAny = false;
    for (ServiceKind kind : kinds.all()) {
      try {
        var op = client.genericKubernetesResources(kind.context());
        List<GenericKubernetesResource> items = namespace == null
            ? op.inAnyNamespace().list().getItems() : op.inNamespace(namespace).list().getItems();
        items.forEach(o -> all.add(new ServiceObject(kind, o)));
        listedAny = true;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 403) {
          forbidden = forbidden == null ? e : forbidden;
          skipped.add(kind.resource());
        } else if (e.getCode() != 404) { // 404: this kind's CRD is not installed in this cluster
          throw e;
        }
      }
    }
    if (forbidden != null && !listedAny) {
      throw forbidden;
    }
    skipped.forEach(r -> warnings.accept("not allowed to list " + r
        + (namespace == null ? " in every namespace" : " in namespace '" + namespace + "'") + "; not shown"));
    all.sort(Comparator.comparing(ServiceObject::namespace).thenComparing(s -> s.kind().kind())
        .thenComparing(ServiceObject::name));
    return all;
  }
}
