package io.conpaas.reconcilers.code;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
import org.eclipse.jgit.transport.http.HttpConnection;

/**
 * One HTTP/1.1 request of a JGit fetch over a socket from {@link GuardedGitHttp} (the checked,
 * pinned address): "Connection: close", identity encoding only (no compressed body can expand
 * past the byte cap), redirects never followed here (JGit sees the 3xx and, configured so,
 * refuses it), a request body of at most 16 MiB (want/have lines), headers of at most 64 KiB,
 * every body byte counted against the fetch's cap. TLS verification cannot be switched off.
 */
final class PinnedHttpConnection implements HttpConnection {
  private static final int MAX_REQUEST_BODY = 16 << 20;
  /** Set by us, whatever JGit asks for. */
  private static final Set<String> OURS = Set.of("host", "connection", "accept-encoding", "content-length",
      "transfer-encoding");

  private final URL url;
  private final GuardedGitHttp http;
  private final Map<String, String> request = new LinkedHashMap<>();
  private String method = "GET";
  private ByteArrayOutputStream body;
  private Socket socket;
  private int status = -1;
  private String message = "";
  private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  private InputStream in;

  PinnedHttpConnection(URL url, GuardedGitHttp http) {
    this.url = url;
    this.http = http;
  }

  @Override
  public void connect() throws IOException {
    if (status >= 0) {
      return;
    }
    socket = http.connect(url);
    try {
      OutputStream out = socket.getOutputStream();
      out.write(requestHead().getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) {
        body.writeTo(out);
      }
      out.flush();
      InputStream raw = new BufferedInputStream(socket.getInputStream());
      readHead(raw);
      in = new Counted(bodyOf(raw));
    } catch (IOException e) {
      http.release(socket);
      throw http.expired() ? http.timedOut() : e;
    }
  }

  private String requestHead() {
    String path = url.getPath() == null || url.getPath().isEmpty() ? "/" : url.getPath();
    if (url.getQuery() != null) {
      path += "?" + url.getQuery();
    }
    StringBuilder b = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    boolean defaultPort = url.getPort() < 0 || url.getPort() == url.getDefaultPort();
    b.append("Host: ").append(url.getHost()).append(defaultPort ? "" : ":" + url.getPort()).append("\r\n");
    request.forEach((k, v) -> {
      if (!OURS.contains(k.toLowerCase(Locale.ROOT)) && v != null && v.indexOf('\r') < 0 && v.indexOf('\n') < 0) {
        b.append(k).append(": ").append(v).append("\r\n");
      }
    });
    b.append("Accept-Encoding: identity\r\nConnection: close\r\n");
    if (body != null) {
      b.append("Content-Length: ").append(body.size()).append("\r\n");
    }
    return b.append("\r\n").toString();
  }

