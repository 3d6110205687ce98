package io.conpaas.plugin;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON merge patches the plugin sends: each names only the fields it changes, so other
 * fields and their field managers stay as they are (never a whole-spec replace).
 */
public final class Patches {
  private Patches() {}

  /** {"spec":{"stopped":VALUE}}. */
  public static String stopped(boolean value) {
    return json(Map.of("spec", Map.of("stopped", value)), null);
  }

  /** {"spec":{"code":{"activeVersion":VERSION}}}: activates (or rolls back to) an uploaded version. */
  public static String activeVersion(String version) {
    return json(Map.of("spec", Map.of("code", Map.of("activeVersion", version))), null);
  }

  /** {"spec":{"debug":VALUE}}, with a resourceVersion precondition when {@code resourceVersion} is set. */
  public static String debug(boolean value, String resourceVersion) {
    return json(Map.of("spec", Map.of("debug", value)), resourceVersion);
  }

  /** {"spec":{ROLE:{FIELD:VALUE}}}, with a resourceVersion precondition when {@code resourceVersion} is set. */
  public static String roleField(String role, String field, Object value, String resourceVersion) {
    return json(Map.of("spec", Map.of(role, Map.of(field, value))), resourceVersion);
  }

  /**
   * The patch of a password Secret: {"metadata":{"labels":{LABEL:SERVICE}},"data":{KEY:BASE64}},
   * its one key and the label that tells the operator which service the Secret belongs to.
   */
  public static String secretKey(String label, String service, String key, String base64) {
    Map<String, Object> patch = new LinkedHashMap<>();
    patch.put("metadata", Map.of("labels", Map.of(label, service)));
    patch.put("data", Map.of(key, base64));
    return json(patch, null);
  }

  /** The patch of a /scale subresource: {"spec":{"replicas":N}}, with a resourceVersion precondition. */
  public static String replicas(int replicas, String resourceVersion) {
    return json(Map.of("spec", Map.of("replicas", replicas)), resourceVersion);
  }

  private static String json(Map<String, Object> body, String resourceVersion) {
    Map<String, Object> patch = new LinkedHashMap<>();
    if (resourceVersion != null) {
      // A resourceVersion in a patch is a precondition: the server answers 409 if the object moved on.
      patch.put("metadata", Map.of("resourceVersion", resourceVersion));
    }
    patch.putAll(body);
    return Serialization.asJson(patch);
  }
}
