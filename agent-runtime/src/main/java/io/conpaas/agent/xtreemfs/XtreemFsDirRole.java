package io.conpaas.agent.xtreemfs;

import com.sun.net.httpserver.HttpHandler;
import io.conpaas.agent.RoleContext;
import io.conpaas.agent.RolePlugin;
import io.conpaas.agent.api.XtreemFsKeys;
import io.conpaas.agent.api.XtreemFsKeys.Volume;
import io.conpaas.agent.process.SafeFiles;
import io.conpaas.agent.process.SupervisedNative;
import io.conpaas.agent.process.WorkerUser;
import io.conpaas.agent.web.RoleConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * XtreemFsService's dir role, XtreemFS's DIR and MRC on the first agent: a SeaweedFS master (the
 * directory of volume servers) and a filer (the metadata of files and directories), each a
 * supervised process run as the VM's account (logs in dir/&lt;daemon&gt;/logs). Ports are picked once
 * and kept. A watcher applies the configured volumes without restarting anything: each is a filer
 * directory under /buckets with its replica placement and data center (fs.configure) and its quota
 * (an S3 bucket quota, enforced every pass: a volume over quota turns read-only). With readOnly every
 * volume refuses writes (quotas are not enforced meanwhile, since enforcing reopens buckets under
 * quota); the readOnly fact turns true once the filer took it.
 */
public final class XtreemFsDirRole implements RolePlugin {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(25);
  private static final Duration SHELL_TIMEOUT = Duration.ofSeconds(40);

  private final WeedApi api = new WeedApi();
  private RoleContext context;
  private Path roleDir;
  private WorkerUser user;
  private Path weed;
  private SupervisedNative master;
  private SupervisedNative filer;
  private Thread watcher;
  private volatile Map<String, Integer> ports = Map.of();
  private volatile List<Volume> volumes = List.of();
  private volatile String replication = "000";
  private volatile Set<String> applied = Set.of();
  private volatile boolean readOnly;
  private volatile boolean readOnlyApplied;
  private volatile boolean serving;

  @Override
  public String name() {
    return "dir";
  }

  @Override
  public void init(RoleContext context) {
    this.context = context;
    this.roleDir = RoleConfig.publicDirectory(context.roleDir(name()));
  }

  @Override
  public synchronized void configure(Map<String, String> config) {
    List<Volume> wanted = XtreemFsKeys.decodeVolumes(config.get(XtreemFsKeys.VOLUMES));
    String defaultReplication = config.getOrDefault(XtreemFsKeys.REPLICATION, "000");
    if (!XtreemFsKeys.replication(defaultReplication)) {
      throw new IllegalArgumentException(XtreemFsKeys.REPLICATION + " must be three digits like 001");
    }
    int sizeLimit = RoleConfig.integer(config, XtreemFsKeys.VOLUME_SIZE_LIMIT_MB, 64, 1, 30000);
    String bind = context.bindAddress();
    String host = RoleConfig.probeHost(bind);
    Path portDir = RoleConfig.publicDirectory(roleDir.resolve("ports"));
    Map<String, Integer> picked = new LinkedHashMap<>();
    for (String key : List.of(XtreemFsKeys.MASTER_PORT, XtreemFsKeys.MASTER_GRPC_PORT, XtreemFsKeys.FILER_PORT,
        XtreemFsKeys.FILER_GRPC_PORT)) {
      picked.put(key, RoleConfig.port(Map.of(), key, portDir.resolve(key), bind));
    }
    if (user == null) {
      user = WorkerUser.detect();
      weed = WeedBinary.locate(user, context.workDir());
      master = new SupervisedNative("master", "seaweedfs master", roleDir.resolve("master"), user, "weed");
      filer = new SupervisedNative("filer", "seaweedfs filer", roleDir.resolve("filer"), user, "weed");
    }
    Path meta = SafeFiles.workerDirectory(roleDir.resolve("master-data"), user.name(), "rwx------");
    Path store = SafeFiles.workerDirectory(roleDir.resolve("filer-data"), user.name(), "rwx------");
    String masterAddress = host + ":" + picked.get(XtreemFsKeys.MASTER_PORT) + "."
        + picked.get(XtreemFsKeys.MASTER_GRPC_PORT);
    // One volume grown at a time (SeaweedFS grows several by default): volumes then fill OSDs evenly and
    // an OSD's free slots say what it can still take.
    Map<String, String> env = Map.of("WEED_MASTER_VOLUME_GROWTH_COPY_1", "1", "WEED_MASTER_VOLUME_GROWTH_COPY_2", "1",
        "WEED_MASTER_VOLUME_GROWTH_COPY_3", "1", "WEED_MASTER_VOLUME_GROWTH_COPY_OTHER", "1");
    master.run(new SupervisedNative.Launch(env, List.of(weed.toString(), "master", "-ip=" + host, "-ip.bind=" + bind,
        "-port=" + picked.get(XtreemFsKeys.MASTER_PORT), "-port.grpc=" + picked.get(XtreemFsKeys.MASTER_GRPC_PORT),
        "-mdir=" + meta, "-peers=none", "-volumeSizeLimitMB=" + sizeLimit, "-defaultReplication=" + defaultReplication)),
        host, picked.get(XtreemFsKeys.MASTER_PORT), START_TIMEOUT);
    filer.run(new SupervisedNative.Launch(Map.of(), List.of(weed.toString(), "filer", "-master=" + masterAddress,
        "-ip=" + host, "-ip.bind=" + bind, "-port=" + picked.get(XtreemFsKeys.FILER_PORT),
        "-port.grpc=" + picked.get(XtreemFsKeys.FILER_GRPC_PORT), "-defaultStoreDir=" + store)),
        host, picked.get(XtreemFsKeys.FILER_PORT), START_TIMEOUT);
    ports = Map.copyOf(picked);
    replication = defaultReplication;
    boolean ro = "true".equals(config.get(XtreemFsKeys.READ_ONLY));
    if (!wanted.equals(volumes) || ro != readOnly) {
      applied = Set.of();
    }
    readOnly = ro;
    volumes = List.copyOf(wanted);
    if (watcher == null) {
      watcher = new Thread(this::watch, "xtreemfs-dir-watch");
      watcher.setDaemon(true);
      watcher.start();
    }
  }

