package io.conpaas.agent.code;

/**
 * Caps on one upload: bytes received, bytes and entries after expansion, and the expansion ratio
 * beyond which an archive counts as a decompression bomb (checked while expanding, so a bomb is
 * stopped after at most maxRatio times its own size).
 */
public record ArchiveLimits(long maxUploadBytes, long maxExpandedBytes, int maxEntries, int maxRatio) {
  /** Bytes a small archive may expand to whatever its ratio (a 2 KiB zip of a 1 MiB file is fine). */
  public static final long RATIO_FREE_BYTES = 1 << 20;

  /** ConPaaS-sized defaults: a WordPress tarball is ~25 MiB and expands ~3x into ~3,000 files. */
  public static ArchiveLimits defaults() {
    return new ArchiveLimits(256L << 20, 1L << 30, 100_000, 100);
  }

  public ArchiveLimits {
    if (maxUploadBytes <= 0 || maxExpandedBytes <= 0 || maxEntries <= 0 || maxRatio <= 0) {
      throw new IllegalArgumentException("archive limits must be positive");
    }
  }
}
