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

  /** One file: its bytes and content type. */
  record Asset(byte[] bytes, String contentType) {}

  /** The asset at {@code path}, or null when there is none. */
  Asset get(String path) {
    String type = TYPES.get(path);
    if (type == null) {
      return null;
    }
    try (InputStream in = StaticAssets.class.getResourceAsStream(BASE + path)) {
      return in == null ? null : new Asset(in.readAllBytes(), type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
