package io.conpaas.plugin;

import io.conpaas.api.v1alpha1.Application;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code create}: a new service of a ConPaaS type in an Application (cpsclient create TYPE). */
@Command(name = "create",
    header = "Create a service of a ConPaaS type (cpsclient create).",
    description = {"Creates a service. TYPE is a ConPaaS type name such as helloworld (or its kind, "
        + "e.g. HelloWorldService). The object is server-side applied with field manager kubectl-conpaas, "
        + "and refused if it already exists. The scale role gets --nodes agents, every other role one "
        + "(e.g. php: backend N, web 1, proxy 1; mysql: slaves N, 0 by default, and its one master).",
        "With --dry-run nothing is sent to the API server: -o yaml prints the manifest, e.g. for GitOps "
        + "(it names a namespace only when -n is given):",
        "  kubectl conpaas create helloworld hw --application demo --dry-run -o yaml"})
final class CreateCommand extends PluginCommand {
  @Parameters(index = "0", paramLabel = "TYPE",
      description = "ConPaaS service type, e.g. helloworld, php, java or mysql.")
  String type;

  @Parameters(index = "1", paramLabel = "NAME", description = "Name of the new service.")
  String name;

  @Option(names = "--application", required = true, paramLabel = "APP",
      description = "Application (same namespace) the service belongs to; immutable.")
  String application;

  @Option(names = "--nodes", paramLabel = "N",
      description = "Agents of the scale role (default: 1; for mysql 0 slaves, the master alone).")
  Integer nodes;

  @Option(names = "--cloud", paramLabel = "CLOUD",
      description = "Cloud of the service's VMs (default: the Application's, then the default Cloud).")
  String cloud;

  @Option(names = "--message", paramLabel = "TEXT", description = "helloworld: the message agents return.")
  String message;

  @Option(names = "--mode", paramLabel = "MODE", description = "htc: real (default) or demo (manual 2.10 start).")
  String mode;

  @Option(names = "--type", paramLabel = "HTC_TYPE",
      description = "htc: batch (default), online or workflow (manual 2.10 start).")
  String workType;

  @Option(names = "--dry-run", description = "Print what would be created; create nothing.")
  boolean dryRun;

  @Mixin
  Output output;

  @Override
  public Integer call() {
    ServiceKind kind = root.kinds().require(type);
    Map<String, String> settings = new LinkedHashMap<>();
    if (message != null) {
      settings.put("message", message);
    }
    if (mode != null) {
      settings.put("mode", mode);
    }
    if (workType != null) {
      settings.put("type", workType);
    }
    String ns = dryRun ? root.explicitNamespace() : root.namespace();
    GenericKubernetesResource manifest = ServiceManifest.build(kind, ns, name, application, cloud,
        nodes == null ? kind.initialNodes() : nodes, settings);
    if (dryRun) {
      output.printObject(out(), manifest, kind.qualifiedRef(name) + " created (dry run)");
      return 0;
    }
    if (root.locator().resource(kind, ns, name).get() != null) {
      throw new CliException(kind.ref(name) + " already exists in namespace '" + ns + "'");
    }
    warnIfApplicationMissing(ns);
    GenericKubernetesResource created;
    try {
      created = root.client().genericKubernetesResources(kind.context()).inNamespace(ns)
          .resource(manifest).fieldManager(ServicePatcher.FIELD_MANAGER).serverSideApply();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        throw new CliException("the API server does not know " + kind.resource()
            + ": are the ConPaaS CRDs installed (helm/conpaas/crds)?");
      }
      throw e;
    }
    output.printObject(out(), created, kind.qualifiedRef(name) + " created");
    return 0;
  }

  private void warnIfApplicationMissing(String ns) {
    try {
      if (root.client().resources(Application.class).inNamespace(ns).withName(application).get() == null) {
        warn("Application '" + application + "' does not exist in namespace '" + ns
            + "': the service reports ERROR until it does");
      }
    } catch (KubernetesClientException e) {
      // Users allowed to create services but not to read Applications still get their service.
    }
  }
}
