package io.conpaas.agent.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.util.List;

/**
 * Configuration keys and facts of TaskFarmService's workers role, shared by agent and operator. The
 * operator records an assignment in its ledger before it puts the task into a worker's
 * configuration; the worker runs every assigned (line, attempt) once and reports its result as a
 * fact until the assignment no longer lists it.
 */
public final class TaskFarmKeys {
  /** Config: JSON list of {@link Assignment}, in the order the worker should run them. */
  public static final String TASKS = "taskfarm.tasks";
  /** Config: how many times slower this worker's instance type is (local Cloud only; default 1). */
  public static final String SLOWDOWN = "taskfarm.slowdown";
  /** Fact: JSON list of {@link Result} for assigned tasks that finished. */
  public static final String RESULTS = "taskfarm.results";
  /** Fact: the line of the task running now (absent: none). */
  public static final String RUNNING = "taskfarm.running";
  /** Bytes of a task's output kept (its tail). */
  public static final int TAIL_BYTES = 512;
  /** Longest command a bag line may hold. */
  public static final int MAX_COMMAND = 4096;

  private TaskFarmKeys() {}

  /** One task handed to a worker: its bag line (1-based), the dispatch number, the command and its time limit. */
  public record Assignment(int line, int attempt, String command, int timeoutSeconds) {
    public String key() {
      return line + ":" + attempt;
    }
  }

  /** What one run ended with: exit code (-1: killed at the timeout), wall-clock start and end, output tail. */
  public record Result(int line, int attempt, int exitCode, long startedMs, long endedMs, String tail) {
    public String key() {
      return line + ":" + attempt;
    }
  }

  public static String toJson(Object value) {
    try {
      return AgentJson.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The assignments of a configuration value (empty for null or blank); IllegalArgumentException when malformed. */
  public static List<Assignment> assignments(String json) {
    return list(json, new TypeReference<List<Assignment>>() {});
  }

  /** The results of a fact value (empty for null or blank); IllegalArgumentException when malformed. */
  public static List<Result> results(String json) {
    return list(json, new TypeReference<List<Result>>() {});
  }

  private static <T> List<T> list(String json, TypeReference<List<T>> type) {
    if (json == null || json.isBlank()) {
      return List.of();
    }
    try {
      return AgentJson.mapper().readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("malformed task list: " + e.getOriginalMessage());
    }
  }
}
