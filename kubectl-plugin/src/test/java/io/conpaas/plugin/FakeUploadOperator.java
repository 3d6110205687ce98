package io.conpaas.plugin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.conpaas.api.v1alpha1.CodeUpload;
import io.conpaas.api.v1alpha1.CodeUploadPhase;
import io.conpaas.api.v1alpha1.CodeUploadSpec;
import io.conpaas.api.v1alpha1.CodeUploadStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Plays the operator's side of upload-code and upload-dump in the ITs (no operator runs there):
 * watches the CodeUploads of one namespace, answers each through the status subresource as told (a
 * one-time URL on its own HTTP server, Failed, or nothing), and takes the PUT like the operator's
 * upload endpoint: checks the token against spec.tokenSha256, reads the streamed body and answers
 * 201 {version, sha256, bytes} for code, for a MysqlService's dump 200 {"statements": N} (N: the
 * body's semicolons) or what {@link #answerDumps} set, or an error.
 */
final class FakeUploadOperator implements AutoCloseable {
  /** How CodeUploads are answered. */
  enum Answer { READY, FAILED, SILENT }

  /** One PUT as the server saw it. */
  record Received(CodeUpload request, String authorization, String tokenHeader, String contentLength,
      byte[] body, boolean tokenAccepted) {}

  final List<CodeUpload> requests = new CopyOnWriteArrayList<>();
  final List<Received> received = new CopyOnWriteArrayList<>();

  private final KubernetesClient client;
  private final HttpServer server;
  private final Watch watch;
  private volatile Answer answer;
  private volatile String failure;
  private volatile String urlBase;
  private volatile int refusalCode;
  private volatile String refusal;
  private volatile boolean misreport;
  private volatile int dumpCode;
  private volatile Map<String, Object> dumpAnswer;

  /** Starts the HTTP server on {@code address} (any free port) and the watch of {@code ns}. */
  FakeUploadOperator(KubernetesClient client, String ns, InetAddress address) throws IOException {
    this.client = client;
    this.server = HttpServer.create(new InetSocketAddress(address, 0), 0);
    server.createContext("/uploads/", this::upload);
    server.start();
    reset();
    this.watch = client.resources(CodeUpload.class).inNamespace(ns).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, CodeUpload u) {
        if (action == Action.ADDED) {
          answer(u);
        }
      }

      @Override
      public void onClose(WatcherException cause) {
        // The test is over.
      }
    });
  }

  /** Back to answering Ready with a URL on this server, accepting uploads; forgets what was seen. */
  void reset() {
    answer = Answer.READY;
    failure = null;
    urlBase = "http://" + server.getAddress().getAddress().getHostAddress() + ":" + port();
    refusalCode = 0;
    refusal = null;
    misreport = false;
    dumpCode = 0;
    dumpAnswer = null;
    requests.clear();
    received.clear();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** Answers the next CodeUploads with {@code a} ({@code message}: the Failed status's message). */
  void answer(Answer a, String message) {
    this.answer = a;
    this.failure = message;
  }

  /** URLs in answers start with {@code base} (e.g. an API server proxy path) instead of this server's URL. */
  void urlBase(String base) {
    this.urlBase = base;
  }

  /** Refuses uploads with HTTP {@code code} and {"error": MESSAGE}, after reading the body. */
  void refuse(int code, String message) {
    this.refusalCode = code;
    this.refusal = message;
  }

  /** Answers dumps with HTTP {@code code} and {@code json} (after reading the body), as the master would. */
  void answerDumps(int code, Map<String, Object> json) {
    this.dumpCode = code;
    this.dumpAnswer = json;
  }

  /** Accepts uploads but reports a digest that is not the body's. */
  void misreportDigest() {
    this.misreport = true;
  }

  private void answer(CodeUpload u) {
    requests.add(u);
    CodeUploadStatus st = new CodeUploadStatus();
    switch (answer) {
      case SILENT -> {
        return;
      }
      case FAILED -> {
        st.setPhase(CodeUploadPhase.Failed);
        st.setMessage(failure);
      }
      default -> {
        st.setPhase(CodeUploadPhase.Ready);
        st.setUrl(urlBase + "/uploads/" + u.getMetadata().getUid());
        st.setExpiresAt("2099-01-01T00:00:00Z");
      }
    }
    client.resources(CodeUpload.class).inNamespace(u.getMetadata().getNamespace()).withName(u.getMetadata().getName())
        .editStatus(c -> {
          c.setStatus(st);
          return c;
        });
  }

  private void upload(HttpExchange ex) throws IOException {
    try (ex) {
      String uid = ex.getRequestURI().getPath().substring("/uploads/".length());
      CodeUpload request = requests.stream().filter(r -> uid.equals(r.getMetadata().getUid())).findFirst().orElse(null);
      String authorization = ex.getRequestHeaders().getFirst("Authorization");
      String tokenHeader = ex.getRequestHeaders().getFirst(ArchiveUpload.TOKEN_HEADER);
      byte[] body = readAll(ex.getRequestBody());
      String token = tokenHeader != null ? tokenHeader
          : authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : "";
      boolean accepted = request != null && "PUT".equals(ex.getRequestMethod())
          && UploadToken.sha256(token).equals(request.getSpec().getTokenSha256());
      received.add(new Received(request, authorization, tokenHeader,
          ex.getRequestHeaders().getFirst("Content-Length"), body, accepted));
      if (!accepted) {
        reply(ex, 403, Map.of("error", "invalid upload token"));
      } else if (refusal != null) {
        reply(ex, refusalCode, Map.of("error", refusal));
      } else if (request.getSpec().getServiceKind() == CodeUploadSpec.ServiceKind.MysqlService) {
        reply(ex, dumpAnswer == null ? 200 : dumpCode, dumpAnswer != null ? dumpAnswer
            : Map.of("statements", new String(body, StandardCharsets.UTF_8).chars().filter(c -> c == ';').count()));
      } else {
        String sha256 = HexFormat.of().formatHex(digest().digest(body));
        reply(ex, 201, Map.of("version", request.getSpec().getVersion(),
            "sha256", misreport ? "00".repeat(32) : sha256, "bytes", body.length));
      }
    }
  }

  /** Reads the body in chunks, as a server that streams it to disk would. */
  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toByteArray();
  }

  private static void reply(HttpExchange ex, int code, Map<String, Object> json) throws IOException {
    byte[] b = Serialization.asJson(json).getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(code, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    watch.close();
    server.stop(0);
  }
}
