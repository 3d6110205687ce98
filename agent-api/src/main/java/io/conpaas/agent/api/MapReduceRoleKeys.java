package io.conpaas.agent.api;

/** Configuration keys and facts of MapReduceService's master and workers roles, shared by agent and operator. */
public final class MapReduceRoleKeys {
  /** Config (both roles): HDFS replication of new files; the master also sets it on existing files. */
  public static final String REPLICATION = "replication";
  /** Config of the master: DataNode transfer addresses (host:port, comma-separated) to decommission. */
  public static final String DECOMMISSION = "decommission";
  /** Config of a worker: the master's address as the worker reaches it (host or IP). */
  public static final String MASTER_HOST = "masterHost";

  /** Fact of the master (config of a worker: the same value): the NameNode's RPC port (fs.defaultFS). */
  public static final String NAMENODE_PORT = "namenodePort";
  /** Fact of the master (config of a worker): the NameNode's web UI and WebHDFS port. */
  public static final String NAMENODE_HTTP_PORT = "namenodeHttpPort";
  /** Fact of the master (config of a worker): the ResourceManager's client port (yarn.resourcemanager.address). */
  public static final String RM_PORT = "rmPort";
  /** Fact of the master (config of a worker): the ResourceManager's scheduler port (application masters). */
  public static final String RM_SCHEDULER_PORT = "rmSchedulerPort";
  /** Fact of the master (config of a worker): the ResourceManager's resource tracker port (NodeManagers). */
  public static final String RM_TRACKER_PORT = "rmTrackerPort";
  /** Fact of the master (config of a worker): the ResourceManager's web UI port. */
  public static final String RM_HTTP_PORT = "rmHttpPort";
  /** Fact of the master (config of a worker): the JobHistory server's RPC port. */
  public static final String HISTORY_PORT = "historyPort";
  /** Fact of the master (config of a worker): the JobHistory server's web UI port. */
  public static final String HISTORY_HTTP_PORT = "historyHttpPort";
  /** Fact of the master: DataNodes (transfer addresses) the NameNode reports decommissioned. */
  public static final String DECOMMISSIONED = "decommissioned";
  /** Fact of the master: DataNodes the NameNode reports live and in service. */
  public static final String LIVE_DATANODES = "liveDatanodes";

  /** The master's endpoint for jobs: PUT a job jar (arguments as arg= query parameters), GET the jobs. */
  public static final String JOBS_PATH = "/mapreduce/jobs";
  /** The master's endpoint for data: PUT a file with path=/absolute/hdfs/path, written into HDFS. */
  public static final String HDFS_FILES_PATH = "/mapreduce/hdfs";
  /**
   * Fact of the master: its most recent jobs (at most {@link #MAX_REPORTED_JOBS}, oldest first) as a JSON
   * array of {"job", "state", "application"}.
   */
  public static final String JOBS = "jobs";
  public static final int MAX_REPORTED_JOBS = 20;
  /** Facts of the master: how many jobs run, succeeded, failed (or were lost with an agent restart). */
  public static final String JOBS_RUNNING = "jobsRunning";
  public static final String JOBS_SUCCEEDED = "jobsSucceeded";
  public static final String JOBS_FAILED = "jobsFailed";

  /** Fact of a worker: its DataNode's transfer address as the NameNode knows it (host:port). */
  public static final String DATANODE = "datanode";
  /** Fact of a worker: "true" once the NameNode lists its DataNode live and the ResourceManager its NodeManager. */
  public static final String JOINED = "joined";
  /** Fact of a worker: "true" from POST /leave until its DataNode is decommissioned and its daemons stopped. */
  public static final String LEAVING = "leaving";
  /** Fact of a worker: "true" while it waits for the master's address. */
  public static final String WAITING = "waiting";

  /** The master's ports a worker is configured with (the master's facts of the same names). */
  public static final java.util.List<String> MASTER_PORTS = java.util.List.of(NAMENODE_PORT, NAMENODE_HTTP_PORT,
      RM_PORT, RM_SCHEDULER_PORT, RM_TRACKER_PORT, RM_HTTP_PORT, HISTORY_PORT, HISTORY_HTTP_PORT);

  private MapReduceRoleKeys() {}
}
