package io.conpaas.operator.faults;

/**
 * Where the operator halts: at its nth write of kind (or, with an operation, its nth write of that
 * class: see {@link WriteOperation}), before sending it or, with after, once it was answered (the
 * write happened but the operator never learns it).
 */
public record CrashPoint(WriteKind kind, String operation, int n, boolean after) {
  public CrashPoint {
    if (n < 1) {
      throw new IllegalArgumentException("a crash point counts writes from 1, got " + n);
    }
    operation = operation == null || operation.isBlank() ? null : operation;
  }

  public CrashPoint(WriteKind kind, int n, boolean after) {
    this(kind, null, n, after);
  }

  /** Parses {@code <cloud|api|agent>[/<operation>]:<N>[:after|:before]}, e.g. {@code api/POST.agents:2:after}. */
  public static CrashPoint parse(String text) {
    String[] p = text.trim().split(":");
    if (p.length < 2 || p.length > 3) {
      throw new IllegalArgumentException("CONPAAS_TEST_CRASH_AT must be <cloud|api|agent>[/<operation>]:<N>[:after],"
          + " got '" + text + "'");
    }
    boolean after = p.length == 3 && "after".equals(p[2]);
    if (p.length == 3 && !after && !"before".equals(p[2])) {
      throw new IllegalArgumentException("the third part of CONPAAS_TEST_CRASH_AT is before or after, got '"
          + p[2] + "'");
    }
    int slash = p[0].indexOf('/');
    WriteKind kind = WriteKind.parse(slash < 0 ? p[0] : p[0].substring(0, slash));
    String operation = slash < 0 ? null : p[0].substring(slash + 1);
    try {
      return new CrashPoint(kind, operation, Integer.parseInt(p[1]), after);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("CONPAAS_TEST_CRASH_AT: '" + p[1] + "' is not a number", e);
    }
  }

  /** Whether the write numbered n of its kind and m of its operation is this point. */
  boolean matches(WriteKind k, String op, int nOfKind, int nOfOperation, boolean afterWrite) {
    if (k != kind || afterWrite != after) {
      return false;
    }
    return operation == null ? nOfKind == n : operation.equals(op) && nOfOperation == n;
  }

  @Override
  public String toString() {
    return kind.label() + (operation == null ? "" : "/" + operation) + ":" + n + (after ? ":after" : "");
  }
}
