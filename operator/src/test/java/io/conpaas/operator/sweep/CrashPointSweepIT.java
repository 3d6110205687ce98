package io.conpaas.operator.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static io.conpaas.operator.sweep.SweepWorld.Shape.HELLO;
import static io.conpaas.operator.sweep.SweepWorld.Shape.PHP_CODE;
import static org.awaitility.Awaitility.await;

import io.conpaas.operator.faults.CrashHooks;
import io.conpaas.operator.faults.WriteKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash-point sweep (issue 16, deliverable 4): for create (3 agents), scale 3 -> 5 and 5 -> 2, a
 * configuration change, delete and a code activation (PhpService v1 -> v2), a dry run numbers the
 * operator's writes of each kind (cloud, API server, agent) while it handles the change; then for
 * every one of those writes, before it is sent and after it was answered, the world goes back to the
 * scenario's initial state, the running operator is armed to halt at that write, the spec changes,
 * and once it halted a new operator must converge to the right state with exactly one VM per Agent,
 * no orphan VM and no Agent lost or replaced. CI sweeps every point (CONPAAS_SWEEP_POINTS=all, the
 * default) with CONPAAS_SWEEP_WORKERS (2) worlds side by side.
 *
 * <p>The operators run inside this JVM (InProcessOperator: the production wiring with its own API
 * client, drivers and simulated clouds; a halted instance refuses every later write, as a halted
 * process sends nothing more), which makes a point cost one operator start (~1 s) instead of two JVM
 * starts (~8 s each: the reason the jar sweep could not cover every point in a CI run).
 * CONPAAS_SWEEP_OPERATOR=jar runs the jar in child JVMs instead (Runtime.halt at the point; the
 * crashing operator starts after the change), CONPAAS_SWEEP_POINTS=<seconds>s sweeps as many points
 * as start within that time in a daily-rotated spread order, =ops the first and the last write of
 * each operation class, =N N points per scenario; CONPAAS_SWEEP_SCENARIOS='configure,delete' picks
 * and orders scenarios; target/crash-point-sweep/progress.log follows a run.
 *
 * <p>Points are counted per operation class ({@code api/POST.agents:2} is the second Agent create,
 * {@code cloud/createBatch:1:after} the first batch launch, answered), so a point names the same step
 * of a scenario in every run although the service creates its Agents side by side and Agents reconcile
 * concurrently (a global "5th API write" was a different write from run to run). A failure prints its
 * scenario and point; {@code CONPAAS_SWEEP_ONLY='scale 3->5@api/POST.agents:2'} (comma-separated) runs
 * just those points. A point beyond the writes a run makes ("unreached": e.g. a status write the dry
 * run repeated) still has its world checked after a restart.
 */
class CrashPointSweepIT {
  private static final Duration CONVERGE = Duration.ofSeconds(120);
  /**
   * What to sweep: "all" (CI's default: every point, scenario after scenario), a time budget such as
   * "270s" (every point in an order rotated daily, as many as start within that time of the test's
   * start), "ops" (the first and the last write of each class) or N (points per scenario, one per
   * kind in turn).
   */
  private static final String POINTS_SETTING = System.getenv().getOrDefault("CONPAAS_SWEEP_POINTS", "all").trim();
  /** "ops": the first and the last write of each operation class, before and after. */
  static final int OPS = -1;
  /** A time budget: no point starts later than this after the test's start; null: no budget. */
  private static final Duration BUDGET = POINTS_SETTING.matches("\\d+s")
      ? Duration.ofSeconds(Long.parseLong(POINTS_SETTING.substring(0, POINTS_SETTING.length() - 1))) : null;
  private static final int POINTS = BUDGET != null ? Integer.MAX_VALUE : switch (POINTS_SETTING) {
    case "all" -> Integer.MAX_VALUE;
    case "ops" -> OPS;
    default -> Integer.parseInt(POINTS_SETTING);
  };
  /**
   * Under a budget, day d sweeps each scenario's points from position d x this in its spread order:
   * a run that reaches at least this many points per scenario leaves no gap, so successive runs
   * cover every point (a scenario of M points within M / this days).
   */
  static final int DAILY_STEP = 6;
  /** scenario@point pairs to run instead of a sample (a failure's replay); empty: the sample. */
  private static final List<String> ONLY = java.util.Arrays.stream(
      System.getenv().getOrDefault("CONPAAS_SWEEP_ONLY", "").split(",")).map(String::trim)
      .filter(t -> !t.isEmpty()).toList();
  /** Scenarios to run, in this order (e.g. the shortest first in a long run); empty: all. */
  private static final List<String> SCENARIOS = java.util.Arrays.stream(
      System.getenv().getOrDefault("CONPAAS_SWEEP_SCENARIOS", "").split(",")).map(String::trim)
      .filter(t -> !t.isEmpty()).toList();
  /** Rotates CI's sample (the day by default); the table prints it so that a failing sample can be rerun. */
  private static final long SEED = Long.parseLong(System.getenv().getOrDefault("CONPAAS_SWEEP_SEED",
      Long.toString(java.time.LocalDate.now(java.time.ZoneOffset.UTC).toEpochDay())));

