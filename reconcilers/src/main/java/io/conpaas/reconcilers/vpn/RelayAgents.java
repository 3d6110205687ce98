package io.conpaas.reconcilers.vpn;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.api.v1alpha1.Application;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.VpnRelayStatus;
import io.conpaas.reconcilers.model.CloudResolution;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.net.HttpURLConnection;
import java.util.Set;

/**
 * The Application reconciler's relay step: creates and deletes the application's relay Agent as
 * {@link ApplicationRelay} plans (the Agent reconciler then runs its VM, and replaces it when it
 * dies; Kubernetes' garbage collector deletes it with the Application), and returns its status.
 */
public final class RelayAgents {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RelayAgents.class);

  private RelayAgents() {}

  /** Relay Agents as events of their Application (by its label in the same namespace). */
  public static InformerEventSource<Agent, Application> eventSource(EventSourceContext<Application> context) {
    return new InformerEventSource<>(InformerEventSourceConfiguration.from(Agent.class, Application.class)
        .withName("vpn-relay-agents")
        .withLabelSelector(ApiConstants.LABEL_ROLE + "=" + io.conpaas.agent.api.VpnConfig.RELAY_ROLE)
        .withSecondaryToPrimaryMapper(a -> {
          String app = a.getMetadata().getLabels() == null ? null
              : a.getMetadata().getLabels().get(ApiConstants.LABEL_APPLICATION);
          return app == null || !ApplicationRelay.isRelay(a) ? Set.of()
              : Set.of(new ResourceID(app, a.getMetadata().getNamespace()));
        })
        .build(), context);
  }

  /** Makes the relay Agents match the Application; its relay status (null when none is asked for). */
  public static VpnRelayStatus apply(Application app, Context<Application> context) {
    String refusal = null;
    if (ApplicationRelay.requested(app)) {
      String cloudName = app.getSpec().getVpn().getRelay().getCloud();
      Cloud cloud = context.getClient().resources(Cloud.class).withName(cloudName).get();
      refusal = cloud == null ? "Cloud " + cloudName + " not found"
          : CloudResolution.refusal(cloud, app.getMetadata().getNamespace(),
              app.getSpec().getVpn().getRelay().getInstanceType());
    }
    ApplicationRelay.Plan plan = ApplicationRelay.plan(app, context.getSecondaryResources(Agent.class), refusal);
    var agents = context.getClient().resources(Agent.class).inNamespace(app.getMetadata().getNamespace());
    plan.create().ifPresent(a -> {
      try {
        agents.resource(a).create();
        LOG.info("Application {}/{}: VPN relay Agent {} created on Cloud {}", app.getMetadata().getNamespace(),
            app.getMetadata().getName(), a.getMetadata().getName(), a.getSpec().getCloud());
      } catch (KubernetesClientException e) {
        // Made by a pass whose event the cache has not shown yet.
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
      }
    });
    for (String name : plan.delete()) {
      agents.withName(name).delete();
      LOG.info("Application {}/{}: VPN relay Agent {} released", app.getMetadata().getNamespace(),
          app.getMetadata().getName(), name);
    }
    return plan.status();
  }
}
