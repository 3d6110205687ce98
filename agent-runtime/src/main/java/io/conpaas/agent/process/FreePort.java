package io.conpaas.agent.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks a TCP port that is free on an address, for a server that keeps it (roles record their ports).
 * Not from the kernel's ephemeral range: any outgoing connection of any process takes ports from
 * there, so a port picked there can be gone between the pick and the server's bind, or when the
 * server starts again later (CI saw a Selenium hub fail with "Address already in use" so).
 */
public final class FreePort {
  /** Lowest port handed out; the range ends below the ephemeral ports. */
  static final int LOWEST = 10_000;
  private static final int TRIES = 64;
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

  private FreePort() {}

  /** A currently free port on bindAddress below the ephemeral range (any free one if none is found there). */
  public static int on(String bindAddress) {
    int end = ephemeralStart(EPHEMERAL_RANGE);
    try {
      InetAddress address = InetAddress.getByName(bindAddress);
      for (int i = 0; i < TRIES && end > LOWEST; i++) {
        int port = ThreadLocalRandom.current().nextInt(LOWEST, end);
        if (bindable(address, port)) {
          return port;
        }
      }
      try (ServerSocket s = new ServerSocket(0, 1, address)) {
        return s.getLocalPort();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + bindAddress, e);
    }
  }

  /** The first ephemeral port (Linux's default 32768 when the file is missing or unreadable). */
  static int ephemeralStart(Path rangeFile) {
    // A reader, not Files.readString: procfs reports size 0 and readString then returned "3" of "32768".
    try (java.io.BufferedReader in = Files.newBufferedReader(rangeFile)) {
      String[] range = in.readLine().trim().split("\\s+");
      return Integer.parseInt(range[0]);
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }

  private static boolean bindable(InetAddress address, int port) {
    try (ServerSocket s = new ServerSocket(port, 1, address)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
