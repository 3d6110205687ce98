package io.conpaas.operator.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the operator's writes per kind and halts the JVM at the configured crash point; disabled
 * (a no-op everywhere) unless the JVM was started with {@value #PROPERTY}={@value #ENABLED}. An
 * operator run inside a test's JVM (see {@link #inProcess}) "halts" by refusing every later write of
 * its instance instead: what it wrote stays written, nothing more leaves it, and the test discards it.
 */
public final class CrashHooks {
  private static final Logger LOG = LoggerFactory.getLogger(CrashHooks.class);
  /** The JVM property that must be set for any hook to act (an environment variable alone never does). */
  public static final String PROPERTY = "conpaas.testHooks";
  public static final String ENABLED = "crash-points";
  public static final String CRASH_AT = "CONPAAS_TEST_CRASH_AT";
  public static final String WRITE_LOG = "CONPAAS_TEST_WRITE_LOG";
  /** The exit status of a halt at a crash point (the sweep tells it from other deaths). */
  public static final int HALT_STATUS = 86;
  /** The line printed on stderr just before the halt. */
  public static final String HALT_MARK = "conpaas-test-crash-point";

  /** No hook: production. */
  public static final CrashHooks NONE = new CrashHooks(null, null, status -> {});

  /** Final in a JVM run by the variables; an in-process instance may be armed later (see arm). */
  private volatile CrashPoint crashAt;
  private volatile Writer writeLog;
  private final Halt halt;
  private final Map<WriteKind, AtomicInteger> counts = new EnumMap<>(WriteKind.class);
  private final Map<WriteKind, AtomicInteger> answered = new EnumMap<>(WriteKind.class);
  /** Per operation class ("api/POST.agents"): the counts that stay reproducible under concurrency. */
  private final Map<String, AtomicInteger> opCounts = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> opAnswered = new java.util.concurrent.ConcurrentHashMap<>();
  /** Set at the crash point (or when a test kills the instance): every later write is refused. */
  private volatile boolean dead;
  /** Writes sent and not yet answered (a test lets them land before it discards a halted instance). */
  private final AtomicInteger inFlight = new AtomicInteger();

  /** How the JVM ends (Runtime.halt in a real run). */
  @FunctionalInterface
  public interface Halt {
    void halt(int status);
  }

  CrashHooks(CrashPoint crashAt, Writer writeLog, Halt halt) {
    this.crashAt = crashAt;
    this.writeLog = writeLog;
    this.halt = halt;
    for (WriteKind k : WriteKind.values()) {
      counts.put(k, new AtomicInteger());
      answered.put(k, new AtomicInteger());
    }
  }

  /** The hooks this process was started with: NONE unless the JVM property enables them. */
  public static CrashHooks fromEnvironment() {
    return from(System.getProperty(PROPERTY), System.getenv(CRASH_AT), System.getenv(WRITE_LOG),
        status -> Runtime.getRuntime().halt(status));
  }

  static CrashHooks from(String property, String crashAt, String writeLog, Halt halt) {
    boolean asked = blank(crashAt) != null || blank(writeLog) != null;
    if (!asked) {
      return NONE;
    }
    if (!ENABLED.equals(property)) {
      LOG.warn("{}/{} ignored: test hooks need the JVM property -D{}={}", CRASH_AT, WRITE_LOG, PROPERTY, ENABLED);
      return NONE;
    }
    Writer log = blank(writeLog) == null ? null : openLog(Path.of(writeLog));
    CrashPoint point = blank(crashAt) == null ? null : CrashPoint.parse(crashAt);
    LOG.warn("TEST HOOKS ACTIVE: crash point {}, write log {} (never in production)", point, writeLog);
    return new CrashHooks(point, log, halt);
  }

  /**
   * Hooks for an operator instance run inside a test's JVM: crashAt (may be null: no crash point,
   * but {@link #kill()} still ends the instance's writes) and writeLog (may be null) as the
   * variables; halt is told the status and returns, after which the instance writes nothing more.
   */
  public static CrashHooks inProcess(String crashAt, Path writeLog, Halt halt) {
    Writer log = writeLog == null ? null : openLog(writeLog);
    return new CrashHooks(blank(crashAt) == null ? null : CrashPoint.parse(crashAt), log, halt);
  }

  /**
   * Arms a running in-process instance: its writes are numbered afresh from now on (counts, write
   * log) and it halts at crashAt (null: only numbers them). The sweep arms an operator that has
   * reached a scenario's initial state just before it changes the spec, so that a point is the Nth
   * write of the change's handling by a running operator.
   */
  public synchronized void arm(String crashAt, Path writeLog) {
    Writer old = this.writeLog;
    Writer log = writeLog == null ? null : openLog(writeLog);
    counts.values().forEach(c -> c.set(0));
    answered.values().forEach(c -> c.set(0));
    opCounts.clear();
    opAnswered.clear();
    this.writeLog = log;
    this.crashAt = blank(crashAt) == null ? null : CrashPoint.parse(crashAt);
    if (old != null) {
      try {
        old.close();
      } catch (IOException e) {
        LOG.warn("cannot close the write log: {}", e.getMessage());
      }
    }
  }

  /** Ends the instance as SIGKILL would: from now on every write it attempts is refused. */
  public void kill() {
    dead = true;
  }

  /** Whether the instance reached its crash point or was killed. */
  public boolean dead() {
    return dead;
  }

  /** Writes sent and not answered yet. */
  public int inFlight() {
    return inFlight.get();
  }

  /** The write log, appended to (a restarted operator adds its writes after the previous one's). */
  private static Writer openLog(Path writeLog) {
    try {
      return Files.newBufferedWriter(writeLog, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the write log (" + WRITE_LOG + ") " + writeLog, e);
    }
  }

  private static String blank(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  public boolean active() {
    return this != NONE;
  }

  /** Called just before a write is sent: numbers it, logs it, halts when it is the crash point. */
  public void beforeWrite(WriteKind kind, String what) {
    if (!active()) {
      return;
    }
    refuseWhenDead(kind, what);
    String op = WriteOperation.of(kind, what);
    int n = counts.get(kind).incrementAndGet();
    int m = opCounts.computeIfAbsent(kind.label() + "/" + op, k -> new AtomicInteger()).incrementAndGet();
    log(kind, n, op, m, what);
    CrashPoint point = crashAt;
    if (point != null && point.matches(kind, op, n, m, false)) {
      halt(kind, n, "before", what);
    }
    inFlight.incrementAndGet();
  }

  /** Called once a write was answered (whatever the answer): halts when it is the ":after" crash point. */
  public void afterWrite(WriteKind kind, String what) {
    if (!active()) {
      return;
    }
    inFlight.decrementAndGet();
    // The write happened; a dead instance never learns its answer.
    refuseWhenDead(kind, what);
    String op = WriteOperation.of(kind, what);
    int n = answered.get(kind).incrementAndGet();
    int m = opAnswered.computeIfAbsent(kind.label() + "/" + op, k -> new AtomicInteger()).incrementAndGet();
    CrashPoint point = crashAt;
    if (point != null && point.matches(kind, op, n, m, true)) {
      halt(kind, n, "after", what);
    }
  }

  /** One line per write: kind, its number of that kind, operation class, its number of that class, description. */
  private synchronized void log(WriteKind kind, int n, String op, int m, String what) {
    Writer writeLog = this.writeLog;
    if (writeLog == null) {
      return;
    }
    try {
      writeLog.write(kind.label() + "\t" + n + "\t" + op + "\t" + m + "\t" + what + "\n");
      writeLog.flush();
    } catch (IOException e) {
      LOG.warn("cannot append to the write log: {}", e.getMessage());
    }
  }

  private void halt(WriteKind kind, int n, String when, String what) {
    // Before anything else: no other thread of this instance may write once the point is reached.
    dead = true;
    // Straight to the file descriptor's stream: the halt must not wait for (or lose to) a log appender.
    System.err.println(HALT_MARK + " " + kind.label() + ":" + n + " " + when + " " + what);
    System.err.flush();
    halt.halt(HALT_STATUS);
    // Only an in-process instance gets here (Runtime.halt does not return).
    throw new InstanceHalted(kind.label() + " write " + n + " (" + when + "): " + what);
  }

  private void refuseWhenDead(WriteKind kind, String what) {
    if (dead) {
      throw new InstanceHalted("halted instance: " + kind.label() + " write refused: " + what);
    }
  }

  /**
   * Thrown in an in-process instance at and after its crash point: an Error, so that no retry loop
   * that catches exceptions turns it into a write.
   */
  public static final class InstanceHalted extends Error {
    private static final long serialVersionUID = 1L;

    InstanceHalted(String message) {
      super(message, null, false, false);
    }
  }
}
