package io.conpaas.agent.mapreduce;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * One pass of the master's DataNode exclusions (conf/dfs.exclude): the DataNodes the operator wants
 * decommissioned, and those the NameNode already reports decommissioned. A decommissioned DataNode
 * stays listed after its worker is gone from the operator's list: dropped from the file, the
 * NameNode would take it back as in service until its heartbeats expire (a minute) and send readers
 * to a stopped DataNode. It leaves the list once the NameNode counts it dead.
 */
final class DataNodeExclusions {
  /** The NameNode's DataNodes by transfer address, with their admin state ("Dead" when dead). */
  interface States {
    Map<String, String> read() throws IOException;
  }

  /** What one pass read and decided. */
  record Pass(List<String> excluded, Map<String, String> states) {}

  private final Supplier<List<String>> wanted;
  private final States states;

  DataNodeExclusions(Supplier<List<String>> wanted, States states) {
    this.wanted = wanted;
    this.states = states;
  }

  /**
   * Reads the operator's list before the NameNode's states. The order is what makes the pass safe:
   * a worker drops out of the operator's list only after the NameNode reported its DataNode
   * decommissioned, so a later read of the states still shows it decommissioned (or dead). Read
   * the other way round, a worker released between the two reads is in neither and is re-admitted.
   */
  Pass next() throws IOException {
    List<String> asked = wanted.get();
    Map<String, String> now = states.read();
    return new Pass(excluded(asked, now), now);
  }

  /** The wanted DataNodes and the decommissioned ones, sorted, each once. */
  static List<String> excluded(List<String> wanted, Map<String, String> states) {
    return Stream.concat(wanted.stream(), decommissioned(states).stream()).distinct().sorted().toList();
  }

  /** The DataNodes the NameNode reports decommissioned, sorted. */
  static List<String> decommissioned(Map<String, String> states) {
    return inState(states, "Decommissioned");
  }

  /** The DataNodes the NameNode reports in state, sorted. */
  static List<String> inState(Map<String, String> states, String state) {
    return states.entrySet().stream().filter(e -> state.equals(e.getValue())).map(Map.Entry::getKey).sorted().toList();
  }
}
