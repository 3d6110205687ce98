package io.conpaas.operator.testing;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** Concurrent clients requesting one URL in a loop until stopped; counts requests and failures (any non-200). */
public final class WebLoad implements AutoCloseable {
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> bodies = new ConcurrentLinkedQueue<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();

  public WebLoad(String url, int clients) {
    for (int i = 0; i < clients; i++) {
      Thread t = new Thread(() -> loop(url), "web-load-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  private void loop(String url) {
    // Each client its own cookie jar: a browser with its own PHP session.
    HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
        .connectTimeout(Duration.ofSeconds(5)).build();
    while (running.get()) {
      sent.incrementAndGet();
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
            .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          failed.incrementAndGet();
          failures.add(r.statusCode() + " " + r.body().substring(0, Math.min(200, r.body().length())));
        } else if (bodies.size() < 10_000) {
          bodies.add(r.body());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        failed.incrementAndGet();
        failures.add(e.toString());
      }
    }
  }

  public long sent() {
    return sent.get();
  }

  public long failed() {
    return failed.get();
  }

  public List<String> failures() {
    return List.copyOf(failures);
  }

  /** Bodies of successful answers (the first 10,000). */
  public List<String> bodies() {
    return List.copyOf(bodies);
  }

  @Override
  public void close() {
    running.set(false);
    for (Thread t : threads) {
      try {
        t.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
