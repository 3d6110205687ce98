package io.conpaas.agent.kv;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.LocalMapStats;
import com.hazelcast.cluster.Member;
import io.conpaas.agent.web.HostPort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One embedded Hazelcast member of a key-value service: TCP-IP join only (the operator's member
 * list, never multicast or cloud discovery), bound to the agent's address and one port, every
 * map with the service's synchronous backups. {@link #leave} is graceful: it waits until the
 * cluster is safe (every backup in sync), then shuts the member down, which migrates its
 * partitions to the others first.
 */
final class KvMember {
  /** Few partitions: small members (the agent's heap is small) and fast migrations. */
  static final int PARTITIONS = 71;
  private static final Duration SAFE_WAIT = Duration.ofMinutes(2);

  private final HazelcastInstance hz;

  private KvMember(HazelcastInstance hz) {
    this.hz = hz;
  }

  /** Starts a member and returns once it is in a cluster (joined one of members, or its own). */
  static KvMember start(String clusterName, String instanceName, String bindAddress, int port,
      List<HostPort> members, int backupCount) {
    Config c = new Config();
    c.setClusterName(clusterName);
    c.setInstanceName(instanceName + "-" + port);
    c.setProperty("hazelcast.phone.home.enabled", "false");
    c.setProperty("hazelcast.shutdownhook.enabled", "false");
    c.setProperty("hazelcast.partition.count", Integer.toString(PARTITIONS));
    c.setProperty("hazelcast.wait.seconds.before.join", "1");
    c.setProperty("hazelcast.max.wait.seconds.before.join", "5");
    c.setProperty("hazelcast.graceful.shutdown.max.wait", "120");
    // Two clusters formed apart (a node that found nobody) merge soon, not after 5 minutes.
    c.setProperty("hazelcast.merge.first.run.delay.seconds", "15");
    c.setProperty("hazelcast.merge.next.run.delay.seconds", "15");
    c.setProperty("hazelcast.logging.type", "jdk");
    c.getJetConfig().setEnabled(false);
    NetworkConfig net = c.getNetworkConfig();
    net.setPort(port).setPortAutoIncrement(false).setPortCount(1);
    boolean wildcard = "0.0.0.0".equals(bindAddress) || "::".equals(bindAddress);
    if (!wildcard) {
      c.setProperty("hazelcast.socket.bind.any", "false");
      net.getInterfaces().setEnabled(true).addInterface(bindAddress);
      net.setPublicAddress(bindAddress + ":" + port);
    }
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(3)
        .setMembers(members.stream().map(HostPort::toString).toList());
    c.addMapConfig(new MapConfig("default").setBackupCount(backupCount).setAsyncBackupCount(0));
    return new KvMember(Hazelcast.newHazelcastInstance(c));
  }

  boolean running() {
    return hz.getLifecycleService().isRunning();
  }

  IMap<String, String> map(String name) {
    return hz.getMap(name);
  }

  int clusterSize() {
    return running() ? hz.getCluster().getMembers().size() : 0;
  }

  /** What the status page shows: members, partitions, entries per map, memory. */
  Map<String, Object> status() {
    Map<String, Object> s = new LinkedHashMap<>();
    List<String> members = new ArrayList<>();
    for (Member m : hz.getCluster().getMembers()) {
      members.add(m.getAddress().getHost() + ":" + m.getAddress().getPort() + (m.localMember() ? " (this node)" : ""));
    }
    s.put("clusterName", hz.getConfig().getClusterName());
    s.put("members", members);
    s.put("partitions", hz.getPartitionService().getPartitions().size());
    s.put("ownedPartitions", hz.getPartitionService().getPartitions().stream()
        .filter(p -> p.getOwner() != null && p.getOwner().localMember()).count());
    s.put("clusterSafe", hz.getPartitionService().isClusterSafe());
    Map<String, Object> maps = new LinkedHashMap<>();
    hz.getDistributedObjects().stream().filter(o -> o instanceof IMap<?, ?>).forEach(o -> {
      IMap<?, ?> m = (IMap<?, ?>) o;
      LocalMapStats st = m.getLocalMapStats();
      maps.put(m.getName(), Map.of("entries", m.size(), "ownedHere", st.getOwnedEntryCount(),
          "backupsHere", st.getBackupEntryCount(), "bytesHere", st.getOwnedEntryMemoryCost()));
    });
    s.put("maps", maps);
    Runtime rt = Runtime.getRuntime();
    s.put("memory", Map.of("heapUsedBytes", rt.totalMemory() - rt.freeMemory(), "heapMaxBytes", rt.maxMemory()));
    return s;
  }

  /** Waits (bounded) until the cluster is safe, then leaves gracefully; returns when the member is gone. */
  void leave() {
    long deadline = System.nanoTime() + SAFE_WAIT.toNanos();
    while (running() && !hz.getPartitionService().isClusterSafe() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    // Graceful: the member's partitions move to the others before it goes.
    hz.shutdown();
  }

  /** Stops at once (the agent stops): still graceful, Hazelcast bounds it. */
  void stop() {
    if (running()) {
      hz.shutdown();
    }
  }
}
