package io.conpaas.agent.mapreduce;

import io.conpaas.agent.process.Binaries;
import io.conpaas.agent.process.JarLibrary;
import io.conpaas.agent.process.WorkerUser;
import java.nio.file.Path;
import java.util.List;

/**
 * The Hadoop jars (hadoop-lib copies them to {@code hadoop} beside the agent jar, or
 * CONPAAS_HADOOP_LIB) and the HDFS web pages ({@code hadoop-hdfs-web}, or CONPAAS_HADOOP_HDFS_WEB),
 * where the worker account reads them, and the class paths and JVM options of the daemons.
 */
record HadoopLibrary(Path jars, Path hdfsWeb) {
  /** The main classes of the daemons and tools. */
  static final String NAMENODE = "org.apache.hadoop.hdfs.server.namenode.NameNode";
  static final String DATANODE = "org.apache.hadoop.hdfs.server.datanode.DataNode";
  static final String RESOURCE_MANAGER = "org.apache.hadoop.yarn.server.resourcemanager.ResourceManager";
  static final String NODE_MANAGER = "org.apache.hadoop.yarn.server.nodemanager.NodeManager";
  static final String JOB_HISTORY = "org.apache.hadoop.mapreduce.v2.hs.JobHistoryServer";
  static final String DFS_ADMIN = "org.apache.hadoop.hdfs.tools.DFSAdmin";
  static final String FS_SHELL = "org.apache.hadoop.fs.FsShell";
  static final String RUN_JAR = "org.apache.hadoop.util.RunJar";

  /**
   * Hadoop 3.4 on Java 17: its reflection into the JDK (Guice in the web UIs, buffers, the shell)
   * needs these packages open.
   */
  static final List<String> OPENS = List.of("java.lang", "java.lang.reflect", "java.util", "java.util.concurrent",
      "java.net", "java.io", "java.nio", "sun.nio.ch");

  /** Finds both directories and makes them reachable to user (copies under roleDir/lib when not). */
  static HadoopLibrary locate(WorkerUser user, Path roleDir) {
    Path jars = JarLibrary.locate("hadoop", "CONPAAS_HADOOP_LIB", "hadoop-hdfs-*.jar");
    Path web = JarLibrary.locate("hadoop-hdfs-web", "CONPAAS_HADOOP_HDFS_WEB", "*.jar");
    return new HadoopLibrary(JarLibrary.reachable(jars, user, roleDir.resolve("lib/hadoop")),
        JarLibrary.reachable(web, user, roleDir.resolve("lib/hdfs-web")));
  }

  /** Class path of the HDFS daemons and tools: conf, the HDFS web pages, the jars. */
  String hdfsClasspath(Path conf) {
    return conf + ":" + JarLibrary.classpath(hdfsWeb) + ":" + JarLibrary.classpath(jars);
  }

  /** Class path of the YARN daemons, job clients and containers (YARN's own web pages are in its jars). */
  String yarnClasspath(Path conf) {
    return conf + ":" + JarLibrary.classpath(jars);
  }

  /** JVM options of a daemon with heapMb of heap; logs (hadoop.log.dir) go to logDir. */
  static List<String> jvmOptions(int heapMb, Path logDir) {
    List<String> options = new java.util.ArrayList<>(List.of("-XX:+UseSerialGC", "-Xss512k", "-Xmx" + heapMb + "m",
        "-XX:TieredStopAtLevel=1", "-Dhadoop.log.dir=" + logDir, "-Dyarn.log.dir=" + logDir));
    OPENS.forEach(p -> options.add("--add-opens=java.base/" + p + "=ALL-UNNAMED"));
    return options;
  }

  /** The options of task and application master JVMs (YARN containers): the same opens, small heaps. */
  static String containerOptions(int heapMb) {
    StringBuilder s = new StringBuilder("-XX:+UseSerialGC -Xss512k -XX:TieredStopAtLevel=1 -Xmx" + heapMb + "m");
    OPENS.forEach(p -> s.append(" --add-opens=java.base/").append(p).append("=ALL-UNNAMED"));
    return s.toString();
  }

  /** JAVA_HOME of the agent's JVM (containers start java from it). */
  static String javaHome() {
    return Binaries.java().getParent().getParent().toString();
  }
}
