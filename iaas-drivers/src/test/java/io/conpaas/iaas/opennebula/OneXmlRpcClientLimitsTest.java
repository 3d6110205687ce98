package io.conpaas.iaas.opennebula;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.conpaas.iaas.CloudException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An OpenNebula endpoint that trickles or floods its answer cannot hold or fill the operator; an
 * HTTP error becomes a CloudException whose reason tells throttling from other failures.
 */
class OneXmlRpcClientLimitsTest {
  private HttpServer server;

  private URI serve(long length, Duration perByte) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", ex -> {
      ex.sendResponseHeaders(200, length);
      try (OutputStream out = ex.getResponseBody()) {
        byte[] chunk = new byte[perByte.isZero() ? 64 * 1024 : 1];
        for (long sent = 0; sent < length; sent += chunk.length) {
          out.write(chunk);
          if (!perByte.isZero()) {
            out.flush();
            Thread.sleep(perByte.toMillis());
          }
        }
      } catch (IOException | InterruptedException clientGaveUp) {
        // expected
      }
    });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/RPC2");
  }

  private URI answer(int status) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
    server.createContext("/", ex -> {
      ex.sendResponseHeaders(status, -1);
      ex.close();
    });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/RPC2");
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void aTricklingAnswerIsCutAtTwiceTheRequestTimeout() throws Exception {
    OneXmlRpcClient client = new OneXmlRpcClient(serve(1000, Duration.ofMillis(100)), Duration.ofMillis(500));
    long start = System.nanoTime();
    assertThatThrownBy(() -> client.call("one.system.version", "u:p"))
        .isInstanceOfSatisfying(CloudException.class, e -> {
          assertThat(e.reason()).isEqualTo("EndpointTimeout");
          assertThat(e.retryable()).isTrue();
        });
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void anAnswerAboveTheCapIsRefused() throws Exception {
    OneXmlRpcClient client = new OneXmlRpcClient(serve(OneXmlRpcClient.MAX_RESPONSE_BYTES + 100_000L,
        Duration.ZERO), Duration.ofSeconds(20));
    assertThatThrownBy(() -> client.call("one.system.version", "u:p"))
        .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.getMessage()).contains("exceeds"));
  }

  @Test
  void http429CountsAsThrottledAndOtherErrorsDoNot() throws Exception {
    OneXmlRpcClient throttled = new OneXmlRpcClient(answer(429), Duration.ofSeconds(5));
    assertThatThrownBy(() -> throttled.call("one.vmpool.info", "u:p"))
        .isInstanceOfSatisfying(CloudException.class, e -> {
          assertThat(e.reason()).isEqualTo("Http429");
          assertThat(e.retryable()).isTrue();
          assertThat(e.throttled()).isTrue();
          assertThat(e.getMessage()).contains("one.vmpool.info", "HTTP 429");
        });
    server.stop(0);
    OneXmlRpcClient failing = new OneXmlRpcClient(answer(503), Duration.ofSeconds(5));
    assertThatThrownBy(() -> failing.call("one.vmpool.info", "u:p"))
        .isInstanceOfSatisfying(CloudException.class, e -> {
          assertThat(e.reason()).isEqualTo("EndpointError");
          assertThat(e.retryable()).isTrue();
          assertThat(e.throttled()).isFalse();
        });
  }
}
