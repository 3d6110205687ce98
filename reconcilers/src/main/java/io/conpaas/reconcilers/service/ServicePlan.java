package io.conpaas.reconcilers.service;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.ServiceResource;
import io.conpaas.reconcilers.model.CloudResolution;
import io.conpaas.reconcilers.model.DesiredAgents;
import io.conpaas.reconcilers.vpn.ServiceVpn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pass's whole desired state, pure: the Agents the service wants (each role on its resolved
 * Cloud, with the kind's configuration) and everything that blocks it (a missing Application or
 * Cloud, the observe step's problems, the kind's), and the service's part of the application's VPN.
 */
public record ServicePlan(List<Agent> desired, List<String> problems, KindPlan kind, ServiceVpn vpn) {

  public static <R extends ServiceResource<?>> ServicePlan of(ServiceContext<R> context, KindPlan kind) {
    return of(context, kind, Map.of());
  }

  /** The same, with roles whose slots have instance types of their own (see ServiceKind.slots). */
  public static <R extends ServiceResource<?>> ServicePlan of(ServiceContext<R> context, KindPlan kind,
      Map<String, List<String>> slots) {
    R service = context.service();
    String ns = context.namespace();
    List<String> problems = new ArrayList<>();
    if (context.application().isEmpty()) {
      problems.add("Application " + service.getSpec().getApplication() + " not found in namespace " + ns);
    }
    String appCloud = context.application().map(a -> a.getSpec() == null ? null : a.getSpec().getCloud()).orElse(null);
    Map<String, String> cloudByRole = new LinkedHashMap<>();
    service.getSpec().roles().forEach((role, spec) -> {
      if ((slots.containsKey(role) ? slots.get(role).stream().filter(java.util.Objects::nonNull).count()
          : DesiredAgents.nodes(spec)) == 0) {
        return;
      }
      // A role whose nodes come from slots may have no block in the spec.
      CloudResolution.Result r = CloudResolution.resolve(spec == null ? null : spec.getCloud(),
          service.getSpec().getCloud(), appCloud, context.clouds(), ns, spec == null ? null : spec.getInstanceType());
      if (r.ok()) {
        cloudByRole.put(role, r.cloud());
      } else {
        problems.add("role " + role + ": " + r.error());
      }
    });
    problems.addAll(context.observed().problems());
    problems.addAll(kind.problems());
    List<Agent> desired = DesiredAgents.of(service, cloudByRole, kind.roleConfig(), kind.roleCode(),
        kind.agentConfig()::of, kind.roleCredentials(), kind.statefulRoles(), slots);
    // Each Agent's place in the application's private network (kept from the live Agent).
    ServiceVpn vpn = ServiceVpn.of(service, context.application());
    desired = vpn.place(desired, context.agents());
    return new ServicePlan(desired, List.copyOf(problems), kind, vpn);
  }
}
