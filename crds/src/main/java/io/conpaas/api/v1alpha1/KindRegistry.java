package io.conpaas.api.v1alpha1;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one list of service kinds. The operator registers a controller for each, checks their CRDs
 * and summarises them in Applications; the plugin's kinds derive from it; tests check the chart's
 * RBAC, the upload policy and the agent's roles against it. A new kind is one line here (plus its
 * kind class in the operator, see docs/NOTES.md).
 */
public final class KindRegistry {
  private static final List<String> WEB_ROLES =
      List.of(WebServiceSpec.ROLE_BACKEND, WebServiceSpec.ROLE_WEB, WebServiceSpec.ROLE_PROXY);

  /** Every service kind of this API version: resource class, type name, roles (scale role first), uploads. */
  public static final List<RegisteredKind> SERVICE_KINDS = List.of(
      RegisteredKind.of(HelloWorldService.class, "helloworld", List.of(HelloWorldServiceSpec.ROLE_AGENTS)),
      RegisteredKind.of(MapReduceService.class, "mapreduce",
          List.of(MapReduceServiceSpec.ROLE_WORKERS, MapReduceServiceSpec.ROLE_MASTER), RegisteredKind.Upload.JOB),
      RegisteredKind.of(PhpService.class, "php", WEB_ROLES, RegisteredKind.Upload.CODE),
      RegisteredKind.of(JavaService.class, "java", WEB_ROLES, RegisteredKind.Upload.CODE),
      RegisteredKind.of(MysqlService.class, "mysql",
          List.of(MysqlServiceSpec.ROLE_SLAVES, MysqlServiceSpec.ROLE_MASTER), RegisteredKind.Upload.DUMP),
      RegisteredKind.of(ScalarisService.class, "scalaris", List.of(ScalarisServiceSpec.ROLE_NODES)),
      RegisteredKind.of(SeleniumService.class, "selenium",
          List.of(SeleniumServiceSpec.ROLE_NODES, SeleniumServiceSpec.ROLE_HUB)),
      RegisteredKind.of(TaskFarmService.class, "taskfarm", List.of(TaskFarmServiceSpec.ROLE_WORKERS)),
      RegisteredKind.of(HtcService.class, "htc", List.of(HtcServiceSpec.ROLE_WORKERS)),
      RegisteredKind.of(XtreemFsService.class, "xtreemfs",
          List.of(XtreemFsServiceSpec.ROLE_OSD, XtreemFsServiceSpec.ROLE_DIR)));

  /** The kinds that are not services (clusters of them exist regardless of which services are registered). */
  public static final List<Class<? extends HasMetadata>> INFRASTRUCTURE_KINDS =
      List.of(Cloud.class, Application.class, CodeUpload.class, Agent.class, CreditAccount.class);

  private KindRegistry() {}

  /** Every resource class the API serves: infrastructure kinds and service kinds (the CRDs to install). */
  public static List<Class<? extends HasMetadata>> allResources() {
    List<Class<? extends HasMetadata>> all = new ArrayList<>(INFRASTRUCTURE_KINDS);
    SERVICE_KINDS.forEach(k -> all.add(k.resource()));
    return List.copyOf(all);
  }

  /** The service kinds' resource classes. */
  public static List<Class<? extends ServiceResource<?>>> serviceResources() {
    return SERVICE_KINDS.stream().<Class<? extends ServiceResource<?>>>map(RegisteredKind::resource).toList();
  }

  /** The registered kind called {@code kind} (e.g. PhpService). */
  public static Optional<RegisteredKind> byKind(String kind) {
    return SERVICE_KINDS.stream().filter(k -> k.kind().equals(kind)).findFirst();
  }
}
