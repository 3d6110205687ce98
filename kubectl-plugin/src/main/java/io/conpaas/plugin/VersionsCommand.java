package io.conpaas.plugin;

import io.conpaas.api.v1alpha1.CodeStatus;
import io.conpaas.api.v1alpha1.CodeVersionStatus;
import io.conpaas.plugin.ServiceKind.Feature;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code versions}: the code versions of a PHP or Java service (ConPaaS list_code_versions). */
@Command(name = "versions",
    header = "List the code versions of a PHP or Java service (ConPaaS list_code_versions).",
    description = {"Lists status.code.versions, oldest first: VERSION, BYTES, UPLOADED, ORIGIN and ACTIVE "
        + "(* marks the version the agents serve). A note follows when spec.code.activeVersion asks for "
        + "another version (activation in progress) or the operator reports a problem with the code.",
        "-o yaml|json prints the list of versions as the service's status holds it."})
final class VersionsCommand extends PluginCommand {
  @Parameters(index = "0", paramLabel = "SERVICE", description = "PHP or Java service NAME or TYPE/NAME.")
  String service;

  @Mixin
  Output output;

  @Override
  public Integer call() {
    ServiceObject s = root.kinds().require(root.locator().find(root.namespace(), service), Feature.CODE,
        "code versions", "versions");
    if (!output.isTable()) {
      Object raw = s.object().get("status", "code", "versions");
      output.printData(out(), raw == null ? List.of() : raw);
      return 0;
    }
    CodeStatus code = s.code();
    if (code.getVersions().isEmpty()) {
      err().println("No code versions in " + s.ref() + " yet (upload one with upload-code).");
      err().flush();
    } else {
      TableWriter t = new TableWriter("VERSION", "BYTES", "UPLOADED", "ORIGIN", "ACTIVE");
      for (CodeVersionStatus v : code.getVersions()) {
        boolean active = v.getVersion() != null && v.getVersion().equals(code.getActive());
        t.row(v.getVersion(), v.getBytes(), v.getUploaded(), v.getOrigin(), active ? "*" : null);
      }
      t.print(out());
    }
    String requested = s.requestedVersion();
    if (requested != null && !requested.equals(code.getActive())) {
      say("activation in progress: spec.code.activeVersion is " + requested + ", the agents serve "
          + (code.getActive() == null || code.getActive().isBlank() ? "no code yet" : code.getActive()));
    }
    if (code.getMessage() != null && !code.getMessage().isBlank()) {
      say("message: " + ErrorMessages.oneLine(code.getMessage()));
    }
    return 0;
  }
}
