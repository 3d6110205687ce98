package io.conpaas.operator;

import io.conpaas.agent.code.ArchiveLimits;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Code hosting settings: where the code store lives (a persistent volume in-cluster), where the
 * upload listener binds, the URL uploaders use to reach it (empty: http://BIND:PORT), how long an
 * upload URL is valid, whether the authorization admission policy must be installed, and the
 * archive caps (code.maxUploadBytes, code.maxExpandedBytes, code.maxEntries, code.maxRatio).
 */
public record CodeSettings(Path storeDir, String uploadBind, int uploadPort, String publicUrl,
    Duration urlLifetime, boolean requirePolicy, ArchiveLimits limits) {

  /** For an operator whose local cloud works in workDir: the store beside it, uploads on a free loopback port. */
  public static CodeSettings beside(Path localWorkDir) {
    return new CodeSettings(localWorkDir.toAbsolutePath().resolveSibling(localWorkDir.getFileName() + "-code"),
        "127.0.0.1", 0, "", Duration.ofMinutes(10), true, ArchiveLimits.defaults());
  }

  public CodeSettings withLimits(ArchiveLimits newLimits) {
    return new CodeSettings(storeDir, uploadBind, uploadPort, publicUrl, urlLifetime, requirePolicy, newLimits);
  }
}
