package io.conpaas.reconcilers.agentclient;

import io.conpaas.agent.api.AgentInfo;
import io.conpaas.agent.api.AgentJson;
import io.conpaas.agent.api.AgentPaths;
import io.conpaas.agent.api.BootstrapClaim;
import io.conpaas.agent.api.MysqlRoleKeys;
import io.conpaas.reconcilers.net.Deadline;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocketFactory;

/**
 * Calls agents with the operator's client certificate. Instead of matching a host name (a
 * VM's address is not known when its certificate is issued) it pins the peer's identity: the
 * certificate must be signed by our CA and name the expected Agent ({@link AgentIdentity}:
 * namespace, name and UID). Every call is bounded: connect and read timeouts per step, a total
 * time after which the connection is closed under the call (an agent that trickles bytes cannot
 * hold a reconcile thread), and a cap on the answer's size.
 *
 * <p>TLS sessions are resumed: one SSLContext for every call, and the TLS socket is layered with the
 * agent's host and port, so the JDK's client cache offers the agent's last session (no certificate
 * signing or checking: ~3 ms of CPU per call with a simulated agent in-process, against ~12 ms for a
 * new context and a full handshake). The pin is still checked on every call against the certificate
 * of the session's full handshake, and only the agent holding that session's keys can resume it: a
 * different agent at the same address and port gets a full handshake and is refused
 * (HttpsAgentClientResumptionTest). Connections are not kept alive: disconnect() after every call
 * (the simulated agents serve one call per connection too).
 */
public final class HttpsAgentClient implements AgentClient {
  /** Agent answers are small JSON documents or role output; anything bigger is a broken or hostile agent. */
  public static final int DEFAULT_MAX_ANSWER_BYTES = 4 * 1024 * 1024;

  private final SSLContext tls;
  private final int timeoutMillis;
  private final int slowTimeoutMillis;
  private final int maxAnswerBytes;

  /** timeout: for health and info; configuration and uploads get at least 60 s (see below). */
  public HttpsAgentClient(SSLContext tls, Duration timeout) {
    this(tls, timeout, DEFAULT_MAX_ANSWER_BYTES);
  }

  public HttpsAgentClient(SSLContext tls, Duration timeout, int maxAnswerBytes) {
    this.tls = tls;
    this.timeoutMillis = (int) timeout.toMillis();
    // A proxy answers PUT /config only once its old workers drained (up to ~35 s), and an upload
    // is checked and expanded before the agent answers.
    this.slowTimeoutMillis = Math.max(timeoutMillis, 60_000);
    this.maxAnswerBytes = maxAnswerBytes;
  }

  /** The whole of a call whose steps time out after readTimeoutMillis: a few steps' worth, then it is cut. */
  private static Duration total(int readTimeoutMillis) {
    return Duration.ofMillis(3L * readTimeoutMillis);
  }

  @Override
  public boolean healthy(String endpoint, AgentIdentity agent) {
    try {
      call(endpoint, agent, "GET", AgentPaths.HEALTH, null);
      return true;
    } catch (AgentCallException e) {
      return false;
    }
  }

  @Override
  public AgentInfo info(String endpoint, AgentIdentity agent) {
    return parse(call(endpoint, agent, "GET", AgentPaths.INFO, null), AgentInfo.class);
  }

  @Override
  public AgentInfo configure(String endpoint, AgentIdentity agent, Map<String, String> config) {
    try {
      byte[] body = AgentJson.mapper().writeValueAsBytes(config);
      return parse(call(endpoint, agent, "PUT", AgentPaths.CONFIG, body, null, slowTimeoutMillis), AgentInfo.class);
    } catch (IOException e) {
      throw new AgentCallException("cannot encode configuration", e);
    }
  }

  @Override
  public void uploadCode(String endpoint, AgentIdentity agent, String version, Path archive) {
    try {
      call(endpoint, agent, "PUT", AgentPaths.CODE_VERSIONS + "/" + version, null, archive, slowTimeoutMillis);
    } catch (AgentCallException e) {
      // 409: versions are immutable and this one is there (e.g. an earlier pass uploaded it).
      if (!e.getMessage().contains(" answered 409:")) {
        throw e;
      }
    }
  }

  @Override
  public AgentInfo putCredentials(String endpoint, AgentIdentity agent, MysqlRoleKeys.Credentials credentials) {
    try {
      byte[] body = AgentJson.mapper().writeValueAsBytes(credentials);
      return parse(call(endpoint, agent, "PUT", AgentPaths.MYSQL_CREDENTIALS, body), AgentInfo.class);
    } catch (IOException e) {
      throw new AgentCallException("cannot encode credentials", e);
    }
  }

  @Override
  public AgentInfo putVpn(String endpoint, AgentIdentity agent, io.conpaas.agent.api.VpnConfig config) {
    try {
      byte[] body = AgentJson.mapper().writeValueAsBytes(config);
      return parse(call(endpoint, agent, "PUT", io.conpaas.agent.api.VpnConfig.PATH, body), AgentInfo.class);
    } catch (IOException e) {
      throw new AgentCallException("cannot encode the VPN configuration", e);
    }
  }

