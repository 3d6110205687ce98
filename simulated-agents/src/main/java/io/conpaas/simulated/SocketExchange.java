package io.conpaas.simulated;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpPrincipal;
import com.sun.net.httpserver.HttpsExchange;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/1.1 request read from a TLS socket, as the JDK server's HttpsExchange, so the agent's own
 * handlers (bootstrap, roles) serve it unchanged. The answer is sent with "Connection: close" and
 * no length: the body ends with the connection (the operator opens one connection per call).
 */
final class SocketExchange extends HttpsExchange {
  private final SSLSocket socket;
  private final String method;
  private final URI uri;
  private final Headers requestHeaders;
  private final Headers responseHeaders = new Headers();
  private final Map<String, Object> attributes = new HashMap<>();
  private InputStream body;
  private OutputStream out;
  private int responseCode = -1;

  SocketExchange(SSLSocket socket, String method, URI uri, Headers requestHeaders, InputStream body,
      OutputStream out) {
    this.socket = socket;
    this.method = method;
    this.uri = uri;
    this.requestHeaders = requestHeaders;
    this.body = body;
    this.out = out;
  }

  @Override
  public Headers getRequestHeaders() {
    return requestHeaders;
  }

  @Override
  public Headers getResponseHeaders() {
    return responseHeaders;
  }

  @Override
  public URI getRequestURI() {
    return uri;
  }

  @Override
  public String getRequestMethod() {
    return method;
  }

  @Override
  public HttpContext getHttpContext() {
    return null;
  }

  @Override
  public void close() {
    try {
      if (responseCode < 0) {
        sendResponseHeaders(500, -1);
      }
      out.flush();
      socket.close();
    } catch (IOException e) {
      // The caller went away: nothing to tell it.
    }
  }

  @Override
  public InputStream getRequestBody() {
    return body;
  }

  @Override
  public OutputStream getResponseBody() {
    // Closing the body (try-with-resources in the handlers) must not close the socket before close().
    return new FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        out.flush();
      }
    };
  }

  @Override
  public void sendResponseHeaders(int code, long length) throws IOException {
    if (responseCode >= 0) {
      throw new IOException("headers already sent");
    }
    responseCode = code;
    StringBuilder head = new StringBuilder("HTTP/1.1 ").append(code).append(code < 400 ? " OK" : " Error")
        .append("\r\n");
    for (Map.Entry<String, List<String>> h : responseHeaders.entrySet()) {
      for (String v : h.getValue()) {
        head.append(h.getKey()).append(": ").append(v).append("\r\n");
      }
    }
    if (length > 0) {
      head.append("Content-Length: ").append(length).append("\r\n");
    } else if (length < 0) {
      head.append("Content-Length: 0\r\n");
    }
    head.append("Connection: close\r\n\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  @Override
  public InetSocketAddress getRemoteAddress() {
    return (InetSocketAddress) socket.getRemoteSocketAddress();
  }

  @Override
  public int getResponseCode() {
    return responseCode;
  }

  @Override
  public InetSocketAddress getLocalAddress() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  @Override
  public String getProtocol() {
    return "HTTP/1.1";
  }

  @Override
  public Object getAttribute(String name) {
    return attributes.get(name);
  }

  @Override
  public void setAttribute(String name, Object value) {
    attributes.put(name, value);
  }

  @Override
  public void setStreams(InputStream i, OutputStream o) {
    if (i != null) {
      body = i;
    }
    if (o != null) {
      out = o;
    }
  }

  @Override
  public HttpPrincipal getPrincipal() {
    return null;
  }

  @Override
  public SSLSession getSSLSession() {
    return socket.getSession();
  }
}
