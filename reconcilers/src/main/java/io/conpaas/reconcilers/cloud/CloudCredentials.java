package io.conpaas.reconcilers.cloud;

import io.conpaas.iaas.CloudException;
import java.util.Map;

/**
 * A Cloud's credentials as read from its Secret, with the Secret's resourceVersion so that a
 * changed Secret rebuilds the driver. toString never shows a value.
 */
public record CloudCredentials(Map<String, String> values, String version) {
  public static final CloudCredentials NONE = new CloudCredentials(Map.of(), "");

  public CloudCredentials {
    values = Map.copyOf(values);
  }

  /** The value of a key, or a CloudException naming the missing key (never a value). */
  public String require(String key) {
    String v = values.get(key);
    if (v == null || v.isBlank()) {
      throw new CloudException("CredentialsIncomplete", "the credentials Secret has no key " + key, false);
    }
    return v;
  }

  @Override
  public String toString() {
    return "CloudCredentials[keys=" + values.keySet() + ", version=" + version + "]";
  }
}
