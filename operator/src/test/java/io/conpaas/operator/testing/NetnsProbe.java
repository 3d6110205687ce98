package io.conpaas.operator.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test traffic inside the network namespaces a local Cloud made for its agents (cpa-&lt;instance id&gt;):
 * a TCP echo server that answers with a token, a client that connects with a timeout, and wg's view
 * of an agent's interface. Sends only to addresses held inside those namespaces.
 */
public final class NetnsProbe implements AutoCloseable {
  private static final String SERVER = """
      import socket, sys
      s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
      s.bind((sys.argv[1], int(sys.argv[2]))); s.listen(16)
      while True:
          c, _ = s.accept()
          c.settimeout(2)
          try:
              c.sendall(sys.argv[3].encode() + b' ' + c.recv(100))
          except Exception:
              pass
          c.close()
      """;
  private static final String CLIENT = """
      import socket, sys
      try:
          s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=float(sys.argv[3]))
          s.settimeout(float(sys.argv[3])); s.sendall(b'ping'); print(s.recv(200).decode())
      except Exception as e:
          print('FAIL', type(e).__name__, e); sys.exit(1)
      """;

  private final List<Process> servers = java.util.Collections.synchronizedList(new ArrayList<>());

  /** A probe whose servers are also stopped when the test JVM exits without closing it. */
  public NetnsProbe() {
    TestOperator.closeAtExit(this);
  }

  public static String namespaceOf(String instanceId) {
    return "cpa-" + instanceId;
  }

  /** Starts an echo server in the namespace on address:port answering "token ping". */
  public void serve(String namespace, String address, int port, String token) throws IOException {
    servers.add(new ProcessBuilder("ip", "netns", "exec", namespace, "python3", "-c", SERVER, address,
        Integer.toString(port), token).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
  }

  /** What a client in the namespace got from address:port, or "FAIL ..." (never longer than timeout + 2 s). */
  public static String call(String namespace, String address, int port, double timeoutSeconds) {
    return run(List.of("ip", "netns", "exec", namespace, "python3", "-c", CLIENT, address, Integer.toString(port),
        Double.toString(timeoutSeconds)), (long) timeoutSeconds + 3).strip();
  }

  /** The WireGuard interface of an agent's namespace (cpw...), or null while it has none. */
  public static String wgInterface(String namespace) {
    for (String line : run(List.of("ip", "-n", namespace, "-o", "link", "show"), 5).split("\n")) {
      String[] f = line.split(":\\s+");
      if (f.length > 1 && f[1].startsWith("cpw")) {
        return f[1].split("@")[0];
      }
    }
    return null;
  }

  /** wg show INTERFACE FIELD (peers, public-key, private-key, ...), lines. */
  public static List<String> wg(String namespace, String ifname, String field) {
    if (ifname == null) {
      return List.of();
    }
    return run(List.of("ip", "netns", "exec", namespace, "wg", "show", ifname, field), 5).lines()
        .map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  public static List<String> namespaces() {
    return run(List.of("ip", "netns", "list"), 5).lines().map(l -> l.strip().split("\\s+")[0])
        .filter(l -> !l.isEmpty()).toList();
  }

  public static String run(List<String> command, long timeoutSeconds) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readNBytes(1 << 16);
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "FAIL timeout";
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "FAIL " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "FAIL interrupted";
    }
  }

  /** Stops the echo servers (before their namespaces go). */
  @Override
  public void close() {
    List<Process> started;
    synchronized (servers) {
      started = List.copyOf(servers);
      servers.clear();
    }
    started.forEach(p -> {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    });
  }
}
