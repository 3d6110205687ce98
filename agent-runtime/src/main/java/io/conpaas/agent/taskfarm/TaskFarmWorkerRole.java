package io.conpaas.agent.taskfarm;

import com.sun.net.httpserver.HttpHandler;
import io.conpaas.agent.RoleContext;
import io.conpaas.agent.RolePlugin;
import io.conpaas.agent.api.TaskFarmKeys;
import io.conpaas.agent.api.TaskFarmKeys.Assignment;
import io.conpaas.agent.api.TaskFarmKeys.Result;
import io.conpaas.agent.api.XtreemFsKeys;
import io.conpaas.agent.process.SafeFiles;
import io.conpaas.agent.process.WorkerUser;
import io.conpaas.agent.web.RoleConfig;
import io.conpaas.agent.xtreemfs.VolumeMount;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * TaskFarmService's workers role: runs the tasks its configuration assigns, one at a time in the
 * order given, each (line, attempt) once, and reports their results as facts while they are still
 * assigned (the operator drops a task from the assignment once its ledger recorded the result).
 */
public final class TaskFarmWorkerRole implements RolePlugin {
  private final Object lock = new Object();
  private List<Assignment> assigned = List.of();
  private final Map<String, Result> results = new LinkedHashMap<>();
  private double slowdown = 1.0;
  private String running;
  private boolean stopped;
  private TaskRun runner;
  private Thread loop;
  private VolumeMount mount;

  @Override
  public String name() {
    return "workers";
  }

  @Override
  public void init(RoleContext context) {
    Path roleDir = RoleConfig.publicDirectory(context.roleDir(name()));
    WorkerUser user = WorkerUser.detect();
    Path tasks = SafeFiles.agentDirectory(roleDir.resolve("tasks"), "rwxr-xr-x");
    user.checkCanReach(tasks);
    this.runner = new TaskRun(user, tasks);
    this.mount = new VolumeMount(roleDir, context.workDir());
  }

  @Override
  public void configure(Map<String, String> config) {
    // spec.fileSystem: the volume is mounted before any task runs (a task's CONPAAS_FS names it).
    Optional<Map.Entry<String, String>> fs = VolumeMount.wanted(config);
    if (fs.isPresent() && mount != null) {
      runner.fileSystem(mount.mount(fs.get().getKey(), fs.get().getValue()));
    } else if (mount != null) {
      mount.unmount();
      runner.fileSystem(null);
    }
    List<Assignment> list = TaskFarmKeys.assignments(config.get(TaskFarmKeys.TASKS));
    double factor = 1.0;
    String s = config.get(TaskFarmKeys.SLOWDOWN);
    if (s != null && !s.isBlank()) {
      try {
        factor = Double.parseDouble(s);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(TaskFarmKeys.SLOWDOWN + " must be a number");
      }
      if (!(factor >= 1.0 && factor <= 100.0)) {
        throw new IllegalArgumentException(TaskFarmKeys.SLOWDOWN + " must be between 1 and 100");
      }
    }
    synchronized (lock) {
      assigned = List.copyOf(list);
      slowdown = factor;
      // Results of tasks no longer assigned were recorded by the operator: forget them.
      Set<String> keys = assigned.stream().map(Assignment::key).collect(Collectors.toSet());
      results.keySet().retainAll(keys);
      if (loop == null && runner != null) {
        loop = new Thread(this::work, "taskfarm-worker");
        loop.setDaemon(true);
        loop.start();
      }
      lock.notifyAll();
    }
  }

  private void work() {
    while (true) {
      Assignment next;
      double factor;
      synchronized (lock) {
        while (!stopped && (next = nextTask()) == null) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (stopped) {
          return;
        }
        next = nextTask();
        running = next.key();
        factor = slowdown;
      }
      Result r;
      try {
        r = runner.run(next, factor);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        System.err.println("taskfarm: task " + next.key() + " could not run: " + e.getMessage());
        long now = System.currentTimeMillis();
        r = new Result(next.line(), next.attempt(), 126, now, now, "cannot run the task: " + e.getMessage());
      }
      synchronized (lock) {
        results.put(r.key(), r);
        running = null;
      }
    }
  }

  /** The first assigned task without a result (caller holds the lock). */
  private Assignment nextTask() {
    for (Assignment a : assigned) {
      if (!results.containsKey(a.key())) {
        return a;
      }
    }
    return null;
  }

  @Override
  public Map<String, HttpHandler> endpoints() {
    return Map.of();
  }

  @Override
  public Map<String, String> facts() {
    synchronized (lock) {
      Map<String, String> facts = new LinkedHashMap<>();
      facts.put(TaskFarmKeys.RESULTS, TaskFarmKeys.toJson(new ArrayList<>(results.values())));
      if (running != null) {
        facts.put(TaskFarmKeys.RUNNING, running);
      }
      if (mount != null) {
        mount.mountPoint().ifPresent(p -> facts.put(XtreemFsKeys.MOUNT_POINT, p.toString()));
      }
      return facts;
    }
  }

  @Override
  public void stop() {
    synchronized (lock) {
      stopped = true;
      lock.notifyAll();
    }
    if (loop != null) {
      loop.interrupt();
    }
    if (mount != null) {
      mount.unmount();
    }
  }
}
