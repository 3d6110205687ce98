package io.conpaas.plugin;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.HttpClientUtils;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Streams a file (a code archive, an SQL dump) from disk to the operator's one-time upload URL and
 * reads the answer. A URL that is a path under /api/ is the operator's Service proxy on the API
 * server: it goes through the kubeconfig's connection and credentials, and the token travels in
 * {@value #TOKEN_HEADER} because the API server consumes the Authorization header. Any other URL is
 * called directly, without the kubeconfig's credentials, with the token as {@code Authorization:
 * Bearer} (and in that header too).
 */
final class ArchiveUpload {
  /** The header that carries the upload token through the API server's proxy. */
  static final String TOKEN_HEADER = "X-Conpaas-Upload-Token";
  /** The only API server paths an upload may go to: a Service proxy. */
  private static final Pattern SERVICE_PROXY =
      Pattern.compile("/api/v1/namespaces/[a-z0-9.-]+/services/[a-zA-Z0-9:._-]+/proxy(/.*)?");
  private static final int MAX_ERROR_TEXT = 300;

  private final KubernetesClient client;
  private final String command;

  /** Uploads of {@code command} (upload-code, upload-dump), which starts their error messages. */
  ArchiveUpload(KubernetesClient client, String command) {
    this.client = client;
    this.command = command;
  }

  /** What the operator stored: the version's name, the archive's SHA-256 and size. */
  record Receipt(String version, String sha256, long bytes) {}

  /**
   * The operator's answer to one upload: HTTP status, the body parsed as a JSON object (null when
   * it is none) and as text; and the SHA-256 and size of what was sent.
   */
  record Answer(int code, Map<?, ?> json, String body, String sentSha256, long sentBytes) {
    boolean successful() {
      return code >= 200 && code < 300;
    }

    /** The operator's {"error": ...}, else the API server's Status message, else the start of the body. */
    String refusal() {
      if (json != null && json.get("error") instanceof String error && !error.isBlank()) {
        return ErrorMessages.oneLine(error);
      }
      String text = json != null && json.get("message") instanceof String message ? message
          : body == null ? "" : body;
      text = ErrorMessages.oneLine(text);
      if (text.length() > MAX_ERROR_TEXT) {
        text = text.substring(0, MAX_ERROR_TEXT) + "...";
      }
      return "the upload URL answered HTTP " + code + (text.isEmpty() ? "" : ": " + text);
    }
  }

  /**
   * upload-code: PUTs the archive (see {@link #send}) and checks that the operator stored exactly
   * the bytes sent. Fails in one line, starting with the command, with the operator's message when
   * it refuses.
   */
  Receipt put(String url, Path file, String token) throws IOException, InterruptedException {
    Answer answer = send(url, file, token);
    if (!answer.successful()) {
      throw new CliException(command + ": " + answer.refusal());
    }
    Receipt receipt = receipt(answer);
    if (!answer.sentSha256().equals(receipt.sha256()) || receipt.bytes() != answer.sentBytes()) {
      throw new CliException(command + ": the operator stored " + receipt.bytes() + " bytes with sha256 "
          + receipt.sha256() + ", but " + file + " has " + answer.sentBytes() + " bytes with sha256 "
          + answer.sentSha256());
    }
    return receipt;
  }

  /**
   * PUTs {@code file} to {@code url} with {@code token}, streamed (Content-Length is the file's
   * size), and returns the answer whatever its status; fails in one line when it cannot be sent.
   */
  Answer send(String url, Path file, String token) throws IOException, InterruptedException {
    boolean viaApiServer = url.startsWith("/");
    URI target = viaApiServer ? apiServerUri(url) : directUri(url);
    long size = Files.size(file);
    MessageDigest digest = UploadToken.digest();
    HttpClient http = viaApiServer
        ? client.getHttpClient().newBuilder().tag(noRetries()).build()
        : HttpClientUtils.getHttpClientFactory().newBuilder().connectTimeout(10, TimeUnit.SECONDS).preferHttp11()
            .tag(noRetries()).build();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      HttpRequest.Builder request = http.newHttpRequestBuilder().uri(target)
          .put("application/octet-stream", in, size).header(TOKEN_HEADER, token);
      if (!viaApiServer) {
        request.header("Authorization", "Bearer " + token);
      }
      HttpResponse<String> response = send(http, request.build(), viaApiServer ? "the API server" : url);
      return new Answer(response.code(), json(response.body()), response.body(),
          HexFormat.of().formatHex(digest.digest()), size);
    } finally {
      if (!viaApiServer) {
        http.close(); // the API server's client belongs to the command's KubernetesClient
      }
    }
  }

  private HttpResponse<String> send(HttpClient http, HttpRequest request, String where)
      throws InterruptedException {
    try {
      return http.sendAsync(request, String.class).get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new CliException(command + ": cannot send " + what() + " to " + where + ": " + networkDetail(cause));
    }
  }

  private Receipt receipt(Answer answer) {
    Map<?, ?> json = answer.json();
    if (json == null || !(json.get("sha256") instanceof String sha256)
        || !(json.get("bytes") instanceof Number bytes)) {
      throw new CliException(command + ": the operator accepted the archive but its answer is not "
          + "{\"version\",\"sha256\",\"bytes\"}: " + ErrorMessages.oneLine(String.valueOf(answer.body())));
    }
    return new Receipt(json.get("version") instanceof String v ? v : null, sha256, bytes.longValue());
  }

  private String what() {
    return "upload-dump".equals(command) ? "the dump" : "the archive";
  }

  private static Map<?, ?> json(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return Serialization.unmarshal(body, Map.class);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The API server's URL (with any path prefix of the kubeconfig's server) followed by {@code path}. */
  private URI apiServerUri(String path) {
    if (!SERVICE_PROXY.matcher(path).matches() || path.contains("/../") || path.endsWith("/..")) {
      throw new CliException(command + ": the operator answered with the API server path '" + path
          + "', which is not a Service proxy path; refusing to send " + what() + " there");
    }
    return URI.create(client.getMasterUrl().toString().replaceAll("/+$", "") + path);
  }

  private URI directUri(String url) {
    try {
      URI uri = URI.create(url);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
        return uri;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new CliException(command + ": the operator answered with an unusable upload URL '" + url + "'");
  }

  /** The API server's request settings without retries: a retry would resend a stream already read. */
  private RequestConfig noRetries() {
    RequestConfig base = client.getConfiguration().getRequestConfig();
    return (base == null ? new RequestConfigBuilder() : new RequestConfigBuilder(base))
        .withRequestRetryBackoffLimit(0).build();
  }

  private static String networkDetail(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof java.net.ConnectException) {
        return c.getMessage() == null || c.getMessage().isBlank() ? "connection refused" : c.getMessage();
      }
    }
    return ErrorMessages.oneLine(t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage()));
  }
}
