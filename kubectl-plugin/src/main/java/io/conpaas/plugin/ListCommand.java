package io.conpaas.plugin;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code list}: the services of every kind (cpsclient list). */
@Command(name = "list",
    header = "List the services of every kind (cpsclient list).",
    description = "Lists the services of every ConPaaS kind in the namespace: KIND, NAME, APPLICATION, "
        + "STATE, READY agents per role (e.g. agents 2/2) and the first ENDPOINT.")
final class ListCommand extends PluginCommand {
  @Mixin
  Output output;

  @Option(names = {"-A", "--all-namespaces"}, description = "List the services of every namespace.")
  boolean allNamespaces;

  @Override
  public Integer call() {
    String ns = allNamespaces ? null : root.namespace();
    List<ServiceObject> services = root.locator().list(ns, this::warn);
    output.printList(out(), err(), services.stream().map(ServiceObject::object).toList(), () -> {
      TableWriter t = allNamespaces
          ? new TableWriter("NAMESPACE", "KIND", "NAME", "APPLICATION", "STATE", "READY", "ENDPOINT")
          : new TableWriter("KIND", "NAME", "APPLICATION", "STATE", "READY", "ENDPOINT");
      for (ServiceObject s : services) {
        if (allNamespaces) {
          t.row(s.namespace(), s.kind().kind(), s.name(), s.application(), s.state(), s.readyByRole(), s.endpoint());
        } else {
          t.row(s.kind().kind(), s.name(), s.application(), s.state(), s.readyByRole(), s.endpoint());
        }
      }
      return t;
    }, ns == null ? "No services found." : "No services found in namespace " + ns + ".");
    // The credits line ConPaaS showed on every page, when the namespace has an account.
    if (ns != null && output.isTable()) {
      try {
        CreditLines.account(root.client(), ns).ifPresent(acc -> {
          say("");
          say("Credits: " + CreditLines.summary(acc));
        });
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        // A user who may not read the account still gets the list.
      }
    }
    return 0;
  }
}
