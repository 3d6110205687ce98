package io.conpaas.reconcilers.code;

import io.conpaas.agent.code.CodeVersion;

/** A stored code version and where it came from ("upload" or the source URL). */
public record StoredVersion(CodeVersion version, String origin) {
  public String name() {
    return version.version();
  }
}
