package io.conpaas.agent.mapreduce;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.conpaas.agent.JsonExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /mapreduce/hdfs} on the master: PUT a file as the body with {@code path=/abs/path} writes
 * it into HDFS (overwriting) through the NameNode's WebHDFS on the master's own address, the
 * DataNode the NameNode names getting the bytes streamed. The operator calls it for data uploads
 * (CodeUpload with hdfsPath), so files reach HDFS through Kubernetes' authorization.
 */
final class HdfsFilesEndpoint implements HttpHandler {
  static final long MAX_BYTES = 1L << 30;
  private static final int CONNECT_MS = 5_000;
  private static final int READ_MS = 120_000;
  private final Supplier<String> namenodeHttp;
  private final String user;

  /** namenodeHttp: http://host:port of the NameNode (throws while the master is not configured). */
  HdfsFilesEndpoint(Supplier<String> namenodeHttp, String user) {
    this.namenodeHttp = namenodeHttp;
    this.user = user;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    if (!"PUT".equals(ex.getRequestMethod())) {
      JsonExchange.error(ex, 405, "PUT a file with path=/absolute/hdfs/path");
      return;
    }
    String path = pathOf(ex.getRequestURI().getRawQuery());
    if (path == null) {
      JsonExchange.error(ex, 400, "path must be an absolute HDFS path without .. or control characters");
      return;
    }
    long length = contentLength(ex);
    if (length < 0 || length > MAX_BYTES) {
      JsonExchange.error(ex, 413, length < 0 ? "a Content-Length is needed"
          : "the file has " + length + " bytes, more than " + MAX_BYTES);
      return;
    }
    String encoded = URLEncoder.encode(path, StandardCharsets.UTF_8).replace("%2F", "/").replace("+", "%20");
    HttpURLConnection create = open(URI.create(namenodeHttp.get() + "/webhdfs/v1" + encoded
        + "?op=CREATE&overwrite=true&user.name=" + URLEncoder.encode(user, StandardCharsets.UTF_8)));
    create.setRequestMethod("PUT");
    create.setInstanceFollowRedirects(false);
    int code = create.getResponseCode();
    String location = create.getHeaderField("Location");
    drain(create);
    if (code != 307 || location == null) {
      JsonExchange.error(ex, 502, "the NameNode answered " + code + " to CREATE " + path);
      return;
    }
    HttpURLConnection write = open(URI.create(location));
    write.setRequestMethod("PUT");
    write.setDoOutput(true);
    write.setFixedLengthStreamingMode(length);
    write.setRequestProperty("Content-Type", "application/octet-stream");
    try (InputStream in = ex.getRequestBody(); OutputStream out = write.getOutputStream()) {
      in.transferTo(out);
    }
    int written = write.getResponseCode();
    String detail = drain(write);
    if (written != 201) {
      JsonExchange.error(ex, 502, "the DataNode answered " + written + " writing " + path + ": " + detail);
      return;
    }
    JsonExchange.respond(ex, 201, Map.of("path", path, "bytes", length));
  }

  /** The path= parameter when it is an absolute HDFS path without "..", else null. */
  static String pathOf(String rawQuery) {
    if (rawQuery == null) {
      return null;
    }
    for (String part : rawQuery.split("&")) {
      if (part.startsWith("path=")) {
        String p = URLDecoder.decode(part.substring(5), StandardCharsets.UTF_8);
        boolean ok = p.startsWith("/") && p.length() <= 1024 && p.chars().noneMatch(c -> c < 0x20 || c == 0x7f)
            && java.util.Arrays.stream(p.split("/")).noneMatch(s -> s.equals("..") || s.equals("."));
        return ok ? p : null;
      }
    }
    return null;
  }

  private static long contentLength(HttpExchange ex) {
    try {
      return Long.parseLong(ex.getRequestHeaders().getFirst("Content-Length"));
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private static HttpURLConnection open(URI uri) throws IOException {
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection(java.net.Proxy.NO_PROXY);
    c.setConnectTimeout(CONNECT_MS);
    c.setReadTimeout(READ_MS);
    return c;
  }

  /** The start of an answer's body (error or not), the connection released. */
  private static String drain(HttpURLConnection c) {
    try (InputStream in = c.getErrorStream() != null ? c.getErrorStream() : c.getInputStream()) {
      return in == null ? "" : new String(in.readNBytes(2048), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