  @TempDir
  Path workDir;

  @org.junit.jupiter.api.AfterEach
  void killLeftOperators() {
    // Before @TempDir is deleted: an operator left running would recreate a fresh, empty cloud there.
    OperatorProcess.closeAll();
    InProcessOperator.closeAll();
  }

  /** One scenario: from the initial spec to the target one, and what must survive of the initial VMs. */
  record Scenario(String name, SweepWorld.Shape shape, int fromNodes, String fromMessage, int toNodes, String toMessage, Keep keep) {}

  /** Which of the initial VMs the converged state must keep. */
  enum Keep {
    NOTHING, ALL_INITIAL, ONLY_INITIAL, EXACTLY_INITIAL
  }

  /** One row of the printed table. */
  record Row(String scenario, Map<WriteKind, Integer> writes, int swept, int halted, int unreached,
      List<String> failures, long millis) {}

  /**
   * Operators run inside this JVM (default: a start costs ~0.5 s) or as the jar in child JVMs
   * (CONPAAS_SWEEP_OPERATOR=jar: ~8 s a start; Runtime.halt itself), both with the same hooks.
   */
  static final boolean IN_PROCESS = !"jar".equals(System.getenv().getOrDefault("CONPAAS_SWEEP_OPERATOR", "in-process")
      .trim());

  /** Worlds (namespace, simulated Cloud, operator) sweeping points side by side: their waits overlap. */
  private static final int WORKERS = Math.max(1, Integer.parseInt(
      System.getenv().getOrDefault("CONPAAS_SWEEP_WORKERS", "2").trim()));

  /** A scenario's dry run: writes per operation class, the points chosen, the operator left at the target state. */
  record DryRun(Scenario scenario, Map<String, Integer> perOperation, List<String> points, SweptOperator operator) {}

  /** What one point came to. */
  record Outcome(String scenario, String point, boolean halted, boolean unreached, String failure, long millis) {}

