package io.conpaas.operator.faults;

import java.util.Locale;

/** The three kinds of writes the operator makes, each counted on its own. */
public enum WriteKind {
  /** create, createBatch, terminate, label through an IaasDriver. */
  CLOUD,
  /** Any non-GET request to the Kubernetes API server. */
  API,
  /** configure, code, credentials, leave, VPN, stream and certificate install calls to an agent. */
  AGENT;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static WriteKind parse(String s) {
    for (WriteKind k : values()) {
      if (k.label().equals(s.trim().toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown write kind '" + s + "' (cloud, api or agent)");
  }
}
