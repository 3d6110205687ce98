package io.conpaas.reconcilers.cloud;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.List;
import java.util.Optional;

/** Read access to an informer's cache of one kind (no API call per lookup). */
public final class CachedResources<T extends HasMetadata> {
  private final SharedIndexInformer<T> informer;

  public CachedResources(SharedIndexInformer<T> informer) {
    this.informer = informer;
  }

  /** A cluster-scoped object by name. */
  public Optional<T> get(String name) {
    return Optional.ofNullable(informer.getStore().getByKey(name));
  }

  /** A namespaced object by namespace and name. */
  public Optional<T> get(String namespace, String name) {
    return Optional.ofNullable(informer.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name)));
  }

  public List<T> all() {
    return informer.getStore().list();
  }
}
