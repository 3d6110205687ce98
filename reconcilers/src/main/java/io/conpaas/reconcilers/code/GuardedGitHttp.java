package io.conpaas.reconcilers.code;

import io.conpaas.reconcilers.net.Deadline;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Proxy;
import java.net.Socket;
import java.net.URISyntaxException;
import java.net.URL;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.jgit.transport.http.HttpConnection;
import org.eclipse.jgit.transport.http.HttpConnectionFactory;

/**
 * The HTTP connections of one JGit fetch: every URL JGit asks for (the first, a dumb-HTTP
 * alternate, anything) must be http(s) with a host the {@link DestinationGuard} lets through,
 * and is dialled at the address that check returned (checked once per host for the whole
 * fetch, so a second DNS answer cannot move it); no proxy is used (it would resolve the host
 * itself); all bodies together may bring at most maxBytes; and at the deadline every socket
 * still open is closed, however slowly the server sends.
 */
final class GuardedGitHttp implements HttpConnectionFactory, AutoCloseable {
  private final DestinationGuard guard;
  private final SSLSocketFactory tls;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final Deadline deadline;
  private final long maxBytes;
  private final AtomicLong received = new AtomicLong();
  private final Map<String, DestinationGuard.Destination> checked = new HashMap<>();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Deadline.Armed abort;

  GuardedGitHttp(DestinationGuard guard, SSLSocketFactory tls, Duration connectTimeout, Duration readTimeout,
      Deadline deadline, long maxBytes) {
    this.guard = guard;
    this.tls = tls;
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
    this.deadline = deadline;
    this.maxBytes = maxBytes;
    this.abort = deadline.abortAt(this::closeAll);
  }

  @Override
  public HttpConnection create(URL url) throws IOException {
    return create(url, Proxy.NO_PROXY);
  }

  /** The proxy JGit picked is ignored: the connection goes to the checked address itself. */
  @Override
  public HttpConnection create(URL url, Proxy ignored) throws IOException {
    String scheme = url.getProtocol().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new DestinationGuard.Refused("only http and https are fetched, not " + scheme);
    }
    if (url.getUserInfo() != null) {
      throw new DestinationGuard.Refused("the git server sent us to a URL with credentials in it");
    }
    try {
      url.toURI();
    } catch (URISyntaxException e) {
      throw new IOException("not a usable URL: " + e.getMessage());
    }
    return new PinnedHttpConnection(url, this);
  }

  /** The checked address of host; the first check of a host holds for the rest of the fetch. */
  synchronized DestinationGuard.Destination destination(String host) throws IOException {
    String key = host.toLowerCase(Locale.ROOT);
    DestinationGuard.Destination d = checked.get(key);
    if (d == null) {
      d = guard.check(host);
      checked.put(key, d);
    }
    return d;
  }

  /** A socket connected to the checked address of url's host, closed at the deadline if still open. */
  Socket connect(URL url) throws IOException {
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedIOException("the fetch was cancelled");
    }
    if (deadline.expired()) {
      throw timedOut();
    }
    boolean https = url.getProtocol().equalsIgnoreCase("https");
    int port = url.getPort() > 0 ? url.getPort() : url.getDefaultPort();
    DestinationGuard.Destination dest = destination(url.getHost());
    Socket raw = new Socket();
    open.add(raw);
    try {
      Socket s = GuardedDownload.connect(raw, dest, port, https, tls, connectTimeout, readTimeout, deadline);
      open.add(s);
      return s;
    } catch (IOException e) {
      release(raw);
      throw deadline.expired() ? timedOut() : e;
    }
  }

  void release(Socket s) {
    open.remove(s);
    GuardedDownload.closeQuietly(s);
  }

  /** Counts n more body bytes against the fetch's cap. */
  void count(int n) throws IOException {
    if (received.addAndGet(n) > maxBytes) {
      throw new IOException("the clone exceeds the limit of " + maxBytes + " bytes");
    }
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedIOException("the fetch was cancelled");
    }
  }

  IOException timedOut() {
    return new IOException("the git fetch did not finish within " + GuardedDownload.human(deadline.total()));
  }

  boolean expired() {
    return deadline.expired();
  }

  private void closeAll() {
    open.forEach(GuardedDownload::closeQuietly);
  }

  @Override
  public void close() {
    abort.close();
    closeAll();
    open.clear();
  }
}
