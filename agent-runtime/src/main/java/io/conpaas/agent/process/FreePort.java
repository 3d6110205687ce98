package io.conpaas.agent.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Picks a TCP port the kernel says is free on an address (for port 0 = "pick one"). */
public final class FreePort {
  private FreePort() {}

  /** A currently free port on bindAddress; the server that takes it starts right after. */
  public static int on(String bindAddress) {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(bindAddress))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + bindAddress, e);
    }
  }
}
