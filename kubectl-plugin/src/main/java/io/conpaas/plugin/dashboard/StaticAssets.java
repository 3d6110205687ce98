package io.conpaas.plugin.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** The page's files, read from the jar (no CDN, nothing fetched at run time); only the listed names are served. */
final class StaticAssets {
  private static final String BASE = "/io/conpaas/plugin/dashboard/assets";
  private static final Map<String, String> TYPES = Map.of(
      "/index.html", "text/html; charset=utf-8",
      "/app.js", "text/javascript; charset=utf-8",
      "/app.css", "text/css; charset=utf-8",
      "/favicon.svg", "image/svg+xml");

  /** Far above the page's files (tens of KiB): a bigger one means a broken build, not a page to serve. */
  private static final int MAX_ASSET_BYTES = 4 << 20;

  /** One file: its bytes and content type. */
  record Asset(byte[] bytes, String contentType) {}

  /** The asset at {@code path}, or null when there is none. */
  Asset get(String path) {
    String type = TYPES.get(path);
    if (type == null) {
      return null;
    }
    try (InputStream in = StaticAssets.class.getResourceAsStream(BASE + path)) {
      if (in == null) {
        return null;
      }
      byte[] bytes = in.readNBytes(MAX_ASSET_BYTES + 1);
      if (bytes.length > MAX_ASSET_BYTES) {
        throw new IllegalStateException("dashboard asset " + path + " exceeds " + MAX_ASSET_BYTES + " bytes");
      }
      return new Asset(bytes, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
