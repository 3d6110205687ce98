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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * MapReduceService's master: the HDFS NameNode, the YARN ResourceManager and the MapReduce
 * JobHistory server, each a supervised JVM of its own run as the VM's account (logs in
 * master/&lt;daemon&gt;/logs). The NameNode is formatted once, on first start, in the background. Its ports are picked
 * once and kept; facts tell the operator what to give the workers. A watcher applies what the
 * operator asks without restarting anything: the DataNodes to decommission (dfs.exclude + a
 * refresh) and the replication of existing files; it reports decommissioned DataNodes. Jobs are
 * submitted at {@link MapReduceRoleKeys#JOBS_PATH} ({@link JobsEndpoint}).
 */
public final class MapReduceMasterRole implements RolePlugin {
  private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(2);

  private final HadoopWebApi web = new HadoopWebApi();
  private RoleContext context;
  private Path roleDir;
  private WorkerUser user;
  private HadoopLibrary library;
  private SupervisedJvm namenode;
  private SupervisedJvm resourceManager;
  private SupervisedJvm history;
  private HadoopTool tool;
  private Thread watcher;
  private JobsEndpoint jobs;
  private HdfsFilesEndpoint files;
  private Thread formatter;
  private boolean stopped;
  private SupervisedJvm.Launch namenodeLaunch;
  private volatile Map<String, Integer> ports = Map.of();
  private volatile List<String> decommission = List.of();
  private final DataNodeExclusions exclusions = new DataNodeExclusions(() -> decommission,
      () -> web.datanodes(local(MapReduceRoleKeys.NAMENODE_HTTP_PORT)));
  private volatile int replication = 1;
  private volatile List<String> appliedDecommission;
  private volatile int appliedReplication;
  private volatile boolean serving;
  private volatile boolean shared;
  private volatile List<String> decommissioned = List.of();
  private volatile List<String> live = List.of();

  @Override
  public String name() {
    return "master";
  }

  @Override
  public void init(RoleContext context) {
    this.context = context;
    this.roleDir = RoleConfig.publicDirectory(context.roleDir(name()));
    this.jobs = new JobsEndpoint(roleDir.resolve("jobs"), WorkerUser.detect(), this::jobClasspath);
    this.files = new HdfsFilesEndpoint(this::namenodeHttp, WorkerUser.detect().name()
        .orElse(System.getProperty("user.name")));
  }

  /** The NameNode's WebHDFS on the master's own address. */
  private String namenodeHttp() {
    if (ports.isEmpty()) {
      throw new IllegalStateException("the master is not configured yet");
    }
    return local(MapReduceRoleKeys.NAMENODE_HTTP_PORT);
  }

  /** The class path of a job's client (RunJar): the master's configuration and the Hadoop jars. */
  private synchronized String jobClasspath() {
    if (library == null) {
      throw new IllegalStateException("the master is not configured yet");
    }
    return library.yarnClasspath(roleDir.resolve("conf"));
  }

  @Override
  public synchronized void configure(Map<String, String> config) {
    int wantedReplication = RoleConfig.integer(config, MapReduceRoleKeys.REPLICATION, 1, 1, 16);
    List<String> wantedDecommission = WorkerAddresses.parse(config.get(MapReduceRoleKeys.DECOMMISSION));
    String bind = context.bindAddress();
    Map<String, Integer> picked = new LinkedHashMap<>();
    for (String key : MapReduceRoleKeys.MASTER_PORTS) {
      picked.put(key, RoleConfig.port(Map.of(), key, RoleConfig.publicDirectory(roleDir.resolve("ports")).resolve(key),
          bind));
    }
    int rmAdmin = RoleConfig.port(Map.of(), "rmAdminPort", roleDir.resolve("ports/rmAdminPort"), bind);
    int historyAdmin = RoleConfig.port(Map.of(), "historyAdminPort", roleDir.resolve("ports/historyAdminPort"), bind);
    if (user == null) {
      user = WorkerUser.detect();
      library = HadoopLibrary.locate(user, roleDir);
      namenode = new SupervisedJvm("namenode", "hadoop namenode", roleDir.resolve("namenode"), user);
      resourceManager = new SupervisedJvm("resourcemanager", "hadoop resourcemanager",
          roleDir.resolve("resourcemanager"), user);
      history = new SupervisedJvm("jobhistory", "hadoop jobhistory", roleDir.resolve("jobhistory"), user);
      RoleConfig.publicDirectory(roleDir.resolve("logs"));
      tool = new HadoopTool(user, roleDir.resolve("logs/tools.log"), namenode.tmp());
    }
    Path data = SafeFiles.workerDirectory(roleDir.resolve("data"), user.name(), "rwx------");
    Path conf = roleDir.resolve("conf");
    HadoopConfig.Master master = new HadoopConfig.Master(RoleConfig.probeHost(bind), picked);
    HadoopConfig.master(master, bind, wantedReplication, rmAdmin, historyAdmin, conf, data).writeTo(conf);
    // The watcher keeps dfs.exclude (DataNodeExclusions); here only a new master's first file.
    Path exclude = conf.resolve("dfs.exclude");
    if (!Files.exists(exclude)) {
      RoleConfig.writeAtomically(exclude, lines(wantedDecommission));
    }
    namenodeLaunch = launch(library.hdfsClasspath(conf), 192, namenode, HadoopLibrary.NAMENODE);
    if (Files.exists(data.resolve("name/current/VERSION"))) {
      namenode.launch(namenodeLaunch);
    } else if (formatter == null) {
      // Formatting is a JVM run of its own (a minute on a loaded machine): off the configure call,
      // which the operator bounds; the NameNode starts when it is done.
      Path conf0 = conf;
      formatter = new Thread(() -> format(conf0), "mapreduce-namenode-format");
      formatter.setDaemon(true);
      formatter.start();
    }
    resourceManager.launch(launch(library.yarnClasspath(conf), 192, resourceManager, HadoopLibrary.RESOURCE_MANAGER));
    history.launch(launch(library.yarnClasspath(conf), 160, history, HadoopLibrary.JOB_HISTORY));
    ports = Map.copyOf(picked);
    replication = wantedReplication;
    decommission = wantedDecommission;
    if (watcher == null) {
      watcher = new Thread(this::watch, "mapreduce-master-watch");
      watcher.setDaemon(true);
      watcher.start();
    }
  }

  /** Formats the NameNode once (a new file system), then starts it; a failure is retried by the next configure. */
  private void format(Path conf) {
    int code = tool.run(library.hdfsClasspath(conf), HadoopLibrary.NAMENODE,
        List.of("-format", "-nonInteractive", "-clusterId", "conpaas-" + context.agentName()), TOOL_TIMEOUT);
    synchronized (this) {
      formatter = null;
      if (stopped) {
        return;
      }
      if (code != 0) {
        System.err.println("formatting the NameNode failed (exit " + code + "): " + tool.logTail());
        return;
      }
      namenode.launch(namenodeLaunch);
    }
  }

  private static SupervisedJvm.Launch launch(String classpath, int heapMb, SupervisedJvm jvm, String main) {
    return new SupervisedJvm.Launch(Map.of("HOME", jvm.home().toString()), HadoopLibrary.jvmOptions(heapMb, jvm.tmp()),
        classpath, main, List.of());
  }

  @Override
  public Map<String, HttpHandler> endpoints() {
    return Map.of(MapReduceRoleKeys.JOBS_PATH, jobs, MapReduceRoleKeys.HDFS_FILES_PATH, files);
  }

  @Override
  public Map<String, String> facts() {
    Map<String, String> facts = new TreeMap<>();
    ports.forEach((k, v) -> facts.put(k, Integer.toString(v)));
    facts.put("serving", Boolean.toString(serving));
    facts.put(MapReduceRoleKeys.DECOMMISSIONED, String.join(",", decommissioned));
    facts.put(MapReduceRoleKeys.LIVE_DATANODES, String.join(",", live));
    facts.put(MapReduceRoleKeys.REPLICATION, Integer.toString(appliedReplication));
    Map<String, Integer> counts = jobs.counts();
    facts.put(MapReduceRoleKeys.JOBS_RUNNING, Integer.toString(counts.getOrDefault("RUNNING", 0)));
    facts.put(MapReduceRoleKeys.JOBS_SUCCEEDED, Integer.toString(counts.getOrDefault("SUCCEEDED", 0)));
    facts.put(MapReduceRoleKeys.JOBS_FAILED, Integer.toString(counts.getOrDefault("FAILED", 0)
        + counts.getOrDefault("LOST", 0)));
    try {
      facts.put(MapReduceRoleKeys.JOBS, io.conpaas.agent.api.AgentJson.mapper()
          .writeValueAsString(jobs.recent(MapReduceRoleKeys.MAX_REPORTED_JOBS)));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return facts;
  }

  @Override
  public synchronized void stop() {
    stopped = true;
    if (watcher != null) {
      watcher.interrupt();
    }
    for (SupervisedJvm jvm : new SupervisedJvm[] {history, resourceManager, namenode}) {
      if (jvm != null) {
        jvm.stop();
      }
    }
  }

  /** For tests: the daemons' JVMs. */
  boolean running() {
    return namenode != null && namenode.alive() && resourceManager.alive() && history.alive();
  }

  private String local(String key) {
    return "http://" + HadoopConfig.bracketed(RoleConfig.probeHost(context.bindAddress())) + ":" + ports.get(key);
  }

  /** Every 2 s: whether the daemons serve; applies decommissioning and replication; reads DataNode states. */
  private void watch() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(2000);
      } catch (InterruptedException e) {
        return;
      }
      try {
        String nn = local(MapReduceRoleKeys.NAMENODE_HTTP_PORT);
        boolean up = web.namenodeServes(nn) && web.resourceManagerServes(local(MapReduceRoleKeys.RM_HTTP_PORT))
            && history.alive();
        DataNodeExclusions.Pass pass = exclusions.next();
        if (up) {
          apply(pass.excluded());
        }
        decommissioned = DataNodeExclusions.decommissioned(pass.states());
        live = DataNodeExclusions.inState(pass.states(), "In Service");
        serving = up;
      } catch (IOException | RuntimeException e) {
        serving = false;
      }
    }
  }

  private static String lines(List<String> addresses) {
    return String.join("\n", addresses) + "\n";
  }

  /** Applies the DataNode exclusions and replication once the daemons serve (retried until they succeed). */
  private void apply(List<String> excluded) {
    Path conf = roleDir.resolve("conf");
    if (!shared) {
      // Clients of other accounts stage their jobs under /tmp (the JobHistory server creates it 770 for
      // itself) and keep files under /user: both open to all, sticky, as in a Hadoop installation. chmod
      // is checked even with dfs.permissions.enabled=false, so without this a client's job fails.
      String cp = library.hdfsClasspath(conf);
      shared = tool.run(cp, HadoopLibrary.FS_SHELL, List.of("-mkdir", "-p", "/tmp/hadoop-yarn/staging", "/user"),
          TOOL_TIMEOUT) == 0 && tool.run(cp, HadoopLibrary.FS_SHELL, List.of("-chmod", "-R", "1777", "/tmp", "/user"),
          TOOL_TIMEOUT) == 0;
    }
    if (!excluded.equals(appliedDecommission)) {
      RoleConfig.writeAtomically(conf.resolve("dfs.exclude"), lines(excluded));
      int code = tool.run(library.hdfsClasspath(conf), HadoopLibrary.DFS_ADMIN, List.of("-refreshNodes"),
          TOOL_TIMEOUT);
      if (code == 0) {
        appliedDecommission = excluded;
      }
    }
    int r = replication;
    if (r != appliedReplication) {
      int code = tool.run(library.hdfsClasspath(conf), HadoopLibrary.FS_SHELL, List.of("-setrep", "-R",
          Integer.toString(r), "/"), TOOL_TIMEOUT);
      if (code == 0) {
        appliedReplication = r;
      }
    }
  }
}
