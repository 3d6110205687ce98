package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The probe server answers liveness, readiness (503 until ready) and Prometheus metrics. */
class HealthServerTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void probesAndMetrics() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Counter.builder("conpaas.vm.creations").tag("cloud", "local").register(registry).increment(3);
    AtomicBoolean ready = new AtomicBoolean(false);
    try (HealthServer server = new HealthServer(0, () -> true, ready::get, registry::scrape)) {
      int port = server.start();
      assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(port, "/readyz").statusCode()).isEqualTo(503);
      ready.set(true);
      assertThat(get(port, "/readyz").statusCode()).isEqualTo(200);
      HttpResponse<String> metrics = get(port, "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("conpaas_vm_creations_total{cloud=\"local\"} 3.0");
    }
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
