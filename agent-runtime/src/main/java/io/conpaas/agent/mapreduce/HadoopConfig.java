package io.conpaas.agent.mapreduce;

import io.conpaas.agent.api.MapReduceRoleKeys;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Hadoop properties of MapReduceService's daemons, pure: what the master and each worker need
 * to find each other (the master's address and ports), where each keeps its data, and small
 * memory settings (the manual's VMs have 384 MB and up). Task JVMs find their class path from the
 * worker's environment ($HADOOP_CONF_DIR, $HADOOP_MAPRED_HOME: the NodeManager passes them on), so
 * a job submitted from anywhere runs with the jars of the worker it lands on.
 */
final class HadoopConfig {
  /** The class path of task and application master JVMs, expanded by the container's launch script. */
  static final String CONTAINER_CLASSPATH = "$HADOOP_CONF_DIR,$HADOOP_MAPRED_HOME/*";
  /** The memory a worker's NodeManager offers to containers, and each container's size. */
  static final int NODE_MEMORY_MB = 1024;
  static final int CONTAINER_MB = 256;
  /** How long a lost worker counts as alive: NodeManager expiry at the ResourceManager (default 10 min). */
  static final int NM_EXPIRY_MS = 60_000;
  /** How long an application master keeps calling a NodeManager that does not answer (default 3 min). */
  static final int NM_CONNECT_WAIT_MS = 20_000;

  /** The master's address and ports, as the operator passes them to workers (the master's facts). */
  record Master(String host, Map<String, Integer> ports) {
    Master {
      ports = Map.copyOf(ports);
    }

    int port(String key) {
      Integer p = ports.get(key);
      if (p == null) {
        throw new IllegalArgumentException(key + " is missing");
      }
      return p;
    }

    String address(String key) {
      return bracketed(host) + ":" + port(key);
    }
  }

  private HadoopConfig() {}

  /** Properties every daemon and client of the service shares. */
  static HadoopSite common(Master m, int replication, Path tmp) {
    Map<String, String> core = new LinkedHashMap<>();
    core.put("fs.defaultFS", "hdfs://" + m.address(MapReduceRoleKeys.NAMENODE_PORT));
    core.put("hadoop.tmp.dir", tmp.toString());
    Map<String, String> hdfs = new LinkedHashMap<>();
    hdfs.put("dfs.replication", Integer.toString(replication));
    hdfs.put("dfs.namenode.http-address", m.address(MapReduceRoleKeys.NAMENODE_HTTP_PORT));
    hdfs.put("dfs.permissions.enabled", "false");
    Map<String, String> yarn = new LinkedHashMap<>();
    yarn.put("yarn.resourcemanager.hostname", m.host());
    yarn.put("yarn.resourcemanager.address", m.address(MapReduceRoleKeys.RM_PORT));
    yarn.put("yarn.resourcemanager.scheduler.address", m.address(MapReduceRoleKeys.RM_SCHEDULER_PORT));
    yarn.put("yarn.resourcemanager.resource-tracker.address", m.address(MapReduceRoleKeys.RM_TRACKER_PORT));
    yarn.put("yarn.resourcemanager.webapp.address", m.address(MapReduceRoleKeys.RM_HTTP_PORT));
    yarn.put("yarn.application.classpath", CONTAINER_CLASSPATH);
    // A worker lost without warning refuses connections: the application master's calls to stop that
    // NodeManager's containers retry for this long (default 3 min) before their tasks run again elsewhere.
    // With the ResourceManager's 60 s expiry (master) a job then recovers from a lost worker in ~1.5 min.
    yarn.put("yarn.client.nodemanager-connect.max-wait-ms", Integer.toString(NM_CONNECT_WAIT_MS));
    yarn.put("yarn.client.nodemanager-connect.retry-interval-ms", "5000");
    yarn.put("yarn.scheduler.minimum-allocation-mb", "128");
    yarn.put("yarn.scheduler.maximum-allocation-mb", Integer.toString(NODE_MEMORY_MB));
    Map<String, String> mapred = new LinkedHashMap<>();
    mapred.put("mapreduce.framework.name", "yarn");
    mapred.put("mapreduce.application.classpath", CONTAINER_CLASSPATH);
    mapred.put("mapreduce.jobhistory.address", m.address(MapReduceRoleKeys.HISTORY_PORT));
    mapred.put("mapreduce.jobhistory.webapp.address", m.address(MapReduceRoleKeys.HISTORY_HTTP_PORT));
    mapred.put("yarn.app.mapreduce.am.resource.mb", Integer.toString(CONTAINER_MB));
    mapred.put("yarn.app.mapreduce.am.command-opts", HadoopLibrary.containerOptions(192));
    mapred.put("mapreduce.map.memory.mb", Integer.toString(CONTAINER_MB));
    mapred.put("mapreduce.reduce.memory.mb", Integer.toString(CONTAINER_MB));
    mapred.put("mapreduce.map.java.opts", HadoopLibrary.containerOptions(160));
    mapred.put("mapreduce.reduce.java.opts", HadoopLibrary.containerOptions(160));
    mapred.put("mapreduce.task.io.sort.mb", "32");
    return new HadoopSite(core, hdfs, yarn, mapred);
  }

  /**
   * The master's daemons: NameNode (data in data/name, DataNodes in conf/dfs.exclude decommissioned),
   * ResourceManager (FIFO scheduler: no queue file to keep; NodeManagers in conf/yarn.exclude
   * refused), JobHistory server.
   */
  static HadoopSite master(Master m, String bind, int replication, int rmAdminPort, int historyAdminPort,
      Path conf, Path data) {
    HadoopSite s = common(m, replication, data.resolve("tmp"));
    s.hdfs().put("dfs.namenode.name.dir", data.resolve("name").toUri().toString());
    s.hdfs().put("dfs.namenode.http-address", bracketed(bind) + ":" + m.port(MapReduceRoleKeys.NAMENODE_HTTP_PORT));
    s.hdfs().put("dfs.namenode.datanode.registration.ip-hostname-check", "false");
    s.hdfs().put("dfs.hosts.exclude", conf.resolve("dfs.exclude").toString());
    // A fresh file system has no block to wait for: leave safe mode at once.
    s.hdfs().put("dfs.namenode.safemode.extension", "0");
    // Decommissioning and re-replication checked every few seconds, not every 30 s.
    s.hdfs().put("dfs.namenode.decommission.interval", "3");
    s.hdfs().put("dfs.namenode.redundancy.interval.seconds", "1");
    // A worker killed without warning counts as dead after ~1 min (default 10.5 min): its blocks re-replicate.
    s.hdfs().put("dfs.namenode.heartbeat.recheck-interval", "15000");
    s.yarn().put("yarn.resourcemanager.admin.address", bracketed(m.host()) + ":" + rmAdminPort);
    s.yarn().put("yarn.resourcemanager.scheduler.class",
        "org.apache.hadoop.yarn.server.resourcemanager.scheduler.fifo.FifoScheduler");
    s.yarn().put("yarn.resourcemanager.nodes.exclude-path", conf.resolve("yarn.exclude").toString());
    // A worker killed without warning is lost after 1 min (default 10 min): its containers run again elsewhere.
    s.yarn().put("yarn.nm.liveness-monitor.expiry-interval-ms", Integer.toString(NM_EXPIRY_MS));
    s.mapred().put("mapreduce.jobhistory.admin.address", bracketed(m.host()) + ":" + historyAdminPort);
    return s;
  }

  /** Ports of one worker's daemons. */
  record WorkerPorts(int data, int dataHttp, int dataIpc, int dataProxy, int node, int localizer, int nodeHttp,
      int shuffle) {}

  /** A worker's DataNode (blocks in data/dn) and NodeManager (containers' files in data/nm-*). */
  static HadoopSite worker(Master m, String bind, int replication, WorkerPorts p, Path data) {
    HadoopSite s = common(m, replication, data.resolve("tmp"));
    String b = bracketed(bind);
    s.hdfs().put("dfs.datanode.data.dir", data.resolve("dn").toUri().toString());
    s.hdfs().put("dfs.datanode.address", b + ":" + p.data());
    s.hdfs().put("dfs.datanode.http.address", b + ":" + p.dataHttp());
    s.hdfs().put("dfs.datanode.ipc.address", b + ":" + p.dataIpc());
    // The DataNode's internal web server would take an ephemeral port at start; one picked with the others
    // keeps it from landing on a port another daemon of this host picked but has not bound yet.
    s.hdfs().put("dfs.datanode.http.internal-proxy.port", Integer.toString(p.dataProxy()));
    s.yarn().put("yarn.nodemanager.hostname", bind);
    s.yarn().put("yarn.nodemanager.address", b + ":" + p.node());
    s.yarn().put("yarn.nodemanager.localizer.address", b + ":" + p.localizer());
    s.yarn().put("yarn.nodemanager.webapp.address", b + ":" + p.nodeHttp());
    s.yarn().put("yarn.nodemanager.local-dirs", data.resolve("nm-local").toString());
    s.yarn().put("yarn.nodemanager.log-dirs", data.resolve("nm-logs").toString());
    s.yarn().put("yarn.nodemanager.resource.memory-mb", Integer.toString(NODE_MEMORY_MB));
    s.yarn().put("yarn.nodemanager.resource.cpu-vcores", "4");
    // The NodeManager would kill containers for their virtual memory (JVMs reserve much more than they use).
    s.yarn().put("yarn.nodemanager.pmem-check-enabled", "false");
    s.yarn().put("yarn.nodemanager.vmem-check-enabled", "false");
    s.yarn().put("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", "99.9");
    s.yarn().put("yarn.nodemanager.aux-services", "mapreduce_shuffle");
    s.yarn().put("yarn.nodemanager.aux-services.mapreduce_shuffle.class", "org.apache.hadoop.mapred.ShuffleHandler");
    s.yarn().put("yarn.nodemanager.env-whitelist", "JAVA_HOME,HADOOP_CONF_DIR,HADOOP_MAPRED_HOME,PATH,LANG,TZ");
    s.mapred().put("mapreduce.shuffle.port", Integer.toString(p.shuffle()));
    return s;
  }

  static String bracketed(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
