package io.conpaas.agent.xtreemfs;

import com.sun.net.httpserver.HttpHandler;
import io.conpaas.agent.RoleContext;
import io.conpaas.agent.RolePlugin;
import io.conpaas.agent.api.XtreemFsKeys;
import io.conpaas.agent.process.SafeFiles;
import io.conpaas.agent.process.SupervisedNative;
import io.conpaas.agent.process.WorkerUser;
import io.conpaas.agent.web.RoleConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An XtreemFsService OSD: a SeaweedFS volume server run as the VM's account, joined to the master
 * named in its configuration (the operator copies it from the dir agent's facts), labelled with its
 * data center and rack. It reports how many SeaweedFS volumes it holds. POST /leave: the agent
 * answers LEAVING while it moves its volumes to the other volume servers, and until its own
 * /status reports none left; only then does its volume server stop, so no data goes with the VM.
 * Leaving first puts the volume server in maintenance mode: the master then grows no new volume
 * on it and sends it no writes (without that the emptiest server, the one being drained, got the
 * filer's next volume and never became empty), and no other evacuation moves volumes onto it.
 * Then weed shell volumeServer.evacuate -skipNonMoveable runs every few seconds (a volume that
 * cannot move yet does not stop the others).
 */
public final class XtreemFsOsdRole implements RolePlugin {
  private static final Pattern MASTER = Pattern.compile("[A-Za-z0-9.\\-]{1,253}:[0-9]{1,5}\\.[0-9]{1,5}");
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9.\\-]{0,63}");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(25);
  private static final Duration EVACUATE_TIMEOUT = Duration.ofMinutes(4);
  /** Failed reads in a row (2 s apart) before a leaving OSD counts its master as gone. */
  private static final int MASTER_GONE_AFTER = 15;

  private final WeedApi api = new WeedApi();
  private RoleContext context;
  private Path roleDir;
  private WorkerUser user;
  private Path weed;
  private volatile SupervisedNative volume;
  private Thread watcher;
  private volatile String master;
  private volatile int port;
  private volatile boolean joined;
  private volatile int volumeCount;
  private volatile boolean leaving;
  private volatile boolean left;
  private volatile boolean maintenance;
  private volatile String evacuation = "";
  private volatile int unanswered;

  @Override
  public String name() {
    return "osd";
  }

  @Override
  public void init(RoleContext context) {
    this.context = context;
    this.roleDir = RoleConfig.publicDirectory(context.roleDir(name()));
  }

  @Override
  public synchronized void configure(Map<String, String> config) {
    String m = config.getOrDefault(XtreemFsKeys.MASTER, "").strip();
    if (!m.isEmpty() && !MASTER.matcher(m).matches()) {
      throw new IllegalArgumentException(XtreemFsKeys.MASTER + " must be host:port.grpcPort");
    }
    int max = RoleConfig.integer(config, XtreemFsKeys.MAX_VOLUMES, 8, 1, 10000);
    String dc = label(config, XtreemFsKeys.DATA_CENTER);
    String rack = label(config, XtreemFsKeys.RACK);
    String bind = context.bindAddress();
    Path portDir = RoleConfig.publicDirectory(roleDir.resolve("ports"));
    int http = RoleConfig.port(Map.of(), "volumePort", portDir.resolve("volumePort"), bind);
    int grpc = RoleConfig.port(Map.of(), "volumeGrpcPort", portDir.resolve("volumeGrpcPort"), bind);
    port = http;
    String host = host(bind, http);
    if (bind.startsWith("127.")) {
      bind = host;
    }
    if (m.isEmpty() || leaving) {
      return;
    }
    if (user == null) {
      user = WorkerUser.detect();
      weed = WeedBinary.locate(user, context.workDir());
      volume = new SupervisedNative("volume", "seaweedfs volume server", roleDir.resolve("volume"), user, "weed");
    }
    Path data = SafeFiles.workerDirectory(roleDir.resolve("data"), user.name(), "rwx------");
    List<String> cmd = new java.util.ArrayList<>(List.of(weed.toString(), "volume", "-master=" + m, "-ip=" + host,
        "-ip.bind=" + bind, "-port=" + http, "-port.grpc=" + grpc, "-dir=" + data, "-max=" + max,
        "-minFreeSpace=64MiB"));
    if (!dc.isEmpty()) {
      cmd.add("-dataCenter=" + dc);
    }
    if (host.startsWith("127.")) {
      // SeaweedFS refuses to copy a volume from a loopback source (an SSRF guard; private addresses pass):
      // on the local Cloud every volume server is on loopback, and evacuation moves volumes between them.
      cmd.add("-volume.allowUntrustedRemoteEndpoints=true");
    }
    if (!rack.isEmpty()) {
      cmd.add("-rack=" + rack);
    }
    volume.run(new SupervisedNative.Launch(Map.of(), cmd), host, http, START_TIMEOUT);
    master = m;
    if (watcher == null) {
      watcher = new Thread(this::watch, "xtreemfs-osd-watch");
      watcher.setDaemon(true);
      watcher.start();
    }
  }

  /**
   * The address the volume server listens on and the master knows it by: on loopback (the local
   * Cloud) one of its own, 127.1.x.y from its port, because SeaweedFS never moves a replica onto a
   * host that holds another replica of the volume, and every OSD on 127.0.0.1 is one host to it:
   * no replicated volume could ever be evacuated.
   */
  static String host(String bindAddress, int port) {
    return bindAddress.startsWith("127.") ? "127.1." + (port >> 8) + "." + (port & 0xff)
        : RoleConfig.probeHost(bindAddress);
  }

  private static String label(Map<String, String> config, String key) {
    String v = config.getOrDefault(key, "").strip();
    if (!LABEL.matcher(v).matches()) {
      throw new IllegalArgumentException(key + " must be letters, digits, '.' and '-'");
    }
    return v;
  }

  @Override
  public Map<String, HttpHandler> endpoints() {
    return Map.of();
  }

  @Override
  public Map<String, String> facts() {
    Map<String, String> facts = new LinkedHashMap<>();
    if (port > 0) {
      facts.put(XtreemFsKeys.VOLUME_SERVER, host(context.bindAddress(), port) + ":" + port);
    }
    facts.put(XtreemFsKeys.VOLUME_COUNT, Integer.toString(volumeCount));
    facts.put(XtreemFsKeys.JOINED, Boolean.toString(joined && !leaving));
    facts.put(XtreemFsKeys.LEAVING, Boolean.toString(leaving && !left));
    if (leaving && !evacuation.isEmpty()) {
      facts.put(XtreemFsKeys.EVACUATION, evacuation);
    }
    return facts;
  }

  // Not synchronized: POST /leave must answer at once even while configure or finishLeaving (which waits
  // up to 10 s for the volume server to stop) holds the lock; an unanswered call looked like a dead agent.
  @Override
  public void leave() {
    leaving = true;
    if (volume == null || master == null) {
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
    if (volume != null) {
      volume.stop();
    }
  }

  /** Every 2 s: joined? how many volumes? While leaving: evacuate, and stop once nothing is left. */
  private void watch() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(2000);
      } catch (InterruptedException e) {
        return;
      }
      String m = master;
      if (m == null || left) {
        continue;
      }
      String self = host(context.bindAddress(), port) + ":" + port;
      String masterHttp = "http://" + m.substring(0, m.lastIndexOf('.'));
      try {
        volumeCount = api.volumesOf("http://" + self);
        joined = api.dataNodes(masterHttp).stream().anyMatch(n -> n.url().equals(self));
        unanswered = 0;
      } catch (IOException e) {
        joined = false;
        // A master that stays silent while this OSD leaves is gone (the whole service is being deleted):
        // there is nowhere to move the data to.
        if (leaving && ++unanswered >= MASTER_GONE_AFTER) {
          finishLeaving();
        }
        continue;
      }
      if (!leaving) {
        continue;
      }
      // Maintenance first, even when empty: from then on the volume server refuses new volumes, so an
      // empty count read afterwards stays empty.
      List<String> commands = maintenance ? List.of("volumeServer.evacuate -node=" + self + " -skipNonMoveable -apply")
          : List.of("volumeServer.state -nodes=" + self + " -maintenanceOn");
      if (maintenance && volumeCount == 0) {
        finishLeaving();
        continue;
      }
      WeedApi.ShellResult r = WeedApi.shell(user.commandPrefix(), weed, m, null, roleDir.resolve("volume/home"),
          commands, EVACUATE_TIMEOUT);
      if (!maintenance && r.output().contains("Maintenance mode: yes")) {
        maintenance = true;
        continue;
      }
      evacuation = (r.exitCode() == 0 ? "" : "exit " + r.exitCode() + ": ") + XtreemFsDirRole.tail(r.output());
      // Into the agent's log too: a deleted Agent's facts are no longer read.
      System.err.println("xtreemfs osd leaving (" + volumeCount + " volumes): " + evacuation);
      if (evacuation.length() > 300) {
        evacuation = evacuation.substring(evacuation.length() - 300);
      }
    }
  }

  private synchronized void finishLeaving() {
    if (volume != null) {
      volume.stop();
    }
    left = true;
  }
}
