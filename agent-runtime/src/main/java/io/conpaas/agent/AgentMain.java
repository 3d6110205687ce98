package io.conpaas.agent;

import io.conpaas.agent.api.AgentContext;
import io.conpaas.agent.api.AgentJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point of the agent on a VM. It reads its contextualization document, starts the role
 * and the HTTPS server, and runs until killed.
 *
 * <p>Environment: CONPAAS_AGENT_CONTEXT (path of the context JSON, or the first argument),
 * CONPAAS_AGENT_BIND (default 0.0.0.0), CONPAAS_AGENT_PORT (overrides the context's port; 0 picks
 * a free one), CONPAAS_AGENT_PORT_FILE (where to write the bound port, for the local cloud).
 * The role keeps its files under the working directory (the VM's own directory on the local
 * cloud) and binds its servers to the agent's bind address.
 */
public final class AgentMain {
  private AgentMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && "--warmup".equals(args[0])) {
      AgentWarmup.run();
      return;
    }
    String contextPath = args.length > 0 ? args[0] : System.getenv("CONPAAS_AGENT_CONTEXT");
    if (contextPath == null || contextPath.isBlank()) {
      System.err.println("usage: conpaas-agent CONTEXT_FILE (or set CONPAAS_AGENT_CONTEXT)");
      System.exit(2);
    }
    AgentContext context = AgentJson.mapper().readValue(Path.of(contextPath).toFile(), AgentContext.class);
    String bind = envOr("CONPAAS_AGENT_BIND", "0.0.0.0");
    int port = Integer.parseInt(envOr("CONPAAS_AGENT_PORT",
        Integer.toString(context.port() > 0 ? context.port() : AgentContext.DEFAULT_PORT)));

    RolePlugin role = RoleRegistry.builtIn().create(context.serviceKind(), context.role());
    RoleContext roleContext = new RoleContext(context.agentName(), Path.of(""), bind);
    AgentServer server = new AgentServer(context, role, roleContext, port);
    int bound = server.start();
    String portFile = System.getenv("CONPAAS_AGENT_PORT_FILE");
    if (portFile != null) {
      writeAtomically(Path.of(portFile), Integer.toString(bound));
    }
    System.err.println("conpaas agent " + context.agentName() + " (" + context.serviceKind() + "/"
        + context.role() + ") listening on " + bind + ":" + bound);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    new CountDownLatch(1).await();
  }

  private static String envOr(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  private static void writeAtomically(Path target, String content) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.writeString(tmp, content, StandardCharsets.US_ASCII);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