  @Override
  public boolean leave(String endpoint, AgentIdentity agent) {
    String answer = call(endpoint, agent, "POST", AgentPaths.LEAVE, new byte[0]);
    // Older agents may answer nothing parseable: they have left when they answer at all.
    try {
      return !AgentPaths.STATE_LEAVING.equals(AgentJson.mapper().readValue(answer, AgentInfo.class).state());
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }

  @Override
  public Answer stream(String endpoint, AgentIdentity agent, String path, InputStream body, long length) {
    int readTimeout = slowTimeoutMillis * 5;
    Deadline deadline = Deadline.after(total(readTimeout).multipliedBy(2));
    Connection conn = null;
    try {
      conn = connect(endpoint, agent, path, readTimeout);
      HttpsURLConnection c = conn.http;
      try (Deadline.Armed armed = deadline.abortAt(conn::abort)) {
        c.setRequestMethod("PUT");
        c.setDoOutput(true);
        if (length >= 0) {
          c.setFixedLengthStreamingMode(length);
        } else {
          c.setChunkedStreamingMode(64 * 1024);
        }
        c.setRequestProperty("Content-Type", "application/octet-stream");
        try (OutputStream out = c.getOutputStream()) {
          body.transferTo(out);
        }
        int status = c.getResponseCode();
        return new Answer(status, readAnswer(c, status, agent, path, deadline));
      }
    } catch (IOException e) {
      throw failure("PUT", path, agent, endpoint, deadline, e);
    } finally {
      if (conn != null) {
        conn.http.disconnect();
      }
    }
  }

  @Override
  public String get(String endpoint, AgentIdentity agent, String path) {
    return call(endpoint, agent, "GET", path, null);
  }

  private String call(String endpoint, PeerPin agent, String method, String path, byte[] body) {
    return call(endpoint, agent, method, path, body, null, timeoutMillis);
  }

  private String call(String endpoint, PeerPin agent, String method, String path, byte[] body, Path file,
      int readTimeoutMillis) {
    Deadline deadline = Deadline.after(total(readTimeoutMillis).plusMillis(timeoutMillis));
    Connection conn = null;
    try {
      conn = connect(endpoint, agent, path, readTimeoutMillis);
      HttpsURLConnection c = conn.http;
      try (Deadline.Armed armed = deadline.abortAt(conn::abort)) {
        c.setRequestMethod(method);
        if (file != null) {
          // Streamed with a fixed length: never the whole archive in memory.
          c.setDoOutput(true);
          c.setFixedLengthStreamingMode(Files.size(file));
          c.setRequestProperty("Content-Type", "application/octet-stream");
          try (OutputStream out = c.getOutputStream()) {
            Files.copy(file, out);
          }
        } else if (body != null) {
          c.setDoOutput(true);
          c.setRequestProperty("Content-Type", "application/json");
          try (OutputStream out = c.getOutputStream()) {
            out.write(body);
          }
        }
        int status = c.getResponseCode();
        String text = readAnswer(c, status, agent, path, deadline);
        if (status >= 400) {
          throw new AgentAnsweredError(method + " " + path + " on " + agent, status, text);
        }
        return text;
      }
    } catch (IOException e) {
      throw failure(method, path, agent, endpoint, deadline, e);
    } finally {
      if (conn != null) {
        conn.http.disconnect();
      }
    }
  }

  /** The answer's body as text, at most maxAnswerBytes (more is refused, not read). */
  private String readAnswer(HttpsURLConnection c, int status, PeerPin agent, String path, Deadline deadline)
      throws IOException {
    long declared = c.getContentLengthLong();
    if (declared > maxAnswerBytes) {
      throw new AgentCallException(agent + " answered " + path + " with " + declared + " bytes, more than the "
          + "limit of " + maxAnswerBytes, null);
    }
    try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
      if (in == null) {
        return "";
      }
      byte[] data = in.readNBytes(maxAnswerBytes + 1);
      if (data.length > maxAnswerBytes) {
        throw new AgentCallException(agent + " answered " + path + " with more than the limit of "
            + maxAnswerBytes + " bytes", null);
      }
      // A connection closed under us by the deadline can look like a short, complete answer.
      if (deadline.expired() || declared >= 0 && data.length < declared) {
        throw new IOException("the answer was cut short after " + data.length + " bytes");
      }
      return new String(data, StandardCharsets.UTF_8);
    }
  }

  private static AgentCallException failure(String method, String path, PeerPin agent, String endpoint,
      Deadline deadline, IOException e) {
    String why = deadline.expired() ? "did not finish within " + deadline.total().toMillis() + " ms"
        : e.getMessage();
    String message = method + " " + path + " on " + agent + " at " + endpoint + " failed: " + why;
    return deadline.expired() || e instanceof java.net.SocketTimeoutException ? new AgentTimeoutException(message, e)
        : new AgentCallException(message, e);
  }

