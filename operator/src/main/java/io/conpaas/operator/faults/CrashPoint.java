package io.conpaas.operator.faults;

/**
 * Where the operator halts: at its nth write of kind, before sending it or, with after, once it was
 * answered (the write happened but the operator never learns it).
 */
public record CrashPoint(WriteKind kind, int n, boolean after) {
  public CrashPoint {
    if (n < 1) {
      throw new IllegalArgumentException("a crash point counts writes from 1, got " + n);
    }
  }

  /** Parses {@code <cloud|api|agent>:<N>[:after|:before]}. */
  public static CrashPoint parse(String text) {
    String[] p = text.trim().split(":");
    if (p.length < 2 || p.length > 3) {
      throw new IllegalArgumentException("CONPAAS_TEST_CRASH_AT must be <cloud|api|agent>:<N>[:after], got '"
          + text + "'");
    }
    boolean after = p.length == 3 && "after".equals(p[2]);
    if (p.length == 3 && !after && !"before".equals(p[2])) {
      throw new IllegalArgumentException("the third part of CONPAAS_TEST_CRASH_AT is before or after, got '"
          + p[2] + "'");
    }
    try {
      return new CrashPoint(WriteKind.parse(p[0]), Integer.parseInt(p[1]), after);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("CONPAAS_TEST_CRASH_AT: '" + p[1] + "' is not a number", e);
    }
  }

  @Override
  public String toString() {
    return kind.label() + ":" + n + (after ? ":after" : "");
  }
}
