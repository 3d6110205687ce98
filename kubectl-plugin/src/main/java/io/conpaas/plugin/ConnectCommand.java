package io.conpaas.plugin;

import io.conpaas.plugin.ServiceKind.Feature;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code connect}: the mysql command line for a MySQL service, and how to read its password (manual 2.5.2). */
@Command(name = "connect",
    header = "Show the mysql command that connects to a MySQL service.",
    description = "Prints the mysql client's command line for the service's master (status.endpoints) and "
        + "user (status.mysql.user), and on a second line the kubectl command that prints the password "
        + "from the service's Secret. It connects to nothing and reads no password; -o json or yaml gives "
        + "the parts to scripts.")
final class ConnectCommand extends PluginCommand {
  @Parameters(index = "0", paramLabel = "SERVICE", description = "MySQL service NAME or TYPE/NAME.")
  String service;

  @Mixin
  Output output;

  @Override
  public Integer call() {
    ServiceObject s = root.kinds().require(root.locator().find(root.namespace(), service), Feature.DATABASE,
        "database", "connect");
    String url = s.endpoint();
    if (url == null) {
      String state = s.state() == null ? "no status yet" : "state " + s.state();
      throw new CliException(s.ref() + ("RUNNING".equals(s.state()) ? " has no endpoint yet" : " is not RUNNING yet")
          + " (" + state + "): nothing to connect to yet (kubectl conpaas list -n " + s.namespace() + ")");
    }
    HostPort master = HostPort.parse(url);
    String mysql = "mysql -h " + master.host() + (master.port() == null ? "" : " -P " + master.port())
        + " -u " + s.databaseUser() + " -p";
    String password = "kubectl get secret " + s.passwordSecret() + " -n " + s.namespace()
        + " -o jsonpath='{.data.password}' | base64 -d";
    if (output.isTable()) {
      say(mysql);
      say(password);
    } else {
      Map<String, Object> parts = new LinkedHashMap<>();
      parts.put("host", master.host());
      parts.put("port", master.port());
      parts.put("user", s.databaseUser());
      parts.put("passwordSecret", s.passwordSecret());
      parts.put("namespace", s.namespace());
      parts.put("command", mysql);
      parts.put("passwordCommand", password);
      output.printData(out(), parts);
    }
    return 0;
  }
}