  @Test
  void everyCrashPointOfCreateScaleConfigureAndDeleteConverges() throws Exception {
    List<Scenario> all = List.of(
        new Scenario("create 3", HELLO, 0, null, 3, "m1", Keep.NOTHING),
        new Scenario("scale 3->5", HELLO, 3, "m1", 5, "m1", Keep.ALL_INITIAL),
        new Scenario("scale 5->2", HELLO, 5, "m1", 2, "m1", Keep.ONLY_INITIAL),
        new Scenario("configure", HELLO, 3, "m1", 3, "m2", Keep.EXACTLY_INITIAL),
        new Scenario("delete", HELLO, 3, "m1", 0, null, Keep.NOTHING),
        // A PhpService (backend, web server, proxy) switching spec.code.activeVersion v1 -> v2: the
        // operator uploads v2 from its store to the backend and the web server and reconfigures all three.
        new Scenario("activate code", PHP_CODE, 3, "v1", 3, "v2", Keep.EXACTLY_INITIAL));
    List<Scenario> scenarios = SCENARIOS.isEmpty() ? all : SCENARIOS.stream().map(n -> all.stream()
        .filter(s -> s.name().equals(n)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no scenario " + n))).toList();
    long started = System.nanoTime();
    // One run per file: an earlier run's lines (and failures) would read as this one's.
    Files.deleteIfExists(log("progress").resolveSibling("progress.log"));
    SweepWorld first = new SweepWorld("sweep", workDir.resolve("w0"), sim -> {});
    // One class-data archive for every operator JVM of the sweep: their starts are most of a point's time.
    if (!IN_PROCESS) {
      OperatorProcess.recordClassArchive(first.ns, first.workDir, log("w0-class-archive"));
    }
    List<DryRun> dryRuns = new ArrayList<>();
    SweptOperator plain = first.start(IN_PROCESS, log("w0-setup"), Map.of());
    for (Scenario s : scenarios) {
      if (ONLY.isEmpty() || ONLY.stream().anyMatch(o -> o.startsWith(s.name() + "@"))) {
        DryRun d = dryRun(first, s, plain);
        dryRuns.add(d);
        plain = d.operator();
      }
    }
    // Under a budget, the scenarios' points in turn (the first of each, the second of each, ...) so that
    // every scenario gets its share; otherwise scenario after scenario (a long run completes scenarios
    // in order). The workers take the next point when they are free.
    java.util.Queue<Task> queue = new java.util.concurrent.ConcurrentLinkedQueue<>();
    int longest = dryRuns.stream().mapToInt(d -> d.points().size()).max().orElse(0);
    if (BUDGET != null) {
      for (int i = 0; i < longest; i++) {
        for (DryRun d : dryRuns) {
          if (i < d.points().size()) {
            queue.add(new Task(d.scenario(), d.points().get(i)));
          }
        }
      }
    } else {
      dryRuns.forEach(d -> d.points().forEach(p -> queue.add(new Task(d.scenario(), p))));
    }
    int total = queue.size();
    long deadline = BUDGET == null ? Long.MAX_VALUE : started + BUDGET.toNanos();
    java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger taken = new java.util.concurrent.atomic.AtomicInteger();
    List<Outcome> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(WORKERS);
    List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
    SweptOperator firstPlain = plain;
    for (int i = 0; i < WORKERS; i++) {
      int worker = i;
      futures.add(pool.submit(() -> {
        SweepWorld w = worker == 0 ? first : new SweepWorld("sweep", workDir.resolve("w" + worker), sim -> {});
        SweptOperator op = worker == 0 ? firstPlain : w.start(IN_PROCESS, log("w" + worker + "-setup"), Map.of());
        try {
          // Past the budget no point starts, except the first of each scenario (a loaded machine still sweeps some).
          for (Task t = queue.poll(); t != null && (taken.getAndIncrement() < dryRuns.size()
              || System.nanoTime() < deadline); t = queue.poll()) {
            Outcome o;
            try {
              PointRun r = sweepPoint(w, "w" + worker, t.scenario(), t.point(), op);
              op = r.plain();
              o = r.outcome();
            } catch (RuntimeException | Error e) {
              // A point that broke the harness itself (e.g. no convergence back to the initial state) is a failure.
              o = new Outcome(t.scenario().name(), t.point(), false, false, t.scenario().name() + "@" + t.point()
                  + ": " + e + "\n" + op.tail(40), 0);
              op.close();
              op = w.start(IN_PROCESS, log("w" + worker + "-restart"), Map.of());
            }
            outcomes.add(o);
            int n = done.incrementAndGet();
            // Progress for long runs (CONPAAS_SWEEP_POINTS=all): which point, how long the points take.
            progress(String.format("crash-point sweep: w%d %s@%s %s in %.1f s (%d/%d, %.1f s elapsed)", worker,
                o.scenario(), o.point(), o.failure() != null ? "FAILED" : o.halted() ? "halted+converged"
                    : "unreached+converged", o.millis() / 1000.0, n, total, (System.nanoTime() - started) / 1e9)
                + (o.failure() == null ? "" : "\n" + o.failure()));
          }
          w.cleanUp();
        } finally {
          op.close();
        }
        return null;
      }));
    }
    pool.shutdown();
    for (java.util.concurrent.Future<?> f : futures) {
      f.get();
    }
    List<Row> rows = new ArrayList<>();
    for (DryRun d : dryRuns) {
      List<Outcome> mine = outcomes.stream().filter(o -> o.scenario().equals(d.scenario().name())).toList();
      rows.add(new Row(d.scenario().name(), count(d.perOperation()), mine.size(),
          (int) mine.stream().filter(Outcome::halted).count(), (int) mine.stream().filter(Outcome::unreached).count(),
          mine.stream().map(Outcome::failure).filter(java.util.Objects::nonNull).toList(),
          mine.stream().mapToLong(Outcome::millis).sum()));
    }
    int swept = outcomes.size();
    int space = dryRuns.stream().mapToInt(d -> 2 * d.perOperation().values().stream().mapToInt(i -> i).sum()).sum();
    String table = table(rows) + String.format("%d of %d points (%.0f %% of every point of the dry runs; %d chosen)"
        + " in %.0f s with %d workers%n", swept, space, 100.0 * swept / Math.max(1, space), total,
        (System.nanoTime() - started) / 1e9, WORKERS);
    progress(table);
    Files.writeString(Path.of("target", "crash-point-sweep.txt"), table);
    assertThat(rows.stream().flatMap(r -> r.failures().stream()).toList()).as(table).isEmpty();
    assertThat(rows.stream().mapToInt(Row::halted).sum()).as("crashes injected").isPositive();
  }

  /** One point to sweep. */
  record Task(Scenario scenario, String point) {}

  /** A point's outcome and the operator (without hook) left running. */
  record PointRun(Outcome outcome, SweptOperator plain) {}

  /** Dry run: the scenario's change with the write log on and no crash point; numbers its writes per class. */
  private DryRun dryRun(SweepWorld w, Scenario s, SweptOperator plain) {
    String slug = s.name().replaceAll("[^a-z0-9]+", "-");
    Set<String> initial = reachInitial(w, s, plain);
    Path writeLog = workDir.resolve(slug + ".writes");
    SweptOperator dry;
    if (plain instanceof InProcessOperator running) {
      // The running operator numbers the writes of the change from now on (as sweepPoint arms it).
      running.arm(null, writeLog);
      w.apply(s.shape(), s.toNodes(), s.toMessage());
      dry = running;
    } else {
      plain.close();
      w.apply(s.shape(), s.toNodes(), s.toMessage());
      dry = w.start(IN_PROCESS, log(slug + "-dry"), Map.of(CrashHooks.WRITE_LOG, writeLog.toString()));
    }
    awaitConverged(w, s, initial);
    Map<String, Integer> perOperation = countPerOperation(writeLog);
    if (dry instanceof InProcessOperator running) {
      running.arm(null, null);
    }
    List<String> points = ONLY.isEmpty() ? (BUDGET != null ? rotated(choose(perOperation, POINTS, SEED), SEED)
        : choose(perOperation, POINTS, SEED)) : ONLY.stream().filter(o -> o.startsWith(s.name() + "@")).map(o -> o.substring(s.name().length() + 1)).toList();
    progress("crash-point sweep: " + s.name() + ": " + points.size() + " points of " + perOperation);
    return new DryRun(s, perOperation, points, dry);
  }

  /**
   * One point: with plain running, back to the scenario's initial state; then the target spec and an
   * operator that halts at point (in-process: plain itself, armed just before the spec changes, so
   * that it crashes while handling the change; the jar: a new process started after the change),
   * then a new operator without the hook that must converge with every invariant.
   */
  private PointRun sweepPoint(SweepWorld w, String tag, Scenario s, String point, SweptOperator plain) {
    long t0 = System.nanoTime();
    Set<String> initial = reachInitial(w, s, plain);
    String slug = tag + "-" + s.name().replaceAll("[^a-z0-9]+", "-") + "-" + point.replaceAll("[^A-Za-z0-9.]+", "-");
    long t1 = System.nanoTime();
    SweptOperator crashingOperator;
    if (plain instanceof InProcessOperator running) {
      running.arm(point, null);
      w.apply(s.shape(), s.toNodes(), s.toMessage());
      crashingOperator = running;
    } else {
      plain.close();
      w.apply(s.shape(), s.toNodes(), s.toMessage());
      crashingOperator = w.start(IN_PROCESS, log(slug), Map.of(CrashHooks.CRASH_AT, point));
    }
    boolean halted = false;
    boolean unreached = false;
    String failure = null;
    long t2;
    long t3;
    try (SweptOperator crashing = crashingOperator) {
      t2 = System.nanoTime();
      int status = awaitHaltOrConvergence(w, s, crashing);
      t3 = System.nanoTime();
      if (status == CrashHooks.HALT_STATUS) {
        halted = true;
      } else if (status == -1) {
        unreached = true; // converged with fewer writes than in the dry run: killed, then checked as any point
      } else {
        failure = s.name() + "@" + point + ": operator exited with " + status + "\n" + crashing.tail(30);
      }
    }
    SweptOperator recovery = w.start(IN_PROCESS, log(slug + "-recovery"), Map.of());
    long t4 = System.nanoTime();
    try {
      try {
        awaitConverged(w, s, initial);
      } catch (ConditionTimeoutException e) {
        if (recovery.alive()) {
          throw e;
        }
        // It stopped by itself (JOSDK stops when an informer cannot start, e.g. the API server timing out
        // on a loaded machine): restarted, as the kubelet restarts the operator's Pod. Logged, not hidden.
        progress("crash-point sweep: " + tag + " " + s.name() + "@" + point + ": recovery operator ended ("
            + recovery.awaitExit(Duration.ZERO) + "), restarted");
        recovery = w.start(IN_PROCESS, log(slug + "-recovery"), Map.of());
        awaitConverged(w, s, initial);
      }
    } catch (ConditionTimeoutException e) {
      failure = (failure == null ? "" : failure + "\n") + s.name() + "@" + point + ": " + e.getMessage() + "\n"
          + recovery.tail(40);
    } catch (RuntimeException | Error e) {
      recovery.close(); // never two operators in one world
      throw e;
    }
    long t5 = System.nanoTime();
    progress(String.format("crash-point sweep: phases %s %s@%s: back %.1f, crash-start %.1f, to-halt %.1f,"
        + " recovery-start %.1f, converge %.1f s", tag, s.name(), point, (t1 - t0) / 1e9, (t2 - t1) / 1e9,
        (t3 - t2) / 1e9, (t4 - t3) / 1e9, (t5 - t4) / 1e9));
    return new PointRun(new Outcome(s.name(), point, halted, unreached, failure, (t5 - t0) / 1_000_000), recovery);
  }

  /**
   * Waits for the crashing operator to halt; -1 when it reached the target state instead and wrote
   * nothing more for a grace period (fewer writes than in the dry run: the point was not reached).
   * The old fixed wait (60 s) made every unreached point cost a minute.
   */
  private static int awaitHaltOrConvergence(SweepWorld w, Scenario s, SweptOperator crashing) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    long convergedSince = 0;
    while (System.nanoTime() < deadline) {
      int status = crashing.awaitExit(Duration.ofMillis(300));
      if (status != -1) {
        return status;
      }
      boolean converged;
      try {
        w.assertConverged(s.shape(), s.toNodes(), s.toMessage());
        converged = true;
      } catch (AssertionError | RuntimeException e) {
        converged = false; // e.g. an Agent without status yet, or the API server busy
      }
      long now = System.nanoTime();
      if (!converged) {
        convergedSince = 0;
      } else if (convergedSince == 0) {
        convergedSince = now;
      } else if (now - convergedSince > UNREACHED_GRACE.toNanos()) {
        return -1;
      }
    }
    return -1;
  }

  /** How long a converged operator may still reach its crash point (late status writes, events). */
  private static final Duration UNREACHED_GRACE = Duration.ofSeconds(3);

  /** With plain running: brings the world to the scenario's initial state; returns the initial VMs. */
  private static Set<String> reachInitial(SweepWorld w, Scenario s, SweptOperator plain) {
    w.apply(s.shape(), s.fromNodes(), s.fromMessage());
    await().atMost(CONVERGE).pollInterval(Duration.ofMillis(300)).ignoreExceptions().untilAsserted(() -> {
      assertThat(plain.alive()).as("operator alive").isTrue();
      w.assertConverged(s.shape(), s.fromNodes(), s.fromMessage());
    });
    return w.instanceIds();
  }

  private static void awaitConverged(SweepWorld w, Scenario s, Set<String> initial) {
    // ignoreExceptions: an Agent without status yet (a null) or a busy API server is "not yet", not a failure.
    await().atMost(CONVERGE).pollInterval(Duration.ofMillis(300)).ignoreExceptions().untilAsserted(() -> {
      w.assertConverged(s.shape(), s.toNodes(), s.toMessage());
      Set<String> now = w.instanceIds();
      switch (s.keep()) {
        case ALL_INITIAL -> assertThat(now).as("no Agent lost or replaced").containsAll(initial);
        case ONLY_INITIAL -> assertThat(initial).as("no VM made while scaling down").containsAll(now);
        case EXACTLY_INITIAL -> assertThat(now).as("no VM replaced by a configuration change").isEqualTo(initial);
        case NOTHING -> { }
      }
    });
  }

  /**
   * all in a spread order (a stride near all/golden ratio, coprime with its size, so that any prefix
   * samples every operation class), started at position seed x {@link #DAILY_STEP}: a run that sweeps
   * the first k >= DAILY_STEP points and the next day's run together leave no point out.
   */
  static List<String> rotated(List<String> all, long seed) {
    int m = all.size();
    if (m == 0) {
      return List.of();
    }
    int step = Math.max(1, (int) Math.round(m / 1.618));
    while (java.math.BigInteger.valueOf(step).gcd(java.math.BigInteger.valueOf(m)).intValue() != 1) {
      step++;
    }
    List<String> out = new ArrayList<>(m);
    long start = Math.floorMod(seed * DAILY_STEP, (long) m);
    for (int i = 0; i < m; i++) {
      out.add(all.get((int) (((start + i) * step) % m)));
    }
    return out;
  }

  /**
   * points of the scenario's crash points (each write of each operation class, before and after): a
   * third each (at least one) among cloud, agent and API writes, what a kind cannot use going to the
   * others, evenly spaced from an offset that seed rotates, so that successive CI runs cover different
   * points. All when points allows; {@link #OPS}: the first and the last write of each class.
   * perOperation: writes per "kind/operation" in the dry run.
   */
  static List<String> choose(Map<String, Integer> perOperation, int points, long seed) {
    if (points == OPS) {
      List<String> out = new ArrayList<>();
      new java.util.TreeMap<>(perOperation).forEach((op, n) -> {
        for (int i : new TreeSet<>(List.of(1, n))) {
          out.add(op + ":" + i);
          out.add(op + ":" + i + ":after");
        }
      });
      return out;
    }
    List<List<String>> groups = List.of(candidates("cloud", perOperation), candidates("agent", perOperation),
        candidates("api", perOperation));
    int[] take = new int[groups.size()];
    int left = points;
    // Round-robin: one point per kind in turn while points and candidates remain.
    for (boolean progress = true; left > 0 && progress; ) {
      progress = false;
      for (int g = 0; g < groups.size() && left > 0; g++) {
        if (take[g] < groups.get(g).size()) {
          take[g]++;
          left--;
          progress = true;
        }
      }
    }
    List<String> out = new ArrayList<>();
    for (int g = 0; g < groups.size(); g++) {
      out.addAll(spread(groups.get(g), take[g], seed));
    }
    return out;
  }

  /** Every point of a kind's operations, in a stable order (operation name, then number). */
  private static List<String> candidates(String kind, Map<String, Integer> perOperation) {
    List<String> all = new ArrayList<>();
    new java.util.TreeMap<>(perOperation).forEach((op, n) -> {
      if (op.startsWith(kind + "/")) {
        all.addAll(candidates(op, n));
      }
    });
    return all;
  }

  private static List<String> candidates(String kind, int n) {
    List<String> all = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      all.add(kind + ":" + i);
      all.add(kind + ":" + i + ":after");
    }
    return all;
  }

