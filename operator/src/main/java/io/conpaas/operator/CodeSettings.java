package io.conpaas.operator;

import io.conpaas.agent.code.ArchiveLimits;
import io.conpaas.reconcilers.code.SourceFetchSettings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Code hosting settings: where the code store lives (a persistent volume in-cluster), where the
 * upload listener binds, the URL uploaders use to reach it (empty: http://BIND:PORT), how long an
 * upload URL is valid, whether the authorization admission policy must be installed, and the
 * archive caps (code.maxUploadBytes, code.maxExpandedBytes, code.maxEntries, code.maxRatio), how
 * spec.code.source is fetched (code.sourceAllowedNetworks, code.sourceTimeout) and how long one
 * upload request may take (upload.requestTimeout).
 */
public record CodeSettings(Path storeDir, String uploadBind, int uploadPort, String publicUrl,
    Duration urlLifetime, boolean requirePolicy, ArchiveLimits limits, SourceFetchSettings source,
    Duration uploadRequestTimeout) {

  /** For an operator whose local cloud works in workDir: the store beside it, uploads on a free loopback port. */
  public static CodeSettings beside(Path localWorkDir) {
    return new CodeSettings(localWorkDir.toAbsolutePath().resolveSibling(localWorkDir.getFileName() + "-code"),
        "127.0.0.1", 0, "", Duration.ofMinutes(10), true, ArchiveLimits.defaults(), SourceFetchSettings.defaults(),
        Duration.ofMinutes(10));
  }

  public CodeSettings withLimits(ArchiveLimits newLimits) {
    return new CodeSettings(storeDir, uploadBind, uploadPort, publicUrl, urlLifetime, requirePolicy, newLimits,
        source, uploadRequestTimeout);
  }

  public CodeSettings withSource(SourceFetchSettings newSource) {
    return new CodeSettings(storeDir, uploadBind, uploadPort, publicUrl, urlLifetime, requirePolicy, limits,
        newSource, uploadRequestTimeout);
  }

  public CodeSettings withUploadRequestTimeout(Duration timeout) {
    return new CodeSettings(storeDir, uploadBind, uploadPort, publicUrl, urlLifetime, requirePolicy, limits,
        source, timeout);
  }
}
