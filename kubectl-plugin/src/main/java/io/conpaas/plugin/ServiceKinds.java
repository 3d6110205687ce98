package io.conpaas.plugin;

import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.HelloWorldServiceSpec;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The service kinds the plugin knows; a new kind is one line in {@link #standard()}. */
public final class ServiceKinds {
  private final List<ServiceKind> kinds;

  public ServiceKinds(List<ServiceKind> kinds) {
    this.kinds = List.copyOf(kinds);
  }

  /** Every kind this release of the API has (see shared/API.md for the kinds still to come). */
  public static ServiceKinds standard() {
    return new ServiceKinds(List.of(
        // resource class, cpsclient type name, roles (scale role first), string settings of `create`
        ServiceKind.of(HelloWorldService.class, "helloworld", List.of(HelloWorldServiceSpec.ROLE_AGENTS), "message")));
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

  /** The cpsclient type names, comma separated. */
  public String typeNames() {
    return kinds.stream().map(ServiceKind::type).collect(Collectors.joining(", "));
  }
}
