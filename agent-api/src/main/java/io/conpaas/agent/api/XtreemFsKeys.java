package io.conpaas.agent.api;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Configuration keys and facts of XtreemFsService's roles (SeaweedFS underneath: the dir agent runs
 * the master and the filer, each osd agent a volume server) and of a file system mount on another
 * service's agent, shared by agent and operator.
 */
public final class XtreemFsKeys {
  /** Config of the dir role: the largest size of one SeaweedFS volume in MiB. */
  public static final String VOLUME_SIZE_LIMIT_MB = "volumeSizeLimitMb";
  /** Config of the dir role: the file system volumes ({@link #encodeVolumes}). */
  public static final String VOLUMES = "volumes";
  /** Config of the dir role: default replica placement of new data (SeaweedFS "xyz", e.g. 001). */
  public static final String REPLICATION = "replication";

  /** Fact of the dir role: the master's HTTP port and its gRPC port. */
  public static final String MASTER_PORT = "masterPort";
  public static final String MASTER_GRPC_PORT = "masterGrpcPort";
  /** Fact of the dir role: the filer's HTTP port and its gRPC port. */
  public static final String FILER_PORT = "filerPort";
  public static final String FILER_GRPC_PORT = "filerGrpcPort";
  /**
   * Config of the dir role: "true" makes every volume refuse writes (a snapshot is being taken); the
   * fact of the same name says what the filer applied ("true" only once every volume refuses writes).
   */
  public static final String READ_ONLY = "readOnly";

  /** Fact of the dir role: "true" once the master and the filer answer and every volume is applied. */
  public static final String SERVING = "serving";
  /** Fact of the dir role: the volumes (names, comma-separated) applied to the filer. */
  public static final String APPLIED_VOLUMES = "appliedVolumes";

  /** Config of an osd: the master as SeaweedFS addresses it (host:port.grpcPort). */
  public static final String MASTER = "master";
  /** Config of an osd: how many SeaweedFS volumes it may hold (its capacity is this times the size limit). */
  public static final String MAX_VOLUMES = "maxVolumes";
  /** Config of an osd: its data center and rack labels (placement policies select OSDs by them). */
  public static final String DATA_CENTER = "dataCenter";
  public static final String RACK = "rack";

  /** Fact of an osd: its volume server's address (host:port) as the master knows it. */
  public static final String VOLUME_SERVER = "volumeServer";
  /** Fact of an osd: the SeaweedFS volumes it holds now. */
  public static final String VOLUME_COUNT = "volumeCount";
  /** Fact of an osd: "true" once the master lists its volume server. */
  public static final String JOINED = "joined";
  /** Fact of an osd: "true" from POST /leave until its volumes are moved away and its volume server stopped. */
  public static final String LEAVING = "leaving";
  /** Fact of an osd while it leaves: what the last evacuation attempt said (bounded). */
  public static final String EVACUATION = "evacuation";

  /** Config of a role that mounts a volume: the filer (host:port.grpcPort), the volume's name. */
  public static final String MOUNT_FILER = "fsFiler";
  public static final String MOUNT_VOLUME = "fsVolume";
  /** Fact of a role that mounts a volume: the mount point, once mounted. */
  public static final String MOUNT_POINT = "fsMountPoint";

  /** Filer directory of volume v (S3 buckets live there, so a volume's quota is a bucket quota). */
  public static final String VOLUMES_DIR = "/buckets";

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern REPLICA = Pattern.compile("[0-9]{3}");

  /** One volume: its name (a filer directory under {@link #VOLUMES_DIR}), quota (0 = none), replica placement. */
  public record Volume(String name, long quotaMb, String replication, String dataCenter) {
    public Volume {
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("volume name \"" + name + "\" must be lower-case letters, digits and -");
      }
      if (quotaMb < 0) {
        throw new IllegalArgumentException("volume " + name + ": quotaMb must not be negative");
      }
      if (!replication.isEmpty() && !REPLICA.matcher(replication).matches()) {
        throw new IllegalArgumentException("volume " + name + ": replication must be three digits like 001");
      }
      if (!dataCenter.isEmpty() && !NAME.matcher(dataCenter).matches()) {
        throw new IllegalArgumentException("volume " + name + ": dataCenter must be a Cloud name");
      }
    }

    /** The filer path of the volume. */
    public String path() {
      return VOLUMES_DIR + "/" + name;
    }
  }

  /** Volumes as one config value: name:quotaMb:replication:dataCenter separated by ';'. */
  public static String encodeVolumes(List<Volume> volumes) {
    List<String> parts = new ArrayList<>();
    for (Volume v : volumes) {
      parts.add(v.name() + ":" + v.quotaMb() + ":" + v.replication() + ":" + v.dataCenter());
    }
    return String.join(";", parts);
  }

  /** The inverse of {@link #encodeVolumes}; IllegalArgumentException for a malformed value. */
  public static List<Volume> decodeVolumes(String value) {
    List<Volume> volumes = new ArrayList<>();
    if (value == null || value.isBlank()) {
      return volumes;
    }
    for (String part : value.split(";")) {
      String[] f = part.split(":", -1);
      if (f.length != 4) {
        throw new IllegalArgumentException(VOLUMES + ": \"" + part + "\" is not name:quotaMb:replication:dataCenter");
      }
      long quota;
      try {
        quota = Long.parseLong(f[1]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(VOLUMES + ": quota of " + f[0] + " is not a number");
      }
      volumes.add(new Volume(f[0], quota, f[2], f[3]));
    }
    return volumes;
  }

  /** Whether s is a replica placement SeaweedFS takes (three digits). */
  public static boolean replication(String s) {
    return s != null && REPLICA.matcher(s).matches();
  }

  private XtreemFsKeys() {}
}
