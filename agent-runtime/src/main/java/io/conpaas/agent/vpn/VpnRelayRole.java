package io.conpaas.agent.vpn;

import com.sun.net.httpserver.HttpHandler;
import io.conpaas.agent.RoleContext;
import io.conpaas.agent.RolePlugin;
import io.conpaas.agent.api.VpnConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * The role of an application's operator-run VPN relay (Application spec.vpn.relay): runs a
 * {@link VpnRelay} in the agent's process on the configured UDP port, on every address of the VM.
 * It makes no WireGuard interface and holds no key; it reports the port it listens on.
 */
public final class VpnRelayRole implements RolePlugin {
  private String bindAddress = "0.0.0.0";
  private VpnRelay relay;
  private int port;

  @Override
  public String name() {
    return VpnConfig.RELAY_ROLE;
  }

  @Override
  public void init(RoleContext context) {
    bindAddress = context.bindAddress();
  }

  @Override
  public synchronized void configure(Map<String, String> config) {
    int wanted = port(config.get(VpnConfig.RELAY_CONFIG_PORT));
    if (relay != null && wanted == port) {
      return;
    }
    VpnRelay started;
    try {
      started = VpnRelay.start(new InetSocketAddress(bindAddress, wanted));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on UDP " + bindAddress + ":" + wanted + ": " + e.getMessage(), e);
    }
    if (relay != null) {
      relay.close();
    }
    relay = started;
    port = wanted;
  }

  private static int port(String value) {
    if (value == null) {
      return VpnConfig.DEFAULT_RELAY_PORT;
    }
    if (!value.matches("\\d{1,5}") || Integer.parseInt(value) < 1 || Integer.parseInt(value) > 65535) {
      throw new IllegalArgumentException(VpnConfig.RELAY_CONFIG_PORT + " must be a UDP port (1-65535), got " + value);
    }
    return Integer.parseInt(value);
  }

  @Override
  public Map<String, HttpHandler> endpoints() {
    return Map.of();
  }

  @Override
  public synchronized Map<String, String> facts() {
    return relay == null ? Map.of() : Map.of(VpnConfig.FACT_RELAY_PORT, Integer.toString(relay.port()));
  }

  @Override
  public synchronized void stop() {
    if (relay != null) {
      relay.close();
      relay = null;
    }
  }
}
