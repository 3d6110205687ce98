package io.conpaas.simulated;

import io.conpaas.iaas.simulated.SimulatedAgents;
import io.conpaas.iaas.simulated.SimulatedVm;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one listener serving every simulated agent of the process. Each VM's agent listens on its own
 * loopback address (the VM's address, the agent port), as a real agent on its VM, but all those
 * sockets are accepted by one selector thread, and a small pool of threads speaks TLS and HTTP:
 * the accepted connection is wrapped in that agent's own TLS context (its own key and certificate,
 * client certificate required), then served by the agent. No thread or timer per agent.
 */
public final class SimulatedAgentListener implements SimulatedAgents, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SimulatedAgentListener.class);
  /** Bounds a connection's handshake and each read, so a silent caller cannot hold a worker. */
  private static final int READ_TIMEOUT_MILLIS = 10_000;
  /** Code uploads to stand-in roles are read and dropped; anything bigger is refused. */
  private static final long MAX_BODY_BYTES = 256L * 1024 * 1024;

  private final Clock clock;
  private final Selector selector;
  private final ThreadPoolExecutor workers;
  private final Map<String, Served> served = new ConcurrentHashMap<>();
  /** Agents that wait before answering (slow VMs), by instance id. */
  private final Map<String, java.time.Duration> delays = new ConcurrentHashMap<>();
  private final Queue<Served> toRegister = new ConcurrentLinkedQueue<>();
  private final Thread acceptor;
  private volatile boolean closed;

  private record Served(SimulatedAgent agent, ServerSocketChannel channel, String endpoint) {}

  /** workers: threads speaking TLS and HTTP for all agents together. */
  public SimulatedAgentListener(int workerThreads, Clock clock) {
    this.clock = clock;
    try {
      this.selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.workers = new ThreadPoolExecutor(workerThreads, workerThreads, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(4096), r -> {
          Thread t = new Thread(r, "simulated-agents-worker");
          t.setDaemon(true);
          return t;
        });
    this.acceptor = new Thread(this::acceptLoop, "simulated-agents-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @Override
  public String start(SimulatedVm vm, byte[] contextualization, Path agentDir, int port, java.time.Instant bootAt) {
    Served existing = served.get(vm.instanceId());
    if (existing != null) {
      return existing.endpoint();
    }
    synchronized (this) {
      existing = served.get(vm.instanceId());
      if (existing != null) {
        return existing.endpoint();
      }
      try {
        SimulatedAgent agent = new SimulatedAgent(vm.instanceId(), contextualization, agentDir, bootAt);
        ServerSocketChannel channel = ServerSocketChannel.open();
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        channel.bind(new InetSocketAddress(vm.address(), port), 64);
        channel.configureBlocking(false);
        Served s = new Served(agent, channel, vm.address() + ":" + port);
        served.put(vm.instanceId(), s);
        toRegister.add(s);
        selector.wakeup();
        return s.endpoint();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot serve the agent of " + vm.instanceId() + " at " + vm.address()
            + ":" + port, e);
      }
    }
  }

  @Override
  public void answerDelay(String instanceId, java.time.Duration delay) {
    if (delay.isZero()) {
      delays.remove(instanceId);
    } else {
      delays.put(instanceId, delay);
    }
  }

  @Override
  public void stop(String instanceId) {
    delays.remove(instanceId);
    Served s = served.remove(instanceId);
    if (s == null) {
      return;
    }
    try {
      s.channel().close();
    } catch (IOException e) {
      // Closed enough.
    }
    selector.wakeup();
    s.agent().stop();
  }

  /** How many agents are served (for tests and the Cloud's status note). */
  public int agentCount() {
    return served.size();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        selector.select(1000);
        for (Served s = toRegister.poll(); s != null; s = toRegister.poll()) {
          if (s.channel().isOpen()) {
            s.channel().register(selector, SelectionKey.OP_ACCEPT, s);
          }
        }
        for (var it = selector.selectedKeys().iterator(); it.hasNext();) {
          SelectionKey key = it.next();
          it.remove();
          if (key.isValid() && key.isAcceptable()) {
            accept((Served) key.attachment());
          }
        }
      } catch (IOException | RuntimeException e) {
        if (!closed) {
          LOG.warn("simulated agents' listener: {}", e.toString());
        }
      }
    }
  }

  private void accept(Served s) throws IOException {
    SocketChannel connection = s.channel().accept();
    if (connection == null) {
      return;
    }
    // A VM that has not booted yet refuses connections, as a real one does.
    if (!s.agent().booted(clock.instant()) || served.get(s.agent().instanceId()) != s) {
      connection.close();
      return;
    }
    try {
      workers.execute(() -> serve(s.agent(), connection));
    } catch (RejectedExecutionException e) {
      connection.close();
    }
  }

  private void serve(SimulatedAgent agent, SocketChannel connection) {
    try (connection) {
      connection.configureBlocking(true);
      java.net.Socket plain = connection.socket();
      plain.setSoTimeout(READ_TIMEOUT_MILLIS);
      plain.setTcpNoDelay(true);
      SSLSocket tls = (SSLSocket) agent.tls().getSocketFactory().createSocket(plain, null, true);
      tls.setUseClientMode(false);
      tls.setNeedClientAuth(true);
      tls.setSoTimeout(READ_TIMEOUT_MILLIS);
      tls.startHandshake();
      InputStream in = new java.io.BufferedInputStream(tls.getInputStream());
      OutputStream out = new java.io.BufferedOutputStream(tls.getOutputStream());
      HttpRequestReader.Head head = HttpRequestReader.head(in);
      SocketExchange exchange = new SocketExchange(tls, head.method(), URI.create(head.target()), head.headers(),
          HttpRequestReader.body(in, head.headers(), MAX_BODY_BYTES), out);
      java.time.Duration delay = delays.get(agent.instanceId());
      if (delay != null) {
        // A slow VM: this worker waits (the delay is bounded by the Cloud spec's maximum, 60 s).
        Thread.sleep(delay.toMillis());
      }
      agent.handle(exchange);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      // The operator bounds and retries its calls; a broken connection is its to report.
      LOG.debug("simulated agent {}: connection failed: {}", agent.instanceId(), e.toString());
    }
  }

  @Override
  public void close() {
    closed = true;
    selector.wakeup();
    for (String id : served.keySet()) {
      stop(id);
    }
    workers.shutdownNow();
    try {
      acceptor.join(2000);
      selector.close();
    } catch (InterruptedException | IOException e) {
      Thread.currentThread().interrupt();
    }
  }
}
