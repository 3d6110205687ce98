package io.conpaas.reconcilers.service;

import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.HelloWorldServiceSpec;
import java.util.Map;

/** The helloworld service: one role whose agents all carry the service's message. */
public final class HelloWorldKind implements ServiceKind<HelloWorldService> {
  public static final String MESSAGE = "message";

  @Override
  public String scaleRole() {
    return HelloWorldServiceSpec.ROLE_AGENTS;
  }

  @Override
  public KindPlan plan(ServiceContext<HelloWorldService> context) {
    String message = context.service().getSpec().getMessage();
    return KindPlan.of(Map.of(HelloWorldServiceSpec.ROLE_AGENTS, message == null ? Map.of() : Map.of(MESSAGE, message)));
  }
}
