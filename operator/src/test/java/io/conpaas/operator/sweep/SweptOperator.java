package io.conpaas.operator.sweep;

import java.time.Duration;

/** An operator the sweep starts, crashes and replaces: a child JVM or an instance inside the test's JVM. */
interface SweptOperator extends AutoCloseable {
  /** Whether it still runs (has neither halted at its crash point nor been killed). */
  boolean alive();

  /** Waits up to timeout for it to end; its exit status, or -1 when it still runs. */
  int awaitExit(Duration timeout);

  /** Waits until it serves (true) or ended during its start, e.g. at a crash point there (false). */
  boolean awaitReady();

  /** The last lines of what it logged (for a failure message). */
  String tail(int lines);

  /** Kills it without warning, as a node failure would: nothing it did not send yet is sent. */
  @Override
  void close();
}
