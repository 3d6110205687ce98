package io.conpaas.reconcilers.service;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs the independent API-server calls of one service pass side by side, at most {@link #WIDTH} at
 * once. A service of 100 nodes made its 100 name checks and 100 creates one after another: under
 * load the last Agent appeared seconds after the first, so they reached the launch step apart and
 * were launched in several batches instead of one. Every call is bounded by the client's request
 * timeout, so waiting for all of them is bounded too.
 */
final class ParallelCalls {
  static final int WIDTH = 16;
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final ExecutorService POOL = Executors.newFixedThreadPool(WIDTH, r -> {
    Thread t = new Thread(r, "service-calls-" + THREADS.incrementAndGet());
    t.setDaemon(true);
    return t;
  });

  private ParallelCalls() {}

  /**
   * call applied to every item, results in item order. When calls fail, all still finish and the
   * first failure (in item order) is thrown as it was thrown.
   */
  static <T, R> List<R> map(List<T> items, Function<T, R> call) {
    if (items.size() <= 1) {
      return items.stream().map(call).toList();
    }
    List<CompletableFuture<R>> futures = items.stream()
        .map(item -> CompletableFuture.supplyAsync(() -> call.apply(item), POOL)).toList();
    List<R> results = new ArrayList<>(items.size());
    RuntimeException first = null;
    for (CompletableFuture<R> f : futures) {
      try {
        results.add(f.join());
      } catch (CompletionException e) {
        if (first == null) {
          first = e.getCause() instanceof RuntimeException re ? re : e;
        }
        results.add(null);
      }
    }
    if (first != null) {
      throw first;
    }
    return results;
  }
}
