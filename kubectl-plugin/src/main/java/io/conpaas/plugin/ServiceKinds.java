package io.conpaas.plugin;

import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.HelloWorldServiceSpec;
import io.conpaas.api.v1alpha1.JavaService;
import io.conpaas.api.v1alpha1.MysqlService;
import io.conpaas.api.v1alpha1.MysqlServiceSpec;
import io.conpaas.api.v1alpha1.PhpService;
import io.conpaas.api.v1alpha1.WebServiceSpec;
import io.conpaas.plugin.ServiceKind.Feature;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The service kinds the plugin knows; a new kind is one line in {@link #standard()}. */
public final class ServiceKinds {
  private static final List<String> WEB_ROLES =
      List.of(WebServiceSpec.ROLE_BACKEND, WebServiceSpec.ROLE_WEB, WebServiceSpec.ROLE_PROXY);

  private final List<ServiceKind> kinds;

  public ServiceKinds(List<ServiceKind> kinds) {
    this.kinds = List.copyOf(kinds);
  }

  /** Every kind this release of the API has (see shared/API.md for the kinds still to come). */
  public static ServiceKinds standard() {
    return new ServiceKinds(List.of(
        // resource class, cpsclient type name, roles (scale role first), string settings of `create`
        ServiceKind.of(HelloWorldService.class, "helloworld", List.of(HelloWorldServiceSpec.ROLE_AGENTS), "message"),
        ServiceKind.of(PhpService.class, "php", WEB_ROLES).with(Feature.CODE, Feature.DEBUG),
        ServiceKind.of(JavaService.class, "java", WEB_ROLES).with(Feature.CODE),
        ServiceKind.of(MysqlService.class, "mysql", List.of(MysqlServiceSpec.ROLE_SLAVES, MysqlServiceSpec.ROLE_MASTER))
            .with(Feature.DATABASE).startingWith(0)
            .fixing(MysqlServiceSpec.ROLE_MASTER, "a MySQL service has exactly one master")));
  }

  public List<ServiceKind> all() {
    return kinds;
  }

  /** The kind a user means by {@code name}: a cpsclient type (helloworld), a kind or a plural. */
  public Optional<ServiceKind> find(String name) {
    return kinds.stream().filter(k -> k.isCalled(name)).findFirst();
  }

  /** Like {@link #find} but fails with the list of known types. */
  public ServiceKind require(String name) {
    return find(name).orElseThrow(() -> new CliException("unknown service type '" + name
        + "'; known types: " + typeNames()));
  }

  /** The kinds with {@code feature}, e.g. "PhpService, JavaService". */
  public String kindsWith(Feature feature) {
    return kinds.stream().filter(k -> k.has(feature)).map(ServiceKind::kind).collect(Collectors.joining(", "));
  }

  /**
   * {@code s}, when its kind has {@code feature}; else fails in one line, e.g. "JavaService has no
   * debug setting (toggle-debug works with PhpService)".
   */
  public ServiceObject require(ServiceObject s, Feature feature, String what, String command) {
    if (!s.kind().has(feature)) {
      throw new CliException(s.kind().kind() + " has no " + what + " (" + command + " works with "
          + kindsWith(feature) + ")");
    }
    return s;
  }

  /** The cpsclient type names, comma separated. */
  public String typeNames() {
    return kinds.stream().map(ServiceKind::type).collect(Collectors.joining(", "));
  }
}
