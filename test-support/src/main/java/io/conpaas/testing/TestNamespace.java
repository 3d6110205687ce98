package io.conpaas.testing;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Locale;
import java.util.UUID;

/** A fresh namespace per test class, so tests never see each other's objects. */
public final class TestNamespace {
  private TestNamespace() {}

  public static String create(KubernetesClient client, String prefix) {
    String name = (prefix + "-" + UUID.randomUUID().toString().substring(0, 6)).toLowerCase(Locale.ROOT);
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    return name;
  }
}
