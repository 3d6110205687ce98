package io.conpaas.reconcilers.taskfarm;

import io.conpaas.api.v1alpha1.TaskFarmService;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps a TaskFarm's (or an HTC service's) ledger in a ConfigMap of its own (owned by the service, so it goes with it)
 * rather than in status: a bag of 1,000 tasks with attempts and output tails is hundreds of KiB,
 * which every status patch and every watcher of the service would carry. Writes are optimistic
 * (resourceVersion): a conflicting write fails the pass, which JOSDK retries with the newer ledger.
 */
public final class LedgerStore {
  static final String KEY = "ledger.json";
  static final String LABEL = "conpaas.io/taskfarm-ledger";

  private final KubernetesClient client;

  public LedgerStore(KubernetesClient client) {
    this.client = client;
  }

  /** The ConfigMap's name for a service. */
  public static String name(TaskFarmService service) {
    return service.getMetadata().getName() + "-taskfarm";
  }

  /** The stored ledger and the ConfigMap's resourceVersion, when there is one. */
  public record Stored(TaskLedger ledger, String resourceVersion) {}

  public Optional<Stored> load(TaskFarmService service) {
    return loadJson(service, name(service))
        .map(j -> new Stored(TaskLedger.fromJson(j.json()), j.resourceVersion()));
  }

  /** Creates (resourceVersion null) or replaces the ledger; a stale resourceVersion throws a 409. */
  public void save(TaskFarmService service, TaskLedger ledger, String resourceVersion) {
    saveJson(service, name(service), ledger.toJson(), resourceVersion);
  }

  /** A stored ledger's JSON and the ConfigMap's resourceVersion. */
  public record StoredJson(String json, String resourceVersion) {}

  /** The ledger JSON kept in the owner's ConfigMap of that name, when there is one. */
  public Optional<StoredJson> loadJson(HasMetadata owner, String name) {
    ConfigMap cm = client.configMaps().inNamespace(owner.getMetadata().getNamespace()).withName(name).get();
    if (cm == null || cm.getData() == null || cm.getData().get(KEY) == null) {
      return Optional.empty();
    }
    return Optional.of(new StoredJson(cm.getData().get(KEY), cm.getMetadata().getResourceVersion()));
  }

  /** Creates (resourceVersion null) or replaces a ledger ConfigMap owned by owner; a stale resourceVersion: 409. */
  public void saveJson(HasMetadata owner, String name, String json, String resourceVersion) {
    ConfigMap cm = new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(owner.getMetadata().getNamespace())
        .withResourceVersion(resourceVersion)
        .withLabels(Map.of(LABEL, owner.getMetadata().getName()))
        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion())
            .withKind(owner.getKind()).withName(owner.getMetadata().getName())
            .withUid(owner.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).build())
        .endMetadata()
        .withData(Map.of(KEY, json))
        .build();
    if (resourceVersion == null) {
      client.resource(cm).create();
    } else {
      client.resource(cm).update();
    }
  }

  /** The bag's text from its ConfigMap key, empty when the ConfigMap or key is missing. */
  public Optional<String> bag(String namespace, String configMap, String key) {
    ConfigMap cm = client.configMaps().inNamespace(namespace).withName(configMap).get();
    return Optional.ofNullable(cm == null || cm.getData() == null ? null : cm.getData().get(key));
  }

  /** The XtreemFsService a TaskFarm's spec.fileSystem names, if it exists. */
  public Optional<io.conpaas.api.v1alpha1.XtreemFsService> fileSystem(String namespace, String name) {
    if (name == null || name.isBlank()) {
      return Optional.empty();
    }
    return Optional.ofNullable(client.resources(io.conpaas.api.v1alpha1.XtreemFsService.class).inNamespace(namespace)
        .withName(name).get());
  }
}
