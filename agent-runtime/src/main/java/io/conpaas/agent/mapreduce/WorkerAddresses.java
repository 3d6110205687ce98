package io.conpaas.agent.mapreduce;

import java.util.Arrays;
import java.util.List;

/** A comma-separated list of DataNode transfer addresses (host:port) from the operator, checked. */
final class WorkerAddresses {
  private WorkerAddresses() {}

  static List<String> parse(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    List<String> all = Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).sorted().toList();
    for (String a : all) {
      if (!a.matches("[A-Za-z0-9.\\-\\[\\]:]{1,253}:[0-9]{1,5}")) {
        throw new IllegalArgumentException("decommission: \"" + a + "\" is not a host:port");
      }
    }
    return all;
  }
}
