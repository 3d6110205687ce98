package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.reconcilers.code.CodeUploadReceiver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The upload listener's time limit per request and how it ends refused bodies. */
class UploadServerTest {
  private static final Duration LIMIT = Duration.ofSeconds(1);

  /** Reads until the server closes the connection; returns what came and how long it took. */
  private static String readUntilClosed(Socket s, long startNanos, Duration[] took) throws IOException {
    s.setSoTimeout(10_000);
    StringBuilder got = new StringBuilder();
    try {
      InputStream in = s.getInputStream();
      for (int c; (c = in.read()) >= 0; ) {
        got.append((char) c);
      }
    } catch (SocketException reset) {
      // Closed under a client still sending: a reset is as good as a close.
    }
    took[0] = Duration.ofNanos(System.nanoTime() - startNanos);
    return got.toString();
  }

  @Test
  void aClientTricklingTheBodyIsCutOffAtTheLimit() throws Exception {
    AtomicReference<String> seen = new AtomicReference<>();
    try (UploadServer server = new UploadServer("127.0.0.1", 0, (ns, name, uid, token, body, length) -> {
      try {
        body.readAllBytes();
        seen.set("read it all");
      } catch (IOException e) {
        seen.set(e.getMessage());
      }
      return new CodeUploadReceiver.Answer(201, Map.of());
    }, LIMIT)) {
      int port = server.start();
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        long start = System.nanoTime();
        OutputStream out = s.getOutputStream();
        out.write(("PUT /uploads/ns/n/uid HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Thread trickle = new Thread(() -> {
          try {
            for (int i = 0; i < 1000; i++) {
              out.write('x');
              out.flush();
              Thread.sleep(100);
            }
          } catch (IOException | InterruptedException closed) {
            // The server cut us off.
          }
        });
        trickle.setDaemon(true);
        trickle.start();
        Duration[] took = new Duration[1];
        readUntilClosed(s, start, took);
        assertThat(took[0]).isLessThan(LIMIT.plusSeconds(2));
        awaitSet(seen);
        assertThat(seen.get()).contains("did not finish within 1 s");
      }
    }
  }

  @Test
  void aClientTricklingTheHeadersIsCutOffAtTheLimit() throws Exception {
    try (UploadServer server = new UploadServer("127.0.0.1", 0,
        (ns, name, uid, token, body, length) -> new CodeUploadReceiver.Answer(201, Map.of()), LIMIT)) {
      int port = server.start();
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        long start = System.nanoTime();
        OutputStream out = s.getOutputStream();
        Thread trickle = new Thread(() -> {
          try {
            out.write("PUT /uploads/ns/n/uid HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 1000; i++) {
              out.write('X');
              out.flush();
              Thread.sleep(100);
            }
          } catch (IOException | InterruptedException closed) {
            // The server cut us off.
          }
        });
        trickle.setDaemon(true);
        trickle.start();
        Duration[] took = new Duration[1];
        readUntilClosed(s, start, took);
        assertThat(took[0]).isLessThan(LIMIT.plusSeconds(2));
      }
    }
  }

  @Test
  void aRefusedBodyIsAnsweredAndItsConnectionClosedWithoutWaitingForTheRest() throws Exception {
    try (UploadServer server = new UploadServer("127.0.0.1", 0,
        (ns, name, uid, token, body, length) -> new CodeUploadReceiver.Answer(403, Map.of("error", "wrong token")),
        LIMIT)) {
      int port = server.start();
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        long start = System.nanoTime();
        OutputStream out = s.getOutputStream();
        // Announces a gigabyte, sends a little, then nothing more: the server must not wait for it.
        out.write(("PUT /uploads/ns/n/uid HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[100_000]);
        out.flush();
        Duration[] took = new Duration[1];
        String answer = readUntilClosed(s, start, took);
        assertThat(answer).startsWith("HTTP/1.1 403").contains("wrong token");
        assertThat(answer.toLowerCase()).contains("connection: close");
        assertThat(took[0]).isLessThan(LIMIT.plusSeconds(2));
      }
    }
  }

  private static void awaitSet(AtomicReference<String> ref) throws InterruptedException {
    for (int i = 0; i < 100 && ref.get() == null; i++) {
      Thread.sleep(50);
    }
  }
}