  @Override
  public Map<String, HttpHandler> endpoints() {
    return Map.of();
  }

  @Override
  public Map<String, String> facts() {
    Map<String, String> facts = new LinkedHashMap<>();
    ports.forEach((k, v) -> facts.put(k, Integer.toString(v)));
    facts.put(XtreemFsKeys.SERVING, Boolean.toString(serving));
    facts.put(XtreemFsKeys.APPLIED_VOLUMES, String.join(",", applied));
    facts.put(XtreemFsKeys.READ_ONLY, Boolean.toString(readOnlyApplied));
    return facts;
  }

  @Override
  public synchronized void stop() {
    if (watcher != null) {
      watcher.interrupt();
    }
    for (SupervisedNative p : new SupervisedNative[] {filer, master}) {
      if (p != null) {
        p.stop();
      }
    }
  }

  /** Every 3 s: whether master and filer answer; applies volumes not applied yet; enforces quotas. */
  private void watch() {
    int pass = 0;
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(3000);
      } catch (InterruptedException e) {
        return;
      }
      Map<String, Integer> p = ports;
      if (p.isEmpty()) {
        continue;
      }
      String host = RoleConfig.probeHost(context.bindAddress());
      boolean up = api.answers("http://" + host + ":" + p.get(XtreemFsKeys.MASTER_PORT) + "/cluster/status")
          && api.answers("http://" + host + ":" + p.get(XtreemFsKeys.FILER_PORT) + "/");
      List<Volume> wanted = volumes;
      boolean ro = readOnly;
      Set<String> done = new LinkedHashSet<>(applied);
      boolean quotas = !ro && wanted.stream().anyMatch(v -> v.quotaMb() > 0);
      if (wanted.isEmpty()) {
        readOnlyApplied = ro;
      }
      if (up && (wanted.stream().anyMatch(v -> !done.contains(v.name())) || (quotas && ++pass % 10 == 0))) {
        String masterAddress = masterAddress(p, host);
        String filerAddress = host + ":" + p.get(XtreemFsKeys.FILER_PORT) + "." + p.get(XtreemFsKeys.FILER_GRPC_PORT);
        List<String> create = new ArrayList<>();
        for (Volume v : wanted) {
          if (!done.contains(v.name())) {
            create.add("s3.bucket.create -name=" + v.name());
          }
        }
        // A bucket that exists already makes s3.bucket.create fail: its own run, whose answer does not count.
        if (!create.isEmpty()) {
          WeedApi.shell(user.commandPrefix(), weed, masterAddress, filerAddress, roleDir.resolve("master/home"), create,
              SHELL_TIMEOUT);
        }
        List<String> commands = new ArrayList<>();
        for (Volume v : wanted) {
          // A bucket's collection is its name already (SeaweedFS refuses another).
          String placement = "fs.configure -locationPrefix=" + v.path() + "/"
              + " -replication=" + (v.replication().isEmpty() ? replication : v.replication())
              + (v.dataCenter().isEmpty() ? "" : " -dataCenter=" + v.dataCenter())
              // Explicit both ways: the filer ORs a rule's readOnly with the one it had.
              + " -readOnly=" + ro + " -apply";
          commands.add(placement);
          if (v.quotaMb() > 0 && !ro) {
            commands.add("s3.bucket.quota -name=" + v.name() + " -op=set -sizeMB=" + v.quotaMb());
          }
        }
        if (quotas) {
          commands.add("s3.bucket.quota.enforce -apply");
        }
        WeedApi.ShellResult r = WeedApi.shell(user.commandPrefix(), weed, masterAddress, filerAddress,
            roleDir.resolve("master/home"), commands, SHELL_TIMEOUT);
        if (r.exitCode() == 0) {
          wanted.forEach(v -> done.add(v.name()));
        } else {
          System.err.println("xtreemfs: applying volumes failed (exit " + r.exitCode() + "): " + tail(r.output()));
        }
        synchronized (this) {
          if (wanted.equals(volumes) && ro == readOnly) {
            applied = Set.copyOf(done);
            if (r.exitCode() == 0) {
              readOnlyApplied = ro;
            }
          }
        }
      }
      serving = up && wanted.stream().allMatch(v -> applied.contains(v.name()));
    }
  }

  private static String masterAddress(Map<String, Integer> p, String host) {
    return host + ":" + p.get(XtreemFsKeys.MASTER_PORT) + "." + p.get(XtreemFsKeys.MASTER_GRPC_PORT);
  }

  static String tail(String s) {
    return s.length() <= 600 ? s.strip() : s.substring(s.length() - 600).strip();
  }
}