  /** An open connection and the plain socket under its TLS, which the deadline closes. */
  private static final class Connection {
    final HttpsURLConnection http;
    final SocketTap tap;

    Connection(HttpsURLConnection http, SocketTap tap) {
      this.http = http;
      this.tap = tap;
    }

    /**
     * Closing the plain socket fails a blocked connect, read or write at once (closing TLS could wait for a
     * lock). Not disconnect(): it runs on the deadline's thread, and HttpURLConnection is not thread-safe
     * (a disconnect under a reading thread surfaced there as a NullPointerException instead of a timeout).
     */
    void abort() {
      tap.closeAll();
    }
  }

  /** A connection that pins the agent's identity (our CA, namespace, name and UID) instead of a host name. */
  private Connection connect(String endpoint, PeerPin agent, String path, int readTimeoutMillis)
      throws IOException {
    HttpsURLConnection c = (HttpsURLConnection) new URL("https://" + endpoint + path).openConnection();
    SocketTap tap = new SocketTap(tls.getSocketFactory(), agent);
    c.setSSLSocketFactory(tap);
    // Only consulted when the standard host name check fails (an agent certificate names
    // 127.0.0.1, so for local agents it would not be): the real pin is in SocketTap.
    c.setHostnameVerifier((host, session) -> {
      try {
        Certificate[] chain = session.getPeerCertificates();
        return chain.length > 0 && chain[0] instanceof X509Certificate x && agent.matches(x);
      } catch (SSLPeerUnverifiedException e) {
        return false;
      }
    });
    c.setConnectTimeout(timeoutMillis);
    c.setReadTimeout(readTimeoutMillis);
    return new Connection(c, tap);
  }

  /**
   * Hands out the JDK's TLS sockets, each one handshaken and its peer checked against the
   * expected agent before HTTP uses it, and remembers the plain sockets under them, to close
   * them on a deadline.
   */
  private static final class SocketTap extends SSLSocketFactory {
    private final SSLSocketFactory delegate;
    private final PeerPin agent;
    private final java.util.List<Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean closed;

    SocketTap(SSLSocketFactory delegate, PeerPin agent) {
      this.delegate = delegate;
      this.agent = agent;
    }

    /** Handshakes now and refuses a peer that is not the expected agent (before a byte of HTTP is sent). */
    private Socket pinned(Socket s) throws IOException {
      javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) s;
      tls.startHandshake();
      Certificate[] chain = tls.getSession().getPeerCertificates();
      if (chain.length == 0 || !(chain[0] instanceof X509Certificate x) || !agent.matches(x)) {
        tls.close();
        throw new SSLPeerUnverifiedException(agent.mismatch());
      }
      return s;
    }

    void closeAll() {
      closed = true;
      for (Socket s : sockets) {
        try {
          s.close();
        } catch (IOException ignored) {
          // Closing is all we want.
        }
      }
    }

    /** Every socket of the connection; none after closeAll (a retry of HttpURLConnection's would outlive it). */
    private <S extends Socket> S track(S s) throws IOException {
      sockets.add(s);
      if (closed) {
        s.close();
        throw new java.net.SocketException("the call's deadline closed the connection");
      }
      return s;
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
      track(s);
      return pinned(track(delegate.createSocket(s, host, port, autoClose)));
    }

    /**
     * Unconnected: a plain socket, so that HttpsURLConnection layers TLS over it through
     * {@link #createSocket(Socket, String, int, boolean)}, where the peer is pinned.
     */
    @Override
    public Socket createSocket() throws IOException {
      return track(new Socket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return pinned(track(delegate.createSocket(host, port)));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
      return pinned(track(delegate.createSocket(host, port, localHost, localPort)));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return pinned(track(delegate.createSocket(host, port)));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
        throws IOException {
      return pinned(track(delegate.createSocket(address, port, localAddress, localPort)));
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return delegate.getSupportedCipherSuites();
    }
  }

  /** GET /bootstrap, checking the peer with pin (which sees the key the agent's TLS presents). */
  BootstrapClaim bootstrapClaim(String endpoint, PeerPin pin) {
    return parse(call(endpoint, pin, "GET", AgentPaths.BOOTSTRAP, null), BootstrapClaim.class);
  }

  /** PUT /bootstrap with a certificate, to the peer pin accepts only. */
  void installCertificate(String endpoint, PeerPin pin, String certificatePem) {
    try {
      call(endpoint, pin, "PUT", AgentPaths.BOOTSTRAP,
          AgentJson.mapper().writeValueAsBytes(new BootstrapClaim.Certificate(certificatePem)));
    } catch (IOException e) {
      throw new AgentCallException("cannot encode the certificate", e);
    }
  }

  private static <T> T parse(String json, Class<T> type) {
    try {
      return AgentJson.mapper().readValue(json, type);
    } catch (IOException e) {
      throw new AgentCallException("agent answered malformed JSON: " + e.getMessage(), e);
    }
  }
}
