package io.conpaas.reconcilers.service;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.HelloWorldServiceSpec;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/** The helloworld service: one role whose agents all carry the service's message. */
public final class HelloWorldKind implements ServiceKind<HelloWorldService> {
  public static final String MESSAGE = "message";

  @Override
  public String scaleRole() {
    return HelloWorldServiceSpec.ROLE_AGENTS;
  }

  @Override
  public Map<String, Map<String, String>> roleConfig(HelloWorldService service, Collection<Agent> agents,
      Set<String> keep) {
    String message = service.getSpec().getMessage();
    return Map.of(HelloWorldServiceSpec.ROLE_AGENTS,
        message == null ? Map.of() : Map.of(MESSAGE, message));
  }
}
