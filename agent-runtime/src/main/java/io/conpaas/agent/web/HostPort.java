package io.conpaas.agent.web;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One host:port of a proxy's backend or web list; its strict syntax keeps config values out of nginx syntax. */
public record HostPort(String host, int port) {
  private static final Pattern SYNTAX =
      Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252}))(?::(\\d{1,5}))");

  /** Parses a comma-separated list under config key; an empty or absent value is an empty list. */
  public static List<HostPort> parseList(String key, String value) {
    List<HostPort> result = new ArrayList<>();
    if (value == null || value.isBlank()) {
      return result;
    }
    for (String item : value.split(",")) {
      String s = item.trim();
      if (s.isEmpty()) {
        continue;
      }
      Matcher m = SYNTAX.matcher(s);
      int port = m.matches() ? Integer.parseInt(m.group(2)) : -1;
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(key + ": \"" + s + "\" is not host:port");
      }
      HostPort hp = new HostPort(m.group(1), port);
      if (!result.contains(hp)) {
        result.add(hp);
      }
    }
    return result;
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
