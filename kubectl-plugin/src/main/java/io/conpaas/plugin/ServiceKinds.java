package io.conpaas.plugin;

import io.conpaas.api.v1alpha1.KindRegistry;
import io.conpaas.api.v1alpha1.MysqlServiceSpec;
import io.conpaas.api.v1alpha1.RegisteredKind;
import io.conpaas.api.v1alpha1.SeleniumServiceSpec;
import io.conpaas.plugin.ServiceKind.Feature;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The service kinds the plugin knows: every kind of the API's {@link KindRegistry}, with what only
 * the plugin needs (string settings of {@code create}, a debug switch, fixed roles) in {@link #EXTRAS}.
 * A new kind needs no line here unless it has such extras.
 */
public final class ServiceKinds {
  /** What the plugin adds to a registered kind; kinds without an entry get none. */
  static final Map<String, UnaryOperator<ServiceKind>> EXTRAS = Map.of(
      "HelloWorldService", k -> k.withSettings("message"),
      "MapReduceService", k -> k.with(Feature.HDFS).fixing(io.conpaas.api.v1alpha1.MapReduceServiceSpec.ROLE_MASTER,
          "a MapReduce service has exactly one master"),
      "PhpService", k -> k.with(Feature.DEBUG),
      "ScalarisService", k -> k.with(Feature.KEY_VALUE),
      "MysqlService", k -> k.startingWith(0)
          .fixing(MysqlServiceSpec.ROLE_MASTER, "a MySQL service has exactly one master"),
      "SeleniumService", k -> k.fixing(SeleniumServiceSpec.ROLE_HUB, "a Selenium service has exactly one hub"),
      "HtcService", k -> k.withSettings("mode", "type"),
      "XtreemFsService", k -> k.with(Feature.FILE_SYSTEM).fixing(io.conpaas.api.v1alpha1.XtreemFsServiceSpec.ROLE_DIR,
          "an XtreemFS service has exactly one dir agent (master and filer)"));

  private final List<ServiceKind> kinds;

  public ServiceKinds(List<ServiceKind> kinds) {
    this.kinds = List.copyOf(kinds);
  }

  /** Every kind this release of the API has (see shared/API.md for the kinds still to come). */
  public static ServiceKinds standard() {
    return new ServiceKinds(KindRegistry.SERVICE_KINDS.stream().map(ServiceKinds::of).toList());
  }

  /** The plugin's view of a registered kind: code uploads give CODE, dumps DATABASE, plus its extras. */
  static ServiceKind of(RegisteredKind registered) {
    ServiceKind k = ServiceKind.of(registered.resource(), registered.type(), registered.roles());
    if (registered.uploads().contains(RegisteredKind.Upload.CODE)) {
      k = k.with(Feature.CODE);
    }
    if (registered.uploads().contains(RegisteredKind.Upload.DUMP)) {
      k = k.with(Feature.DATABASE);
    }
    return EXTRAS.getOrDefault(registered.kind(), UnaryOperator.identity()).apply(k);
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
