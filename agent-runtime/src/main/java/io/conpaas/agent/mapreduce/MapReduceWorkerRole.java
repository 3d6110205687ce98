package io.conpaas.agent.mapreduce;

import com.sun.net.httpserver.HttpHandler;
import io.conpaas.agent.RoleContext;
import io.conpaas.agent.RolePlugin;
import io.conpaas.agent.api.MapReduceRoleKeys;
import io.conpaas.agent.process.SafeFiles;
import io.conpaas.agent.process.SupervisedJvm;
import io.conpaas.agent.process.WorkerUser;
import io.conpaas.agent.web.RoleConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A MapReduceService worker: an HDFS DataNode and a YARN NodeManager (with MapReduce's shuffle),
 * each a supervised JVM of its own run as the VM's account (logs in workers/&lt;daemon&gt;/logs). It
 * joins the master named in its configuration (the operator copies the master's address and ports
 * from the master agent's facts) and waits while it has none. A watcher reads from the NameNode
 * and the ResourceManager whether both daemons joined. POST /leave: the agent answers LEAVING
 * until the NameNode reports its DataNode decommissioned (the operator asked the master to, and
 * HDFS copied its blocks elsewhere), then stops both daemons.
 */
public final class MapReduceWorkerRole implements RolePlugin {
  /** NameNode answers that fail in a row before a leaving worker counts the master as gone. */
  private static final int MASTER_GONE_AFTER = 15;

  private final HadoopWebApi web = new HadoopWebApi();
  private RoleContext context;
  private Path roleDir;
  private WorkerUser user;
  private HadoopLibrary library;
  private SupervisedJvm datanode;
  private SupervisedJvm nodeManager;
  private Thread watcher;
  private volatile HadoopConfig.Master master;
  private volatile HadoopConfig.WorkerPorts ports;
  private volatile boolean waiting = true;
  private volatile boolean leaving;
  private volatile boolean left;
  private volatile String datanodeAddress = "";
  private volatile boolean joined;
  private volatile int unanswered;

  @Override
  public String name() {
    return "workers";
  }

  @Override
  public void init(RoleContext context) {
    this.context = context;
    this.roleDir = RoleConfig.publicDirectory(context.roleDir(name()));
  }

  @Override
  public synchronized void configure(Map<String, String> config) {
    int replication = RoleConfig.integer(config, MapReduceRoleKeys.REPLICATION, 1, 1, 16);
    Optional<HadoopConfig.Master> m = masterOf(config);
    String bind = context.bindAddress();
    Path portDir = RoleConfig.publicDirectory(roleDir.resolve("ports"));
    ports = new HadoopConfig.WorkerPorts(port("dataPort", portDir, bind), port("dataHttpPort", portDir, bind),
        port("dataIpcPort", portDir, bind), port("dataProxyPort", portDir, bind), port("nodePort", portDir, bind),
        port("localizerPort", portDir, bind), port("nodeHttpPort", portDir, bind), port("shufflePort", portDir, bind));
    if (m.isEmpty() || leaving) {
      // No master yet (or leaving: the daemons keep what they have until decommissioned).
      waiting = m.isEmpty();
      return;
    }
    if (user == null) {
      user = WorkerUser.detect();
      library = HadoopLibrary.locate(user, roleDir);
      datanode = new SupervisedJvm("datanode", "hadoop datanode", roleDir.resolve("datanode"), user);
      nodeManager = new SupervisedJvm("nodemanager", "hadoop nodemanager", roleDir.resolve("nodemanager"), user);
    }
    Path data = SafeFiles.workerDirectory(roleDir.resolve("data"), user.name(), "rwx------");
    Path conf = roleDir.resolve("conf");
    HadoopConfig.worker(m.get(), bind, replication, ports, data).writeTo(conf);
    // The master's address is part of the launch: a new master address restarts both daemons.
    Map<String, String> env = new LinkedHashMap<>();
    env.put("MASTER", m.get().address(MapReduceRoleKeys.NAMENODE_PORT) + "," + m.get().address(MapReduceRoleKeys.RM_TRACKER_PORT));
    env.put("HOME", datanode.home().toString());
    datanode.launch(new SupervisedJvm.Launch(env, HadoopLibrary.jvmOptions(160, datanode.tmp()),
        library.hdfsClasspath(conf), HadoopLibrary.DATANODE, List.of()));
    Map<String, String> nmEnv = new LinkedHashMap<>(env);
    // Containers (application masters, tasks) find their class path and java from these (env-whitelist).
    nmEnv.put("HOME", nodeManager.home().toString());
    nmEnv.put("JAVA_HOME", HadoopLibrary.javaHome());
    nmEnv.put("HADOOP_CONF_DIR", conf.toString());
    nmEnv.put("HADOOP_MAPRED_HOME", library.jars().toString());
    nodeManager.launch(new SupervisedJvm.Launch(nmEnv, HadoopLibrary.jvmOptions(192, nodeManager.tmp()),
        library.yarnClasspath(conf), HadoopLibrary.NODE_MANAGER, List.of()));
    master = m.get();
    waiting = false;
    if (watcher == null) {
      watcher = new Thread(this::watch, "mapreduce-worker-watch");
      watcher.setDaemon(true);
      watcher.start();
    }
  }

  private static int port(String key, Path dir, String bind) {
    return RoleConfig.port(Map.of(), key, dir.resolve(key), bind);
  }

  /** The master's address and ports from the configuration, or empty while the operator has none. */
  static Optional<HadoopConfig.Master> masterOf(Map<String, String> config) {
    String host = config.getOrDefault(MapReduceRoleKeys.MASTER_HOST, "").strip();
    if (host.isEmpty()) {
      return Optional.empty();
    }
    if (!host.matches("[A-Za-z0-9.:\\-\\[\\]]{1,253}")) {
      throw new IllegalArgumentException(MapReduceRoleKeys.MASTER_HOST + ": \"" + host + "\" is not a host");
    }
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (String key : MapReduceRoleKeys.MASTER_PORTS) {
      ports.put(key, RoleConfig.integer(config, key, 0, 1, 65535));
      if (ports.get(key) == 0) {
        throw new IllegalArgumentException(key + " is missing");
      }
    }
    return Optional.of(new HadoopConfig.Master(host.replaceAll("^\\[|\\]$", ""), ports));
  }

  @Override
  public Map<String, HttpHandler> endpoints() {
    return Map.of();
  }

  @Override
  public Map<String, String> facts() {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put(MapReduceRoleKeys.DATANODE, datanodeAddress);
    facts.put(MapReduceRoleKeys.JOINED, Boolean.toString(joined && !leaving));
    facts.put(MapReduceRoleKeys.LEAVING, Boolean.toString(leaving && !left));
    facts.put(MapReduceRoleKeys.WAITING, Boolean.toString(waiting));
    return facts;
  }

  /** Leaving: the daemons keep running until the NameNode reports the DataNode decommissioned. */
  @Override
  public synchronized void leave() {
    leaving = true;
    if (datanode == null || master == null) {
      left = true;
    }
  }

  @Override
  public boolean hasLeft() {
    return leaving && left;
  }

  @Override
  public synchronized void stop() {
    if (watcher != null) {
      watcher.interrupt();
    }
    for (SupervisedJvm jvm : new SupervisedJvm[] {nodeManager, datanode}) {
      if (jvm != null) {
        jvm.stop();
      }
    }
  }

  /** Every 2 s: this worker's DataNode and NodeManager as the master sees them; ends a finished leave. */
  private void watch() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(2000);
      } catch (InterruptedException e) {
        return;
      }
      HadoopConfig.Master m = master;
      HadoopConfig.WorkerPorts p = ports;
      if (m == null || p == null || left) {
        continue;
      }
      try {
        Map<String, String> states = web.datanodes("http://" + m.address(MapReduceRoleKeys.NAMENODE_HTTP_PORT));
        unanswered = 0;
        Optional<Map.Entry<String, String>> mine = states.entrySet().stream()
            .filter(e -> e.getKey().endsWith(":" + p.data()) && ownHost(e.getKey())).findFirst();
        boolean known = !datanodeAddress.isEmpty();
        mine.ifPresent(e -> datanodeAddress = e.getKey());
        boolean nodeManagerRuns = web.runningNodeManagers("http://" + m.address(MapReduceRoleKeys.RM_HTTP_PORT))
            .stream().anyMatch(id -> id.endsWith(":" + p.node()));
        joined = mine.map(e -> "In Service".equals(e.getValue())).orElse(false) && nodeManagerRuns;
        if (leaving && leaveDone(mine.map(Map.Entry::getValue), known)) {
          finishLeaving();
        }
      } catch (IOException | RuntimeException e) {
        joined = false;
        // A master that stays silent while this worker leaves is gone (its service is being deleted).
        if (leaving && ++unanswered >= MASTER_GONE_AFTER) {
          finishLeaving();
        }
      }
    }
  }

  /**
   * Whether a leaving worker is done: the NameNode reports its DataNode decommissioned, or never knew
   * it (no block to move). A DataNode the NameNode knew and no longer lists (a restarted NameNode) is
   * waited for: it registers again, still excluded, and its decommission goes on; leaving now could
   * take the only copy of a block with the VM.
   */
  static boolean leaveDone(Optional<String> state, boolean knownBefore) {
    return state.map("Decommissioned"::equals).orElse(!knownBefore);
  }

  /** Whether a DataNode address names this agent (its bind address, or any when it binds the wildcard). */
  private boolean ownHost(String address) {
    String bind = context.bindAddress();
    String host = address.substring(0, address.lastIndexOf(':')).replaceAll("^\\[|\\]$", "");
    return bind.equals("0.0.0.0") || bind.equals("::") || host.equals(bind) || host.equals(RoleConfig.probeHost(bind));
  }

  private synchronized void finishLeaving() {
    for (SupervisedJvm jvm : new SupervisedJvm[] {nodeManager, datanode}) {
      if (jvm != null) {
        jvm.stop();
      }
    }
    left = true;
  }
}
