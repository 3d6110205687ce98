package io.conpaas.reconcilers.htc;

import io.conpaas.agent.api.TaskFarmKeys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bag of an HTC service of type workflow, pure: one task per line, {@code NAME: COMMAND} or
 * {@code NAME after DEP,DEP: COMMAND}; blank lines and # comments skipped. A task may wait for tasks
 * of its job (earlier bags or the same one); names are unique within a job; a cycle is refused with
 * its path.
 */
public final class WorkflowBag {
  private static final String NAME = "[A-Za-z0-9_.-]{1,63}";
  private static final Pattern LINE = Pattern.compile(
      "^(" + NAME + ")(?:\\s+after\\s+(" + NAME + "(?:\\s*,\\s*" + NAME + ")*))?\\s*:\\s*(\\S.*)$");

  private WorkflowBag() {}

  /** One task: its name, the names it waits for, its command. */
  public record Node(String name, List<String> after, String command) {}

  /**
   * The bag's tasks, or IllegalArgumentException saying what is wrong (syntax, duplicate or unknown
   * name, cycle). earlier: the job's existing tasks (name -> names they wait for).
   */
  public static List<Node> parse(String text, Map<String, List<String>> earlier) {
    List<Node> nodes = new ArrayList<>();
    Set<String> names = new HashSet<>(earlier.keySet());
    int lineNo = 0;
    for (String raw : text.split("\n", -1)) {
      lineNo++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        throw new IllegalArgumentException("line " + lineNo + ": expected 'NAME: COMMAND' or 'NAME after DEP,DEP: "
            + "COMMAND'");
      }
      if (m.group(3).length() > TaskFarmKeys.MAX_COMMAND) {
        throw new IllegalArgumentException("line " + lineNo + ": a task is longer than " + TaskFarmKeys.MAX_COMMAND
            + " characters");
      }
      if (!names.add(m.group(1))) {
        throw new IllegalArgumentException("line " + lineNo + ": task name " + m.group(1) + " is used twice in the job");
      }
      List<String> after = m.group(2) == null ? List.of() : List.of(m.group(2).split("\\s*,\\s*"));
      nodes.add(new Node(m.group(1), after, m.group(3)));
    }
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("the bag holds no task");
    }
    Map<String, List<String>> graph = new LinkedHashMap<>(earlier);
    nodes.forEach(n -> graph.put(n.name(), n.after()));
    for (Node n : nodes) {
      for (String dep : n.after()) {
        if (!graph.containsKey(dep)) {
          throw new IllegalArgumentException("task " + n.name() + " waits for " + dep + ", which is no task of the job");
        }
      }
    }
    Optional<List<String>> cycle = cycle(graph);
    if (cycle.isPresent()) {
      throw new IllegalArgumentException("workflow cycle: " + String.join(" -> ", cycle.get()));
    }
    return nodes;
  }

  /**
   * A cycle of the graph (task -> tasks it waits for) as a path that starts and ends with the same
   * name, the first found in the graph's order; empty when it has none.
   */
  public static Optional<List<String>> cycle(Map<String, List<String>> graph) {
    Map<String, Integer> color = new HashMap<>();
    for (String start : graph.keySet()) {
      if (color.getOrDefault(start, 0) != 0) {
        continue;
      }
      List<String> path = new ArrayList<>();
      Optional<List<String>> found = visit(start, graph, color, path);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  /** Depth first; color 1 = on the current path, 2 = finished (recursion depth is bounded by the job's tasks). */
  private static Optional<List<String>> visit(String node, Map<String, List<String>> graph, Map<String, Integer> color,
      List<String> path) {
    color.put(node, 1);
    path.add(node);
    for (String next : graph.getOrDefault(node, List.of())) {
      int c = color.getOrDefault(next, 0);
      if (c == 1) {
        List<String> cycle = new ArrayList<>(path.subList(path.indexOf(next), path.size()));
        cycle.add(next);
        return Optional.of(cycle);
      }
      if (c == 0) {
        Optional<List<String>> found = visit(next, graph, color, path);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    path.remove(path.size() - 1);
    color.put(node, 2);
    return Optional.empty();
  }
}
