package io.conpaas.agent.mapreduce;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.agent.api.MapReduceRoleKeys;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The settings that bound how long a worker lost without warning holds up HDFS and running jobs. */
class HadoopConfigTest {
  private static final HadoopConfig.Master MASTER = new HadoopConfig.Master("10.0.0.1", ports());

  private static Map<String, Integer> ports() {
    Map<String, Integer> p = new LinkedHashMap<>();
    int port = 9000;
    for (String key : MapReduceRoleKeys.MASTER_PORTS) {
      p.put(key, port++);
    }
    return p;
  }

  @Test
  void aLostWorkerIsDeclaredDeadWithinNinetySecondsNotTenMinutes() {
    HadoopSite master = HadoopConfig.master(MASTER, "10.0.0.1", 2, 9100, 9101, Path.of("/c"), Path.of("/d"));
    // HDFS: a DataNode is dead after 2 x recheck + 10 x heartbeat (defaults 5 min and 3 s: 10.5 min).
    long recheckMs = Long.parseLong(master.hdfs().get("dfs.namenode.heartbeat.recheck-interval"));
    long heartbeatS = Long.parseLong(master.hdfs().getOrDefault("dfs.heartbeat.interval", "3"));
    assertThat(2 * recheckMs + 10 * heartbeatS * 1000).isLessThanOrEqualTo(90_000);
    // YARN: a NodeManager is lost after the expiry interval (default 10 min).
    assertThat(Long.parseLong(master.yarn().get("yarn.nm.liveness-monitor.expiry-interval-ms")))
        .isLessThanOrEqualTo(90_000);
  }

  @Test
  void applicationMastersGiveUpOnALostNodeManagerWithinHalfAMinute() {
    HadoopSite worker = HadoopConfig.worker(MASTER, "10.0.0.2", 2,
        new HadoopConfig.WorkerPorts(1, 2, 3, 4, 5, 6, 7, 8), Path.of("/d"));
    HadoopSite master = HadoopConfig.master(MASTER, "10.0.0.1", 2, 9100, 9101, Path.of("/c"), Path.of("/d"));
    // No ephemeral port at start: the DataNode's internal web server takes a picked one.
    assertThat(worker.hdfs()).containsEntry("dfs.datanode.http.internal-proxy.port", "4");
    // The application master reads the worker's yarn-site; a job's client (the master) passes its own.
    for (HadoopSite s : new HadoopSite[] {worker, master}) {
      assertThat(Long.parseLong(s.yarn().get("yarn.client.nodemanager-connect.max-wait-ms")))
          .isLessThanOrEqualTo(30_000);
      assertThat(Long.parseLong(s.yarn().get("yarn.client.nodemanager-connect.retry-interval-ms")))
          .isLessThan(Long.parseLong(s.yarn().get("yarn.client.nodemanager-connect.max-wait-ms")));
    }
  }
}
