package io.conpaas.reconcilers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.util.Set;

/**
 * Informer stores that keep objects without metadata.managedFields. Nothing here reads them (status
 * writes are server-side applies of fresh objects), and they were the largest part of every cached
 * Agent: each field manager's field set is a tree of maps (hack/bench-scale.sh at 1,000 Agents: ~3
 * entries and ~35 maps per cached Agent, about half of the operator's live heap). Repeating strings
 * are shared across objects and stores ({@link CanonicalStrings}).
 */
public final class LeanCache {
  private LeanCache() {}

  /** A new store for one informer (a store holds one informer's objects: never share one). */
  public static <T extends HasMetadata> ItemStore<T> store() {
    return new LeanStore<>();
  }

  /**
   * A new store for a JOSDK informer that watches namespaces, or null (JOSDK's default store) when it
   * watches several: JOSDK then runs one informer per namespace on the same store, and a relist of one
   * namespace must not judge the others' objects.
   */
  public static <T extends HasMetadata> ItemStore<T> storeFor(Set<String> namespaces) {
    return namespaces.size() <= 1 ? store() : null;
  }

  /** {@link #storeFor(Set)} for an event source that watches the namespaces of its controller. */
  public static <T extends HasMetadata> ItemStore<T> storeFor(EventSourceContext<?> context) {
    return storeFor(context.getControllerConfiguration().getInformerConfig().getNamespaces());
  }

  /** A TransformingItemStore whose objects' namespace is canonical too. */
  private static final class LeanStore<T extends HasMetadata> extends TransformingItemStore<T> {
    LeanStore() {
      super(LeanCache::strip);
    }

    @Override
    public T put(String key, T obj) {
      // The parent puts back the namespace it read before the transform: make that one canonical.
      obj.getMetadata().setNamespace(CanonicalStrings.of(obj.getMetadata().getNamespace()));
      return super.put(key, obj);
    }
  }

  static <T extends HasMetadata> T strip(T resource) {
    resource.getMetadata().setManagedFields(null);
    return CanonicalStrings.canonicalise(resource);
  }
}
