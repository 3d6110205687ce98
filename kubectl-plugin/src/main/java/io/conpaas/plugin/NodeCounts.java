package io.conpaas.plugin;

/** The arithmetic of add-nodes and remove-nodes, with the checks users see. */
public final class NodeCounts {
  private NodeCounts() {}

  /** A role's node count before and after a change. */
  public record Change(String role, int before, int after) {}

  /** The count after adding {@code delta} (negative: removing) to {@code before}; never below 0. */
  public static Change apply(String serviceRef, String role, int before, int delta) {
    long after = (long) before + delta;
    if (after < 0) {
      throw new CliException("cannot remove " + -delta + " node" + (delta == -1 ? "" : "s") + " from role "
          + role + " of " + serviceRef + ": it has " + before + " and cannot go below 0");
    }
    if (after > Integer.MAX_VALUE) {
      throw new CliException("cannot add " + delta + " nodes to role " + role + " of " + serviceRef);
    }
    return new Change(role, before, (int) after);
  }

  /** Fails unless the N of add-nodes/remove-nodes is at least 1. */
  public static int requirePositive(int n) {
    if (n < 1) {
      throw new CliException("N must be at least 1 (got " + n + ")", 2);
    }
    return n;
  }
}
