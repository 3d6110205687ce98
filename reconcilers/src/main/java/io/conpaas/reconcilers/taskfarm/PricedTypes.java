package io.conpaas.reconcilers.taskfarm;

import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.CloudProvider;
import io.conpaas.api.v1alpha1.InstanceTypeSpec;
import io.conpaas.api.v1alpha1.TaskFarmService;
import io.conpaas.api.v1alpha1.TaskFarmServiceSpec;
import io.conpaas.reconcilers.model.CloudResolution;
import io.conpaas.reconcilers.service.ServiceContext;
import io.conpaas.reconcilers.taskfarm.LedgerStep.TypeInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The instance types a TaskFarm (or HTC service) may use, from its workers' Cloud: those with a price, limited to
 * spec.instanceTypes (in that order) and the Cloud's allowedInstanceTypes. The slowdown applies on
 * the local Cloud only (elsewhere the types are really of different speed). Pure.
 */
public final class PricedTypes {
  private PricedTypes() {}

  /** The usable types, or why there are none (the workers' Cloud cannot be resolved). */
  public record Result(List<TypeInfo> types, Optional<String> problem) {
    public Map<String, Double> prices() {
      Map<String, Double> prices = new LinkedHashMap<>();
      types.forEach(t -> prices.put(t.name(), t.pricePerHour()));
      return prices;
    }

    public double slowdown(String type) {
      return types.stream().filter(t -> t.name().equals(type)).findFirst().map(TypeInfo::slowdown).orElse(1.0);
    }
  }

  static Result of(ServiceContext<TaskFarmService> context) {
    TaskFarmServiceSpec spec = context.service().getSpec();
    return of(context, spec.getWorkers() == null ? null : spec.getWorkers().getCloud(), spec.getInstanceTypes());
  }

  /** The same for any kind: the workers' own Cloud (or null), the types wanted (null or empty: all priced ones). */
  public static Result of(ServiceContext<?> context, String workersCloud, List<String> wantedTypes) {
    String appCloud = context.application().map(a -> a.getSpec() == null ? null : a.getSpec().getCloud()).orElse(null);
    CloudResolution.Result r = CloudResolution.resolve(workersCloud,
        context.service().getSpec().getCloud(), appCloud, context.clouds(), context.namespace(), null);
    if (!r.ok()) {
      return new Result(List.of(), Optional.of("workers: " + r.error()));
    }
    Cloud cloud = context.clouds().stream().filter(c -> c.getMetadata().getName().equals(r.cloud())).findFirst()
        .orElseThrow();
    List<InstanceTypeSpec> offered = cloud.getSpec().getInstanceTypes() == null ? List.of()
        : cloud.getSpec().getInstanceTypes();
    List<String> allowed = cloud.getSpec().getAllowedInstanceTypes();
    boolean local = cloud.getSpec().getProvider() == CloudProvider.LOCAL;
    List<TypeInfo> types = new ArrayList<>();
    List<String> wanted = wantedTypes == null || wantedTypes.isEmpty()
        ? offered.stream().map(InstanceTypeSpec::getName).toList() : wantedTypes;
    for (String name : wanted) {
      offered.stream().filter(t -> name.equals(t.getName()) && t.getPricePerHour() != null)
          .filter(t -> allowed == null || allowed.isEmpty() || allowed.contains(name))
          .findFirst()
          .ifPresent(t -> types.add(new TypeInfo(name, t.getPricePerHour(), local ? t.slowdownFactor() : 1.0)));
    }
    return new Result(List.copyOf(types), Optional.empty());
  }
}
