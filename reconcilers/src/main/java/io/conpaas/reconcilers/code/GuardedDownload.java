package io.conpaas.reconcilers.code;

import io.conpaas.reconcilers.net.Deadline;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * An HTTP(S) GET of a user-named URL that cannot be turned against the operator's network: the
 * host is checked by the {@link DestinationGuard} and the socket connects to exactly the address
 * checked (TLS still verifies the certificate against the host name); redirects are followed by
 * hand, each hop checked again, at most maxRedirects; the body is capped while it streams; the
 * whole download, redirects included, ends at the deadline however slowly the server sends.
 * Plain HTTP/1.1 with "Connection: close": one request per connection keeps it small.
 */
public final class GuardedDownload {
  static final int MAX_HEADER_BYTES = 64 * 1024;

  private final DestinationGuard guard;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final int maxRedirects;
  private final SSLSocketFactory tls;

  public GuardedDownload(DestinationGuard guard, Duration connectTimeout, Duration readTimeout, int maxRedirects,
      SSLSocketFactory tls) {
    this.guard = guard;
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
    this.maxRedirects = maxRedirects;
    this.tls = tls;
  }

  public GuardedDownload(DestinationGuard guard, Duration connectTimeout, Duration readTimeout, int maxRedirects) {
    this(guard, connectTimeout, readTimeout, maxRedirects, (SSLSocketFactory) SSLSocketFactory.getDefault());
  }

  /** Downloads url into file (at most maxBytes) before the deadline; throws with a message for the status. */
  public void download(URI url, Path file, long maxBytes, Deadline deadline) throws IOException {
    URI current = url;
    for (int hop = 0; ; hop++) {
      String location = fetchOnce(current, file, maxBytes, deadline);
      if (location == null) {
        return;
      }
      if (hop >= maxRedirects) {
        throw new IOException("more than " + maxRedirects + " redirects (last to " + location + ")");
      }
      try {
        current = current.resolve(new URI(location.trim()));
      } catch (URISyntaxException | IllegalArgumentException e) {
        throw new IOException("redirect to an unusable location " + location);
      }
    }
  }

