package io.conpaas.reconcilers.taskfarm;

import io.conpaas.agent.api.XtreemFsKeys;
import io.conpaas.api.v1alpha1.Endpoint;
import io.conpaas.api.v1alpha1.TaskFarmFileSystem;
import io.conpaas.api.v1alpha1.XtreemFsService;
import io.conpaas.api.v1alpha1.XtreemFsVolume;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The volume of an XtreemFsService that a TaskFarm's workers mount by FUSE (spec.fileSystem,
 * manual 2.8.3): the filer's address as weed mount takes it (the service's filer-grpc endpoint)
 * and the volume's name, which become the workers' role configuration. Pure.
 */
record FileSystemMount(String filer, String volume) {
  /** What a lookup found: the mount, or why there is none yet. */
  record Lookup(Optional<FileSystemMount> mount, Optional<String> problem) {}

  /** The workers' configuration keys. */
  Map<String, String> config() {
    Map<String, String> config = new LinkedHashMap<>();
    config.put(XtreemFsKeys.MOUNT_FILER, filer);
    config.put(XtreemFsKeys.MOUNT_VOLUME, volume);
    return config;
  }

  /** The mount of wanted on service (the XtreemFsService read from the API, empty when missing). */
  static Lookup lookup(Optional<XtreemFsService> service, TaskFarmFileSystem wanted) {
    String name = wanted.getService();
    String volume = wanted.getVolume();
    if (service.isEmpty()) {
      return problem("spec.fileSystem: XtreemFsService " + name + " not found in this namespace");
    }
    List<XtreemFsVolume> volumes = service.get().getSpec().getVolumes();
    if (volume == null || volumes == null || volumes.stream().noneMatch(v -> volume.equals(v.getName()))) {
      return problem("spec.fileSystem: XtreemFsService " + name + " has no volume " + volume);
    }
    Optional<String> filer = service.get().getStatus() == null || service.get().getStatus().getEndpoints() == null
        ? Optional.empty()
        : service.get().getStatus().getEndpoints().stream().filter(e -> "filer-grpc".equals(e.getName()))
            .map(Endpoint::getUrl).findFirst();
    if (filer.isEmpty()) {
      return problem("spec.fileSystem: XtreemFsService " + name + " has no filer running yet");
    }
    return new Lookup(Optional.of(new FileSystemMount(filer.get(), volume)), Optional.empty());
  }

  private static Lookup problem(String message) {
    return new Lookup(Optional.empty(), Optional.of(message));
  }
}
