package io.conpaas.agent;

import io.conpaas.agent.code.ArchiveFormat;
import io.conpaas.agent.code.ArchiveLimits;
import io.conpaas.agent.kv.KvNodeRole;
import io.conpaas.agent.mysql.MysqlMasterRole;
import io.conpaas.agent.mysql.MysqlSlaveRole;
import io.conpaas.agent.roles.HelloWorldRole;
import io.conpaas.agent.selenium.SeleniumHubRole;
import io.conpaas.agent.selenium.SeleniumNodeRole;
import io.conpaas.agent.web.JavaBackendRole;
import io.conpaas.agent.web.PhpBackendRole;
import io.conpaas.agent.web.ProxyRole;
import io.conpaas.agent.web.WebRole;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** Maps (service kind, role) to the plugin that implements it. */
public final class RoleRegistry {
  private final Map<String, Supplier<RolePlugin>> plugins;

  public RoleRegistry(Map<String, Supplier<RolePlugin>> plugins) {
    this.plugins = Map.copyOf(plugins);
  }

  /** The roles this build of the agent knows. */
  public static RoleRegistry builtIn() {
    ArchiveLimits limits = ArchiveLimits.defaults();
    Set<ArchiveFormat> phpCode = Set.of(ArchiveFormat.ZIP, ArchiveFormat.TAR, ArchiveFormat.TAR_GZ);
    Set<ArchiveFormat> war = Set.of(ArchiveFormat.ZIP);
    return new RoleRegistry(Map.ofEntries(
        role("HelloWorldService/agents", HelloWorldRole::new),
        role("PhpService/proxy", () -> new ProxyRole(true)),
        role("PhpService/web", () -> new WebRole(phpCode, limits)),
        role("PhpService/backend", () -> new PhpBackendRole(limits)),
        role("JavaService/proxy", () -> new ProxyRole(false)),
        role("JavaService/web", () -> new WebRole(war, limits)),
        role("JavaService/backend", () -> new JavaBackendRole(limits)),
        role("MysqlService/master", MysqlMasterRole::new),
        role("MysqlService/slaves", MysqlSlaveRole::new),
        role("ScalarisService/nodes", KvNodeRole::new),
        role("SeleniumService/hub", SeleniumHubRole::new),
        role("SeleniumService/nodes", SeleniumNodeRole::new),
        role("TaskFarmService/workers", io.conpaas.agent.taskfarm.TaskFarmWorkerRole::new),
        // HTC's workers run tasks exactly as TaskFarm's do (same assignments and results).
        role("HtcService/workers", io.conpaas.agent.taskfarm.TaskFarmWorkerRole::new),
        role("MapReduceService/master", io.conpaas.agent.mapreduce.MapReduceMasterRole::new),
        role("MapReduceService/workers", io.conpaas.agent.mapreduce.MapReduceWorkerRole::new),
        role("XtreemFsService/dir", io.conpaas.agent.xtreemfs.XtreemFsDirRole::new),
        role("XtreemFsService/osd", io.conpaas.agent.xtreemfs.XtreemFsOsdRole::new),
        // Not a service's role: an application's operator-run VPN relay (Application spec.vpn.relay).
        role(io.conpaas.agent.api.VpnConfig.RELAY_KIND + "/" + io.conpaas.agent.api.VpnConfig.RELAY_ROLE,
            io.conpaas.agent.vpn.VpnRelayRole::new)));
  }

  private static Map.Entry<String, Supplier<RolePlugin>> role(String kindAndRole, Supplier<RolePlugin> plugin) {
    return Map.entry(kindAndRole, plugin);
  }

  /** Whether this registry has a plugin for the role (the operator's kind registry is checked against it). */
  public boolean has(String serviceKind, String role) {
    return plugins.containsKey(serviceKind + "/" + role);
  }

  /** A new plugin for the role, or an IllegalArgumentException naming what is unknown. */
  public RolePlugin create(String serviceKind, String role) {
    Supplier<RolePlugin> supplier = plugins.get(serviceKind + "/" + role);
    if (supplier == null) {
      throw new IllegalArgumentException("unknown role " + role + " of service kind " + serviceKind
          + "; known: " + plugins.keySet());
    }
    return supplier.get();
  }
}