  private void readHead(InputStream raw) throws IOException {
    String statusLine = GuardedDownload.line(raw);
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      throw new IOException("the git server did not answer HTTP");
    }
    try {
      status = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IOException("the git server answered a bad status line");
    }
    message = parts.length > 2 ? parts[2] : "";
    int bytes = 0;
    for (String l; !(l = GuardedDownload.line(raw)).isEmpty(); ) {
      bytes += l.length();
      if (bytes > GuardedDownload.MAX_HEADER_BYTES) {
        throw new IOException("the git server's headers exceed " + GuardedDownload.MAX_HEADER_BYTES + " bytes");
      }
      int colon = l.indexOf(':');
      if (colon > 0) {
        headers.computeIfAbsent(l.substring(0, colon).trim(), k -> new ArrayList<>()).add(l.substring(colon + 1).trim());
      }
    }
  }

  private InputStream bodyOf(InputStream raw) throws IOException {
    if (method.equals("HEAD") || status == 204 || status == 304 || (status >= 100 && status < 200)) {
      return InputStream.nullInputStream();
    }
    String te = getHeaderField("Transfer-Encoding");
    if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
      return new GuardedDownload.ChunkedBody(raw);
    }
    String length = getHeaderField("Content-Length");
    if (length != null) {
      try {
        return new GuardedDownload.BoundedBody(raw, Long.parseLong(length.trim()));
      } catch (NumberFormatException e) {
        throw new IOException("the git server sent a bad Content-Length");
      }
    }
    return raw;
  }

  @Override
  public int getResponseCode() throws IOException {
    connect();
    return status;
  }

  @Override
  public String getResponseMessage() throws IOException {
    connect();
    return message;
  }

  @Override
  public InputStream getInputStream() throws IOException {
    connect();
    if (status == 404 || status == 410) {
      throw new FileNotFoundException(url.toString());
    }
    if (status >= 400) {
      throw new IOException("HTTP " + status + " for " + url);
    }
    return in;
  }

  @Override
  public OutputStream getOutputStream() throws IOException {
    if (status >= 0) {
      throw new ProtocolException("the request was sent already");
    }
    if (body == null) {
      body = new ByteArrayOutputStream();
    }
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (body.size() + len > MAX_REQUEST_BODY) {
          throw new IOException("a git request body exceeds " + MAX_REQUEST_BODY + " bytes");
        }
        body.write(b, off, len);
      }
    };
  }

  @Override
  public URL getURL() {
    return url;
  }

  @Override
  public Map<String, List<String>> getHeaderFields() {
    return Collections.unmodifiableMap(headers);
  }

  @Override
  public List<String> getHeaderFields(String name) {
    return headers.getOrDefault(name, List.of());
  }

  @Override
  public String getHeaderField(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
  }

  @Override
  public String getContentType() {
    return getHeaderField("Content-Type");
  }

  @Override
  public int getContentLength() {
    String v = getHeaderField("Content-Length");
    try {
      return v == null ? -1 : (int) Math.min(Integer.MAX_VALUE, Long.parseLong(v.trim()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public void setRequestProperty(String key, String value) {
    request.put(key, value);
  }

  @Override
  public void setRequestMethod(String m) throws ProtocolException {
    if (!Set.of("GET", "POST", "HEAD").contains(m)) {
      throw new ProtocolException("method " + m + " is not used for fetching");
    }
    method = m;
  }

  @Override
  public String getRequestMethod() {
    return method;
  }

  @Override
  public void setDoOutput(boolean doOutput) {
    if (doOutput && body == null) {
      body = new ByteArrayOutputStream();
    }
  }

  /** The body is buffered and sent with its length: the streaming mode does not matter. */
  @Override
  public void setFixedLengthStreamingMode(int contentLength) {}

  @Override
  public void setChunkedStreamingMode(int chunklen) {}

  /** Redirects are never followed by a connection: JGit sees the 3xx. */
  @Override
  public void setInstanceFollowRedirects(boolean followRedirects) {}

  @Override
  public void setUseCaches(boolean usecaches) {}

  /** The operator's own connect and read timeouts (code.source settings) and the fetch's deadline apply. */
  @Override
  public void setConnectTimeout(int timeout) {}

  @Override
  public void setReadTimeout(int timeout) {}

  @Override
  public boolean usingProxy() {
    return false;
  }

  @Override
  public void configure(KeyManager[] km, TrustManager[] tm, SecureRandom random) throws KeyManagementException {
    throw new KeyManagementException("TLS settings of code fetches cannot be changed (http.sslVerify is ignored)");
  }

  @Override
  public void setHostnameVerifier(HostnameVerifier hostnameverifier) throws KeyManagementException {
    throw new KeyManagementException("TLS host name verification of code fetches cannot be switched off");
  }

  /** The body as JGit reads it: counted against the cap, the socket released at its end or close. */
  private final class Counted extends InputStream {
    private final InputStream body;

    Counted(InputStream body) {
      this.body = body;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n;
      try {
        n = body.read(b, off, len);
      } catch (IOException e) {
        throw http.expired() ? http.timedOut() : e;
      }
      if (n > 0) {
        http.count(n);
      }
      return n;
    }

    @Override
    public void close() {
      http.release(socket);
    }
  }
}
