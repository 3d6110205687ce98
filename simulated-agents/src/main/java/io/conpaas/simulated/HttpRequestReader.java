package io.conpaas.simulated;

import com.sun.net.httpserver.Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads one HTTP/1.1 request head (request line and headers, at most 16 KiB) and frames its body
 * (Content-Length or chunked, at most maxBody bytes), for {@link SocketExchange}.
 */
final class HttpRequestReader {
  private static final int MAX_HEAD = 16 * 1024;

  /** The parsed head: method, target, headers. */
  record Head(String method, String target, Headers headers) {}

  private HttpRequestReader() {}

  static Head head(InputStream in) throws IOException {
    String requestLine = line(in);
    String[] parts = requestLine.split(" ");
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP/1.1 request line");
    }
    Headers headers = new Headers();
    int total = requestLine.length();
    for (String line = line(in); !line.isEmpty(); line = line(in)) {
      total += line.length();
      if (total > MAX_HEAD) {
        throw new IOException("request head larger than " + MAX_HEAD + " bytes");
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.add(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
      }
    }
    return new Head(parts[0], parts[1], headers);
  }

  /** The body as a stream that ends where the request does and refuses more than maxBody bytes. */
  static InputStream body(InputStream in, Headers headers, long maxBody) throws IOException {
    String te = headers.getFirst("Transfer-Encoding");
    if (te != null && te.toLowerCase().contains("chunked")) {
      return new Capped(new Chunked(in), maxBody);
    }
    String cl = headers.getFirst("Content-Length");
    long length = cl == null ? 0 : Long.parseLong(cl.trim());
    if (length > maxBody) {
      throw new IOException("request body larger than " + maxBody + " bytes");
    }
    return new Capped(in, length);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed in the request head");
      }
      if (b.size() > MAX_HEAD) {
        throw new IOException("request line too long");
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  /** At most limit bytes of in, then end of stream. */
  private static final class Capped extends InputStream {
    private final InputStream in;
    private long left;

    Capped(InputStream in, long limit) {
      this.in = in;
      this.left = limit;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int c = in.read();
      if (c >= 0) {
        left--;
      }
      return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }
  }

  /** The decoded data of a chunked body. */
  private static final class Chunked extends InputStream {
    private final InputStream in;
    private long chunkLeft;
    private boolean done;

    Chunked(InputStream in) {
      this.in = in;
    }

    private boolean ready() throws IOException {
      if (done) {
        return false;
      }
      if (chunkLeft == 0) {
        String size = line(in);
        int semi = size.indexOf(';');
        chunkLeft = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
        if (chunkLeft == 0) {
          for (String t = line(in); !t.isEmpty(); t = line(in)) {
            // Trailers are ignored.
          }
          done = true;
          return false;
        }
      }
      return true;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (!ready()) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, chunkLeft));
      if (n < 0) {
        throw new IOException("connection closed in a chunk");
      }
      chunkLeft -= n;
      if (chunkLeft == 0) {
        line(in);
      }
      return n;
    }
  }
}
