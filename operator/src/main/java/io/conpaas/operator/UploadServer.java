package io.conpaas.operator;

import io.conpaas.agent.api.RequestBodies;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.conpaas.agent.api.AgentJson;
import io.conpaas.reconcilers.code.CodeUploadReceiver;
import io.conpaas.reconcilers.code.UploadPaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import io.conpaas.reconcilers.net.Deadline;

/**
 * The upload listener: PUT /uploads/NAMESPACE/NAME/UID with the archive as the body (plain HTTP:
 * in-cluster it is reached through the API server's Service proxy, which authenticates the
 * caller; the one-time token authorizes the upload). Streams into the receiver.
 *
 * <p>Each request, headers and body and answer, must be done within requestTimeout: the JDK
 * server reads on blocking channels, so the thread of a request that overruns is interrupted,
 * which closes its connection (a client trickling bytes cannot hold one of the few threads).
 * A refused body is read away only up to a limit and within that time, and its connection is
 * closed after the answer.
 */
public final class UploadServer implements AutoCloseable {
  /** The header that carries the upload token. */
  public static final String TOKEN_HEADER = "X-Conpaas-Upload-Token";
  /** Each request's deadline, for the handler to name it when the body is cut. */
  private static final ThreadLocal<Deadline> REQUEST_DEADLINE = new ThreadLocal<>();

  /** What handles an upload (the CodeUploadReceiver; tests pass their own). */
  @FunctionalInterface
  interface Receiver {
    CodeUploadReceiver.Answer receive(String namespace, String name, String uid, String token, InputStream body,
        long declaredLength);
  }

  private final HttpServer server;
  private final Duration requestTimeout;
  private final ExecutorService threads = Executors.newFixedThreadPool(4, r -> {
    Thread t = new Thread(r, "code-upload");
    t.setDaemon(true);
    return t;
  });

  public UploadServer(String bind, int port, CodeUploadReceiver receiver) throws IOException {
    this(bind, port, receiver::receive, Duration.ofMinutes(10));
  }

  public UploadServer(String bind, int port, CodeUploadReceiver receiver, Duration requestTimeout)
      throws IOException {
    this(bind, port, receiver::receive, requestTimeout);
  }

  UploadServer(String bind, int port, Receiver receiver, Duration requestTimeout) throws IOException {
    this.requestTimeout = requestTimeout;
    server = HttpServer.create(new InetSocketAddress(bind, port), 16);
    // The JDK server runs each exchange (reading the headers included) as one task.
    server.setExecutor(task -> threads.execute(() -> runWithin(task)));
    server.createContext(UploadPaths.PREFIX, ex -> {
      try (ex) {
        handle(ex, receiver);
      }
    });
  }

  /** Runs one exchange; past requestTimeout its thread is interrupted, which closes the connection. */
  private void runWithin(Runnable exchange) {
    Deadline deadline = Deadline.after(requestTimeout);
    Thread thread = Thread.currentThread();
    Object lock = new Object();
    boolean[] finished = {false};
    REQUEST_DEADLINE.set(deadline);
    try (Deadline.Armed armed = deadline.abortAt(() -> {
      synchronized (lock) {
        if (!finished[0]) {
          thread.interrupt();
        }
      }
    })) {
      exchange.run();
    } finally {
      synchronized (lock) {
        finished[0] = true;
      }
      // The pool thread goes on to other requests without the interrupt.
      Thread.interrupted();
      REQUEST_DEADLINE.remove();
    }
  }

  /** Starts listening; returns the port. */
  public int start() {
    server.start();
    return server.getAddress().getPort();
  }

  private static void handle(HttpExchange ex, Receiver receiver) throws IOException {
    if (!"PUT".equals(ex.getRequestMethod())) {
      respond(ex, 405, Map.of("error", "use PUT with the archive as the body"));
      return;
    }
    String[] parts = ex.getRequestURI().getPath().substring(UploadPaths.PREFIX.length()).split("/");
    if (parts.length != 3) {
      respond(ex, 404, Map.of("error", "expected " + UploadPaths.PREFIX + "NAMESPACE/NAME/UID"));
      return;
    }
    long length = parseLength(ex.getRequestHeaders().getFirst("Content-Length"));
    CodeUploadReceiver.Answer answer;
    InputStream body = new TimedBody(ex.getRequestBody(), REQUEST_DEADLINE.get());
    answer = receiver.receive(parts[0], parts[1], parts[2], token(ex), body, length);
    if (answer.status() < 400) {
      respond(ex, answer.status(), answer.body());
      return;
    }
    // Refused: the answer goes on the wire first, so a client that stalls still gets it before
    // the request's time limit closes the connection; then what the client is still sending is
    // read away (bounded in bytes here, in time by the deadline) so it can read the answer
    // instead of meeting a reset, and the connection is closed.
    byte[] bytes = AgentJson.mapper().writeValueAsBytes(answer.body());
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.getResponseHeaders().set("Connection", "close");
    ex.sendResponseHeaders(answer.status(), bytes.length);
    OutputStream out = ex.getResponseBody();
    out.write(bytes);
    out.flush();
    RequestBodies.drain(body, RequestBodies.DRAIN_LIMIT);
    out.close();
  }

  /**
   * The one-time token: in X-Conpaas-Upload-Token (the API server's Service proxy drops the
   * Authorization header after authenticating the caller) or as a Bearer credential.
   */
  private static String token(HttpExchange ex) {
    String header = ex.getRequestHeaders().getFirst(TOKEN_HEADER);
    if (header != null && !header.isBlank()) {
      return header;
    }
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    return auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
  }

  private static long parseLength(String header) {
    try {
      return header == null ? -1 : Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void respond(HttpExchange ex, int status, Map<String, Object> body) throws IOException {
    byte[] bytes = AgentJson.mapper().writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    if (status >= 400) {
      ex.getResponseHeaders().set("Connection", "close");
    }
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** The request body; once the deadline has cut the connection, reads fail saying so. */
  private static final class TimedBody extends java.io.FilterInputStream {
    private final Deadline deadline;

    TimedBody(InputStream in, Deadline deadline) {
      super(in);
      this.deadline = deadline;
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        throw explained(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        throw explained(e);
      }
    }

    private IOException explained(IOException e) {
      if (deadline != null && (deadline.expired() || e instanceof ClosedByInterruptException)) {
        return new IOException("the upload did not finish within " + deadline.total().toSeconds()
            + " s (upload.requestTimeout); the connection was closed", e);
      }
      return e;
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
