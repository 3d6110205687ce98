package io.conpaas.reconcilers.code;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.agent.code.ArchiveLimits;
import io.conpaas.api.v1alpha1.CodeSource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetches run beside the reconcile: poll never waits, failures come back with backoff, endings are announced. */
class CodeSourceFetcherTest {
  @TempDir
  Path dir;

  private final ServiceCode site = new ServiceCode("ns", "PhpService", "site");

  private static CodeSource source(String url) {
    CodeSource s = new CodeSource();
    s.setUrl(url);
    s.setSha256("a".repeat(64));
    return s;
  }

  /** A clock the test moves. */
  static final class MovableClock extends Clock {
    volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void pollAnswersAtOnceWhileAFetchHangs() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<ServiceCode> finished = new CopyOnWriteArrayList<>();
    try (CodeSourceFetcher fetcher = new CodeSourceFetcher(new CodeStore(dir, ArchiveLimits.defaults()),
        (service, source) -> {
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          throw new CodeFetchFailed("cannot fetch " + source.getUrl() + ": HTTP 404");
        }, 1, Clock.systemUTC())) {
      fetcher.onFinished(finished::add);
      long start = System.nanoTime();
      assertThat(fetcher.poll(site, source("https://example.org/a.zip"))).isInstanceOf(FetchState.Fetching.class);
      assertThat(fetcher.poll(site, source("https://example.org/a.zip"))).isInstanceOf(FetchState.Fetching.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
      release.countDown();
      waitUntil(() -> finished.contains(site));
      assertThat(fetcher.poll(site, source("https://example.org/a.zip")))
          .isInstanceOfSatisfying(FetchState.Failed.class, f -> assertThat(f.message()).contains("HTTP 404"));
    }
  }

  @Test
  void failuresAreRetriedWithBackoffAndANewSourceStartsAtOnce() {
    AtomicInteger calls = new AtomicInteger();
    MovableClock clock = new MovableClock();
    try (CodeSourceFetcher fetcher = new CodeSourceFetcher(new CodeStore(dir, ArchiveLimits.defaults()),
        (service, source) -> {
          calls.incrementAndGet();
          throw new CodeFetchFailed("refused");
        }, 1, clock)) {
      CodeSource a = source("https://example.org/a.zip");
      fetcher.poll(site, a);
      waitUntil(() -> fetcher.poll(site, a) instanceof FetchState.Failed);
      assertThat(calls).hasValue(1);
      clock.now = clock.now.plusSeconds(5);
      assertThat(fetcher.poll(site, a)).isInstanceOf(FetchState.Failed.class);
      assertThat(calls).hasValue(1);
      clock.now = clock.now.plusSeconds(6); // past the first backoff of 10 s
      fetcher.poll(site, a);
      waitUntil(() -> calls.get() == 2 && fetcher.poll(site, a) instanceof FetchState.Failed);
      assertThat(((FetchState.Failed) fetcher.poll(site, a)).message()).contains("attempt 2");
      fetcher.poll(site, source("https://example.org/b.zip"));
      waitUntil(() -> calls.get() == 3);
    }
    assertThat(CodeSourceFetcher.backoff(1)).isEqualTo(Duration.ofSeconds(10));
    assertThat(CodeSourceFetcher.backoff(3)).isEqualTo(Duration.ofSeconds(40));
    assertThat(CodeSourceFetcher.backoff(30)).isEqualTo(Duration.ofMinutes(10));
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within 5 s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void forgettingAServiceInterruptsItsFetch() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    try (CodeSourceFetcher fetcher = new CodeSourceFetcher(new CodeStore(dir, ArchiveLimits.defaults()),
        (service, source) -> {
          started.countDown();
          try {
            Thread.sleep(60_000);
          } catch (InterruptedException e) {
            interrupted.countDown();
          }
          throw new CodeFetchFailed("interrupted");
        }, 1, Clock.systemUTC())) {
      fetcher.poll(site, source("https://example.org/a.zip"));
      assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
      fetcher.forget(site);
      assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
    }
  }
}
