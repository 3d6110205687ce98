package io.conpaas.agent.roles;

import com.sun.net.httpserver.HttpHandler;
import io.conpaas.agent.JsonExchange;
import io.conpaas.agent.RolePlugin;
import io.conpaas.agent.api.AgentPaths;
import io.conpaas.agent.api.HelloWorldAnswer;
import java.util.Map;

/** The helloworld role: get_helloworld answers the service's message (manual section 3). */
public final class HelloWorldRole implements RolePlugin {
  public static final String MESSAGE = "message";

  private volatile String message = "Hello World";

  @Override
  public String name() {
    return "agents";
  }

  @Override
  public void configure(Map<String, String> config) {
    String m = config.get(MESSAGE);
    message = m == null ? "Hello World" : m;
  }

  @Override
  public Map<String, HttpHandler> endpoints() {
    return Map.of(AgentPaths.HELLOWORLD,
        exchange -> JsonExchange.respond(exchange, 200, new HelloWorldAnswer(message)));
  }
}