  /** k of all, evenly spaced, starting at an offset chosen by seed. */
  private static List<String> spread(List<String> all, int k, long seed) {
    if (k <= 0) {
      return List.of();
    }
    if (k >= all.size()) {
      return all;
    }
    double stride = all.size() / (double) k;
    int offset = (int) Math.floorMod(seed, (long) Math.max(1, (int) stride));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      int index = offset + (int) (i * stride);
      // Candidates come in pairs (before, after the same write): alternate between the two.
      if (stride >= 2 && (i & 1) == 1) {
        index ^= 1;
      }
      out.add(all.get(Math.min(all.size() - 1, index)));
    }
    return out;
  }

  /** Writes per "kind/operation" in a write log (lines: kind, n, operation, m, description). */
  static Map<String, Integer> countPerOperation(Path writeLog) {
    Map<String, Integer> counts = new java.util.TreeMap<>();
    try {
      if (Files.exists(writeLog)) {
        for (String line : Files.readAllLines(writeLog)) {
          String[] f = line.split("\t");
          counts.merge(WriteKind.parse(f[0]).label() + "/" + f[2], 1, Integer::sum);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return counts;
  }

  private static Map<WriteKind, Integer> count(Map<String, Integer> perOperation) {
    Map<WriteKind, Integer> counts = new EnumMap<>(WriteKind.class);
    for (WriteKind k : WriteKind.values()) {
      counts.put(k, 0);
    }
    perOperation.forEach((op, n) -> counts.merge(WriteKind.parse(op.substring(0, op.indexOf('/'))), n, Integer::sum));
    return counts;
  }

  /**
   * A line on stdout and in target/crash-point-sweep/progress.log: failsafe shows a test's output only
   * once it ends, and a complete sweep takes hours.
   */
  private synchronized void progress(String line) {
    System.out.println(line);
    try {
      Files.writeString(log("progress").resolveSibling("progress.log"), line + "\n",
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      System.out.println("cannot append to progress.log: " + e.getMessage());
    }
  }

  private Path log(String name) {
    try {
      Path dir = Files.createDirectories(Path.of("target", "crash-point-sweep"));
      return dir.resolve(name + ".log");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String table(List<Row> rows) {
    StringBuilder b = new StringBuilder("crash-point sweep: points " + POINTS_SETTING + ", seed " + SEED
        + (ONLY.isEmpty() ? "" : ", only " + ONLY) + " (CONPAAS_SWEEP_POINTS=<budget>s|N|ops|all, CONPAAS_SWEEP_SEED, "
        + "CONPAAS_SWEEP_ONLY='scenario@point,...' replays points)\n");
    b.append(String.format("%-12s | %-22s | %-8s | %-6s | %-9s | %-8s | %s%n", "scenario",
        "writes cloud/api/agent", "swept/of", "halted", "unreached", "s/point", "failures"));
    for (Row r : rows) {
      b.append(String.format("%-12s | %-22s | %-8s | %-6d | %-9d | %-8.1f | %d%n", r.scenario(),
          r.writes().get(WriteKind.CLOUD) + "/" + r.writes().get(WriteKind.API) + "/" + r.writes().get(WriteKind.AGENT),
          r.swept() + "/" + 2 * r.writes().values().stream().mapToInt(i -> i).sum(), r.halted(), r.unreached(), r.swept() == 0 ? 0.0 : r.millis() / 1000.0 / r.swept(),
          r.failures().size()));
    }
    rows.forEach(r -> r.failures().forEach(f -> b.append("FAILED ").append(f).append('\n')));
    return b.toString();
  }
}
