package io.conpaas.plugin;

import io.conpaas.api.v1alpha1.ConfigMapKeyRef;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Bags of tasks as TaskFarm and HTC take them: a size-capped file (or stdin) stored in a ConfigMap under key "bag". */
final class BagFiles {
  /** Largest bag file read (a bag's ledger must fit a ConfigMap). */
  static final int MAX_BAG_BYTES = 512 * 1024;
  static final String KEY = "bag";

  private BagFiles() {}

  /** A bag file ("-": stdin) of at most MAX_BAG_BYTES. */
  static String read(InputStream stdin, String file) throws IOException {
    try (InputStream in = "-".equals(file) ? stdin : Files.newInputStream(Path.of(file))) {
      byte[] bytes = in.readNBytes(MAX_BAG_BYTES + 1);
      if (bytes.length > MAX_BAG_BYTES) {
        throw new CliException(file + " is larger than " + MAX_BAG_BYTES + " bytes");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  /** Stores the bag in ConfigMap name (created or replaced by server-side apply) and returns the reference to it. */
  static ConfigMapKeyRef store(KubernetesClient client, String namespace, String name, String text) {
    client.resource(new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withData(Map.of(KEY, text)).build()).serverSideApply();
    return new ConfigMapKeyRef(name, KEY);
  }

  /** The tasks of a bag: its lines that are neither blank nor comments. */
  static long tasks(String text) {
    return text.lines().filter(l -> !l.isBlank() && !l.strip().startsWith("#")).count();
  }
}
