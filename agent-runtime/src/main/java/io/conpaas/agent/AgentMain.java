package io.conpaas.agent;

import io.conpaas.agent.api.AgentContext;
import io.conpaas.agent.api.AgentJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import io.conpaas.agent.process.UnusableSetupException;
import java.io.StringWriter;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point of the agent on a VM. It reads its contextualization document, starts the role
 * and the HTTPS server, and runs until killed.
 *
 * <p>Environment: CONPAAS_AGENT_CONTEXT (path of the context JSON, or the first argument),
 * CONPAAS_AGENT_BIND (default 0.0.0.0), CONPAAS_AGENT_PORT (overrides the context's port; 0 picks
 * a free one), CONPAAS_AGENT_PORT_FILE (where to write the bound port, for the local cloud),
 * CONPAAS_AGENT_EXIT_FILE (where to record why it exits at start, for the local cloud).
 * An agent that cannot start prints one line saying why and exits with {@link #EXIT_CONFIGURATION}
 * when the cause is its setup (a retry would fail the same way), else {@link #EXIT_FAILURE}.
 * The role keeps its files under the working directory (the VM's own directory on the local
 * cloud) and binds its servers to the agent's bind address.
 */
public final class AgentMain {
  /** Exit status of an agent that cannot run with its setup (sysexits.h EX_CONFIG): retrying will not help. */
  public static final int EXIT_CONFIGURATION = 78;
  /** Exit status of any other failure at start. */
  public static final int EXIT_FAILURE = 1;
  /** Where the local cloud wants the reason of an exit at start (a Properties file: status, reason). */
  static final String EXIT_FILE = "CONPAAS_AGENT_EXIT_FILE";

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
    try {
      start(Path.of(contextPath));
    } catch (Throwable e) {
      int status = configurationError(e) ? EXIT_CONFIGURATION : EXIT_FAILURE;
      String reason = oneLine(e);
      if (status == EXIT_FAILURE) {
        e.printStackTrace();
      }
      // One line that says it all, last in the log: the local cloud shows it as the VM's reason.
      System.err.println("conpaas agent cannot start: " + reason);
      recordExit(status, reason);
      System.exit(status);
    }
    new CountDownLatch(1).await();
  }

  private static void start(Path contextPath) throws IOException {
    AgentContext context;
    try {
      context = AgentJson.mapper().readValue(contextPath.toFile(), AgentContext.class);
    } catch (IOException e) {
      throw new UnusableSetupException("cannot read the context file " + contextPath + ": " + e.getMessage());
    }
    String bind = envOr("CONPAAS_AGENT_BIND", "0.0.0.0");
    int port = Integer.parseInt(envOr("CONPAAS_AGENT_PORT",
        Integer.toString(context.port() > 0 ? context.port() : AgentContext.DEFAULT_PORT)));

    UnisolatedRoles.check(context.serviceKind(), context.role(), System.getProperty("user.name"), System.getenv());
    RolePlugin role;
    try {
      role = RoleRegistry.builtIn().create(context.serviceKind(), context.role());
    } catch (IllegalArgumentException e) {
      throw new UnusableSetupException(e.getMessage());
    }
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
  }

  /** Whether e (or a cause) says the setup cannot work, so that a retry would fail the same way. */
  static boolean configurationError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnusableSetupException) {
        return true;
      }
    }
    return false;
  }

  /** The message of e's deepest setup error, or of e itself, on one line. */
  static String oneLine(Throwable e) {
    Throwable shown = e;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnusableSetupException) {
        shown = t;
        break;
      }
    }
    String message = shown.getMessage() == null ? shown.getClass().getName() : shown.getMessage();
    return message.replaceAll("\\s+", " ").strip();
  }

  private static void recordExit(int status, String reason) {
    String file = System.getenv(EXIT_FILE);
    if (file == null || file.isBlank()) {
      return;
    }
    Properties p = new Properties();
    p.setProperty("status", Integer.toString(status));
    p.setProperty("reason", reason);
    try {
      StringWriter out = new StringWriter();
      p.store(out, null);
      writeAtomically(Path.of(file), out.toString());
    } catch (IOException | RuntimeException e) {
      System.err.println("cannot record the exit reason in " + file + ": " + e.getMessage());
    }
  }

  private static String envOr(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  private static void writeAtomically(Path target, String content) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
