package io.conpaas.reconcilers.code;

import io.conpaas.api.v1alpha1.CodeSource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a service's {@code spec.code.source} into the {@link CodeStore} (GitOps) without
 * blocking a reconcile: {@link #poll} answers at once (stored, fetching, or failed with the
 * reason), starting a {@link SourceFetch} on a small pool of its own when needed; a failure is
 * retried with exponential backoff, a finished fetch calls the listeners so the service is
 * reconciled again. Once stored nothing is fetched again (the store is the cache), so
 * steady-state reconciles make no network calls. Only the attempt bookkeeping is in memory: the
 * result is in the store, and a restarted operator simply fetches again.
 */
public final class CodeSourceFetcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CodeSourceFetcher.class);
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(10);
  static final Duration MAX_BACKOFF = Duration.ofMinutes(10);

  /** The current source of one service and how fetching it went. */
  private static final class Attempt {
    final String sourceKey;
    final String description;
    volatile boolean running;
    volatile Instant startedAt;
    volatile String failure;
    volatile int failures;
    volatile Instant retryAt = Instant.MIN;
    volatile java.util.concurrent.Future<?> task;

    Attempt(String sourceKey, String description) {
      this.sourceKey = sourceKey;
      this.description = description;
    }
  }

  /** Blocking work the pool runs (the real SourceFetch, or a test double). */
  @FunctionalInterface
  interface Worker {
    String fetch(ServiceCode service, CodeSource source);
  }

  private final CodeStore store;
  private final Worker worker;
  private final ExecutorService pool;
  private final Clock clock;
  private final Map<ServiceCode, Attempt> attempts = new ConcurrentHashMap<>();
  private final List<Consumer<ServiceCode>> listeners = new CopyOnWriteArrayList<>();

  /** Defaults: public destinations only, 5 minutes per fetch. */
  public CodeSourceFetcher(CodeStore store, Path scratch) {
    this(store, scratch, SourceFetchSettings.defaults());
  }

  public CodeSourceFetcher(CodeStore store, Path scratch, SourceFetchSettings settings) {
    this(store, new SourceFetch(store, scratch, settings,
        DestinationGuard.withAllowList(settings.allowedNetworks()))::fetch, settings.threads(), Clock.systemUTC());
  }

  CodeSourceFetcher(CodeStore store, Worker worker, int threads, Clock clock) {
    this.store = store;
    this.worker = worker;
    this.clock = clock;
    AtomicInteger n = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.MINUTES, new ArrayBlockingQueue<>(256), r -> {
      Thread t = new Thread(r, "code-source-fetch-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Called with the service whenever one of its fetches ends (stored or failed). */
  public void onFinished(Consumer<ServiceCode> listener) {
    listeners.add(listener);
  }

  /** The version name the source is stored under, if it is stored already (no fetch). */
  public Optional<String> storedVersion(ServiceCode service, CodeSource source) {
    List<StoredVersion> stored = store.list(service);
    if (source.getGit() != null) {
      String origin = SourceFetch.gitOrigin(source.getGit());
      return stored.stream().filter(v -> v.origin().equals(origin)).map(StoredVersion::name).findFirst();
    }
    String name = SourceFetch.urlVersion(source);
    return stored.stream().filter(v -> v.name().equals(name)).map(StoredVersion::name).findFirst();
  }

  /** Where the source stands; starts a fetch when it is neither stored, running nor waiting out a backoff. */
  public FetchState poll(ServiceCode service, CodeSource source) {
    Optional<String> stored = storedVersion(service, source);
    if (stored.isPresent()) {
      attempts.remove(service);
      return new FetchState.Stored(stored.get());
    }
    String key = sourceKey(source);
    Attempt a = attempts.compute(service, (s, old) -> old != null && old.sourceKey.equals(key) ? old
        : new Attempt(key, SourceFetch.describe(source)));
    synchronized (a) {
      if (a.running) {
        return new FetchState.Fetching("fetching " + a.description + " since " + a.startedAt);
      }
      Instant now = clock.instant();
      if (a.failure != null && now.isBefore(a.retryAt)) {
        return new FetchState.Failed(a.failure + " (attempt " + a.failures + "; next attempt after "
            + a.retryAt + ")");
      }
      a.running = true;
      a.startedAt = now;
      try {
        a.task = pool.submit(() -> run(service, source, a));
      } catch (RejectedExecutionException e) {
        a.running = false;
        fail(a, "too many code fetches at once; waiting for a free slot");
        return new FetchState.Failed(a.failure);
      }
      return new FetchState.Fetching("fetching " + a.description + " since " + now);
    }
  }

  /** Forgets a deleted service's attempts and interrupts its fetch under way (it must not store code for it). */
  public void forget(ServiceCode service) {
    Attempt a = attempts.remove(service);
    java.util.concurrent.Future<?> task = a == null ? null : a.task;
    if (task != null) {
      task.cancel(true);
    }
  }

  private void run(ServiceCode service, CodeSource source, Attempt a) {
    String failure = null;
    try {
      String version = worker.fetch(service, source);
      LOG.info("fetched {} for {} as {}", a.description, service, version);
    } catch (CodeFetchFailed e) {
      failure = e.getMessage();
    } catch (RuntimeException e) {
      LOG.warn("fetching {} for {} failed", a.description, service, e);
      failure = "cannot fetch " + a.description + ": " + e;
    }
    synchronized (a) {
      a.running = false;
      if (failure != null) {
        fail(a, failure);
        LOG.info("fetching {} for {} failed ({}), next attempt after {}", a.description, service, failure, a.retryAt);
      }
    }
    for (Consumer<ServiceCode> l : listeners) {
      try {
        l.accept(service);
      } catch (RuntimeException e) {
        LOG.warn("fetch listener failed for {}", service, e);
      }
    }
  }

  private void fail(Attempt a, String failure) {
    a.failure = failure;
    a.failures++;
    a.retryAt = clock.instant().plus(backoff(a.failures));
  }

  /** 10 s, 20 s, 40 s ... up to 10 minutes. */
  static Duration backoff(int failures) {
    Duration d = FIRST_BACKOFF.multipliedBy(1L << Math.min(failures - 1, 16));
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }

  private static String sourceKey(CodeSource source) {
    return source.getGit() != null ? SourceFetch.gitOrigin(source.getGit())
        : source.getUrl() + " " + source.getSha256();
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