  /** One request: returns the redirect location, or null when the body was saved. */
  private String fetchOnce(URI url, Path file, long maxBytes, Deadline deadline) throws IOException {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new DestinationGuard.Refused("only http and https URLs are fetched, not " + url);
    }
    if (url.getHost() == null) {
      throw new DestinationGuard.Refused("the URL " + url + " names no host");
    }
    boolean https = scheme.equals("https");
    int port = url.getPort() > 0 ? url.getPort() : https ? 443 : 80;
    DestinationGuard.Destination dest = guard.check(url.getHost());
    Socket raw = new Socket();
    try (Deadline.Armed armed = deadline.abortAt(() -> closeQuietly(raw))) {
      Socket socket = raw;
      try {
        socket = connect(raw, dest, port, https, tls, connectTimeout, readTimeout, deadline);
        return exchange(url, socket, port, https, file, maxBytes);
      } catch (IOException e) {
        if (deadline.expired()) {
          throw new IOException("the download did not finish within " + human(deadline.total())
              + " (the server is too slow or stalled)");
        }
        throw e;
      } finally {
        closeQuietly(socket);
        closeQuietly(raw);
      }
    }
  }

  /**
   * Connects raw to exactly the checked address (and, for https, shakes hands verifying the
   * certificate against the host as the user named it); returns the socket to talk over.
   */
  static Socket connect(Socket raw, DestinationGuard.Destination dest, int port, boolean https, SSLSocketFactory tls,
      Duration connectTimeout, Duration readTimeout, Deadline deadline) throws IOException {
    raw.connect(new InetSocketAddress(dest.address(), port), deadline.millisUpTo(connectTimeout));
    raw.setSoTimeout(deadline.millisUpTo(readTimeout));
    if (!https) {
      return raw;
    }
    SSLSocket s = (SSLSocket) tls.createSocket(raw, dest.host(), port, true);
    SSLParameters p = s.getSSLParameters();
    // The certificate must name the host the user wrote, although we dialled its address.
    p.setEndpointIdentificationAlgorithm("HTTPS");
    if (!Cidr.looksLikeAddress(dest.host())) {
      p.setServerNames(List.of(new SNIHostName(dest.host())));
    }
    s.setSSLParameters(p);
    s.startHandshake();
    return s;
  }

  private String exchange(URI url, Socket socket, int port, boolean https, Path file, long maxBytes)
      throws IOException {
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      path += "?" + url.getRawQuery();
    }
    boolean defaultPort = port == (https ? 443 : 80);
    String host = url.getHost() + (defaultPort ? "" : ":" + port);
    String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: conpaas-operator\r\n"
        + "Accept: */*\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n";
    OutputStream out = socket.getOutputStream();
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = new BufferedInputStream(socket.getInputStream());
    String statusLine = line(in);
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      throw new IOException("the server did not answer HTTP: " + abbreviate(statusLine));
    }
    int status;
    try {
      status = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IOException("the server answered a bad status line: " + abbreviate(statusLine));
    }
    Map<String, String> headers = headers(in);
    if (status >= 300 && status < 400 && headers.containsKey("location")) {
      return headers.get("location");
    }
    if (status != 200) {
      throw new IOException("HTTP " + status);
    }
    InputStream body;
    if (headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
      body = new ChunkedBody(in);
    } else if (headers.containsKey("content-length")) {
      long length;
      try {
        length = Long.parseLong(headers.get("content-length").trim());
      } catch (NumberFormatException e) {
        throw new IOException("the server sent a bad Content-Length");
      }
      if (length > maxBytes) {
        throw new IOException("the archive has " + length + " bytes, more than the limit of " + maxBytes);
      }
      body = new BoundedBody(in, length);
    } else {
      body = in;
    }
    try (OutputStream file0 = Files.newOutputStream(file)) {
      byte[] buf = new byte[64 * 1024];
      long total = 0;
      for (int n; (n = body.read(buf)) >= 0; ) {
        total += n;
        if (total > maxBytes) {
          throw new IOException("the archive is larger than the limit of " + maxBytes + " bytes");
        }
        file0.write(buf, 0, n);
      }
    }
    return null;
  }

  private static Map<String, String> headers(InputStream in) throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    int bytes = 0;
    for (String l; !(l = line(in)).isEmpty(); ) {
      bytes += l.length();
      if (bytes > MAX_HEADER_BYTES) {
        throw new IOException("the server's headers exceed " + MAX_HEADER_BYTES + " bytes");
      }
      int colon = l.indexOf(':');
      if (colon > 0) {
        headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
      }
    }
    return headers;
  }

  /** One CRLF- (or LF-) terminated line, at most MAX_HEADER_BYTES. */
  static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c; (c = in.read()) != '\n'; ) {
      if (c < 0) {
        throw new EOFException("the server closed the connection early");
      }
      if (b.size() >= MAX_HEADER_BYTES) {
        throw new IOException("a header line exceeds " + MAX_HEADER_BYTES + " bytes");
      }
      b.write(c);
    }
    String s = b.toString(StandardCharsets.ISO_8859_1);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }

  static String human(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // Closing is all we want.
    }
  }

  /** A body of known length: EOF after length bytes, an error if the server stops short. */
  static final class BoundedBody extends InputStream {
    private final InputStream in;
    private long left;

    BoundedBody(InputStream in, long length) {
      this.in = in;
      this.left = length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left == 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new EOFException("the server closed the connection before the whole body arrived");
      }
      left -= n;
      return n;
    }
  }

  /** Transfer-Encoding: chunked, decoded (trailers skipped). */
  static final class ChunkedBody extends InputStream {
    private final InputStream in;
    private long chunkLeft;
    private boolean done;

    ChunkedBody(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      if (chunkLeft == 0) {
        String size = line(in);
        int semi = size.indexOf(';');
        try {
          chunkLeft = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
        } catch (NumberFormatException e) {
          throw new IOException("bad chunk size in the server's answer");
        }
        if (chunkLeft == 0) {
          while (!line(in).isEmpty()) {
            // Trailers: ignored.
          }
          done = true;
          return -1;
        }
      }
      int n = in.read(b, off, (int) Math.min(len, chunkLeft));
      if (n < 0) {
        throw new EOFException("the server closed the connection inside a chunk");
      }
      chunkLeft -= n;
      if (chunkLeft == 0) {
        line(in);
      }
      return n;
    }
  }
}
