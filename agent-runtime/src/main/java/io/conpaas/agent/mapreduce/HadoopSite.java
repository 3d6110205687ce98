package io.conpaas.agent.mapreduce;

import io.conpaas.agent.web.RoleConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Hadoop configuration directory: core-site, hdfs-site, yarn-site and mapred-site XML files and
 * a log4j.properties that sends every daemon's log to its standard error (the agent's log of that
 * daemon). The agent writes it; the daemons only read it.
 */
record HadoopSite(Map<String, String> core, Map<String, String> hdfs, Map<String, String> yarn,
    Map<String, String> mapred) {
  static final String LOG4J = """
      log4j.rootLogger=INFO,console
      log4j.appender.console=org.apache.log4j.ConsoleAppender
      log4j.appender.console.target=System.err
      log4j.appender.console.layout=org.apache.log4j.PatternLayout
      log4j.appender.console.layout.ConversionPattern=%d{ISO8601} %p %c{2}: %m%n
      """;

  HadoopSite {
    core = new TreeMap<>(core);
    hdfs = new TreeMap<>(hdfs);
    yarn = new TreeMap<>(yarn);
    mapred = new TreeMap<>(mapred);
  }

  /** Writes the five files into dir (an agent-owned, world-readable directory). */
  void writeTo(Path dir) {
    RoleConfig.publicDirectory(dir);
    RoleConfig.writeAtomically(dir.resolve("core-site.xml"), xml(core));
    RoleConfig.writeAtomically(dir.resolve("hdfs-site.xml"), xml(hdfs));
    RoleConfig.writeAtomically(dir.resolve("yarn-site.xml"), xml(yarn));
    RoleConfig.writeAtomically(dir.resolve("mapred-site.xml"), xml(mapred));
    RoleConfig.writeAtomically(dir.resolve("log4j.properties"), LOG4J);
  }

  /** Hadoop's configuration XML of properties (values escaped). */
  static String xml(Map<String, String> properties) {
    StringBuilder s = new StringBuilder("<?xml version=\"1.0\"?>\n<configuration>\n");
    new TreeMap<>(properties).forEach((k, v) -> s.append("  <property><name>").append(escape(k))
        .append("</name><value>").append(escape(v)).append("</value></property>\n"));
    return s.append("</configuration>\n").toString();
  }

  private static String escape(String v) {
    return v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
