package io.conpaas.reconcilers.taskfarm;

import io.conpaas.agent.api.TaskFarmKeys;
import java.util.ArrayList;
import java.util.List;

/** Reads a bag of tasks (manual 2.8.2): one shell command per line; blank lines and # comments skipped. */
public final class BagParser {
  /** Largest bag: its ledger must fit one ConfigMap (1 MiB) with attempts and output tails. */
  public static final int MAX_TASKS = 1000;

  private BagParser() {}

  /** The commands, or IllegalArgumentException saying what is wrong with the bag. */
  public static List<String> parse(String text) {
    List<String> commands = new ArrayList<>();
    for (String raw : text.split("\n", -1)) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.length() > TaskFarmKeys.MAX_COMMAND) {
        throw new IllegalArgumentException("a task is longer than " + TaskFarmKeys.MAX_COMMAND + " characters");
      }
      commands.add(line);
    }
    if (commands.isEmpty()) {
      throw new IllegalArgumentException("the bag holds no task");
    }
    if (commands.size() > MAX_TASKS) {
      throw new IllegalArgumentException("the bag holds " + commands.size() + " tasks; at most " + MAX_TASKS);
    }
    return commands;
  }
}
