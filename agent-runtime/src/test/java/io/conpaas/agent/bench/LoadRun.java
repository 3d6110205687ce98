package io.conpaas.agent.bench;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * A closed-loop HTTP/1.1 load: a fixed number of clients, each on its own keep-alive connection
 * and platform thread, sending the next GET as soon as the previous answer is in. Raw sockets and
 * a minimal response parser keep the clients' CPU small: they share the machine with the servers.
 */
final class LoadRun {
  /** Where requests go. */
  record Target(String name, String host, int port) {
    static Target of(String name, String hostPort) {
      int colon = hostPort.lastIndexOf(':');
      return new Target(name, hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }
  }

  /** One measurement: answers that were a 200 with the expected body, the rest, over the elapsed time. */
  record Result(long ok, long failed, double seconds, String firstError) {
    double perSecond() {
      return ok / seconds;
    }
  }

  private LoadRun() {}

  /** Runs clients against target for about seconds (each client finishes the request it is in). */
  static Result run(Target target, int clients, int seconds) throws InterruptedException {
    CountDownLatch connected = new CountDownLatch(clients);
    CountDownLatch go = new CountDownLatch(1);
    Client[] all = new Client[clients];
    for (int i = 0; i < clients; i++) {
      all[i] = new Client(target, connected, go);
      all[i].start();
    }
    connected.await();
    long t0 = System.nanoTime();
    long deadline = t0 + seconds * 1_000_000_000L;
    for (Client c : all) {
      c.deadline = deadline;
    }
    go.countDown();
    long ok = 0;
    long failed = 0;
    String firstError = null;
    for (Client c : all) {
      c.join();
    }
    double elapsed = (System.nanoTime() - t0) / 1e9;
    for (Client c : all) {
      ok += c.ok;
      failed += c.failed;
      if (firstError == null) {
        firstError = c.firstError;
      }
    }
    return new Result(ok, failed, elapsed, firstError);
  }

  /** One client thread with its connection. */
  private static final class Client extends Thread {
    private static final byte[] EXPECTED = WebProxyBench.ascii(WebProxyBench.EXPECTED_BODY);

    private final Target target;
    private final CountDownLatch connected;
    private final CountDownLatch go;
    private final byte[] request;
    private final byte[] line = new byte[8192];
    private byte[] body = new byte[4096];
    volatile long deadline;
    long ok;
    long failed;
    String firstError;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    Client(Target target, CountDownLatch connected, CountDownLatch go) {
      super("bench-client-" + target.name());
      setDaemon(true);
      this.target = target;
      this.connected = connected;
      this.go = go;
      this.request = WebProxyBench.ascii("GET " + WebProxyBench.PAGE + " HTTP/1.1\r\nHost: " + target.host() + ":"
          + target.port() + "\r\nUser-Agent: bench-web\r\nAccept: */*\r\n\r\n");
    }

    @Override
    public void run() {
      try {
        connect();
      } catch (IOException e) {
        fail(e);
      }
      connected.countDown();
      try {
        go.await();
      } catch (InterruptedException e) {
        return;
      }
      while (System.nanoTime() < deadline) {
        try {
          if (socket == null) {
            connect();
          }
          if (exchange()) {
            ok++;
          } else {
            failed++;
          }
        } catch (IOException | RuntimeException e) {
          fail(e);
          close();
          pause();
        }
      }
      close();
    }

    private void connect() throws IOException {
      Socket s = new Socket();
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress(target.host(), target.port()), 5000);
      s.setSoTimeout(20_000);
      socket = s;
      in = new BufferedInputStream(s.getInputStream(), 16384);
      out = s.getOutputStream();
    }

    private void fail(Exception e) {
      failed++;
      if (firstError == null) {
        firstError = target.name() + ": " + e;
      }
    }

    private static void pause() {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void close() {
      if (socket != null) {
        try {
          socket.close();
        } catch (IOException e) {
          // Going away anyway.
        }
        socket = null;
      }
    }

    /** One request and its answer; true when it was a 200 with the expected body. */
    private boolean exchange() throws IOException {
      out.write(request);
      out.flush();
      int n = readLine();
      String status = new String(line, 0, n, StandardCharsets.US_ASCII);
      if (!status.startsWith("HTTP/1.") || status.length() < 12) {
        throw new IOException("not an HTTP status line: " + status);
      }
      int code = Integer.parseInt(status.substring(9, 12));
      long length = -1;
      boolean chunked = false;
      boolean closeAfter = status.startsWith("HTTP/1.0");
      while ((n = readLine()) > 0) {
        String h = new String(line, 0, n, StandardCharsets.US_ASCII).toLowerCase();
        if (h.startsWith("content-length:")) {
          length = Long.parseLong(h.substring(15).trim());
        } else if (h.startsWith("transfer-encoding:")) {
          chunked = h.contains("chunked");
        } else if (h.startsWith("connection:")) {
          closeAfter = h.contains("close");
        }
      }
      int size;
      if (chunked) {
        size = readChunked();
      } else if (length >= 0) {
        size = readBody((int) length);
      } else {
        size = readToEnd();
        closeAfter = true;
      }
      boolean good = code == 200 && Arrays.equals(body, 0, size, EXPECTED, 0, EXPECTED.length);
      if (!good && firstError == null) {
        firstError = target.name() + ": HTTP " + code + " " + new String(body, 0, Math.min(size, 200),
            StandardCharsets.UTF_8).strip().replace('\n', ' ');
      }
      if (closeAfter) {
        // The server ends the connection (e.g. keepalive_requests reached): not a failure, reconnect.
        close();
      }
      return good;
    }

    /** Reads one line without its CRLF into line; returns its length. */
    private int readLine() throws IOException {
      int n = 0;
      while (true) {
        int b = in.read();
        if (b < 0) {
          throw new EOFException("connection closed by the server");
        }
        if (b == '\n') {
          return n > 0 && line[n - 1] == '\r' ? n - 1 : n;
        }
        if (n == line.length) {
          throw new IOException("header line too long");
        }
        line[n++] = (byte) b;
      }
    }

    private int readBody(int length) throws IOException {
      ensure(length);
      readFully(0, length);
      return length;
    }

    private int readChunked() throws IOException {
      int size = 0;
      while (true) {
        int n = readLine();
        String hex = new String(line, 0, n, StandardCharsets.US_ASCII);
        int semi = hex.indexOf(';');
        int chunk = Integer.parseInt((semi < 0 ? hex : hex.substring(0, semi)).trim(), 16);
        if (chunk == 0) {
          while (readLine() > 0) {
            // Trailers: none expected, skipped.
          }
          return size;
        }
        ensure(size + chunk);
        readFully(size, chunk);
        size += chunk;
        if (readLine() != 0) {
          throw new IOException("chunk not followed by CRLF");
        }
      }
    }

    private int readToEnd() throws IOException {
      int size = 0;
      while (true) {
        ensure(size + 4096);
        int r = in.read(body, size, body.length - size);
        if (r < 0) {
          return size;
        }
        size += r;
      }
    }

    private void readFully(int offset, int length) throws IOException {
      int done = 0;
      while (done < length) {
        int r = in.read(body, offset + done, length - done);
        if (r < 0) {
          throw new EOFException("connection closed in the middle of a body");
        }
        done += r;
      }
    }

    private void ensure(int capacity) throws IOException {
      if (capacity > 16 << 20) {
        throw new IOException("body larger than 16 MiB");
      }
      if (body.length < capacity) {
        body = Arrays.copyOf(body, Math.max(capacity, body.length * 2));
      }
    }
  }
}
