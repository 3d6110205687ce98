package io.conpaas.plugin;

import io.conpaas.plugin.ServiceKind.Feature;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code activate}: serve another uploaded code version; activating an older one is a rollback. */
@Command(name = "activate",
    header = "Serve another code version of a PHP or Java service (also: roll back).",
    description = "Patches spec.code.activeVersion and nothing else; the operator then rolls every web and "
        + "backend agent to VERSION, which must be one of the service's versions (see versions). "
        + "Rolling back is activating an older version.")
final class ActivateCommand extends PluginCommand {
  @Parameters(index = "0", paramLabel = "SERVICE", description = "PHP or Java service NAME or TYPE/NAME.")
  String service;

  @Parameters(index = "1", paramLabel = "VERSION", description = "A version listed by versions.")
  String version;

  @Override
  public Integer call() {
    ServiceObject s = root.kinds().require(root.locator().find(root.namespace(), service), Feature.CODE,
        "code versions", "activate");
    List<String> known = CodeVersions.names(s.code().getVersions());
    if (!known.contains(version)) {
      throw new CliException("version '" + version + "' is not a version of " + s.ref() + "; its versions: "
          + CodeVersions.describe(known));
    }
    String was = s.code().getActive();
    root.patcher().activate(s, version);
    say(s.ref() + ": activating " + version + (was == null || was.isBlank() || was.equals(version) ? ""
        : " (was " + was + ")"));
    return 0;
  }
}
