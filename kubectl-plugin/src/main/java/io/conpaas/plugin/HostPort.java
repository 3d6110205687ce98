package io.conpaas.plugin;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A host and an optional port read from an endpoint URL: host:port, [v6]:port, or with a scheme. */
record HostPort(String host, Integer port) {
  private static final Pattern BRACKETED = Pattern.compile("\\[([^\\]]+)\\](?::(\\d+))?");
  private static final Pattern PLAIN = Pattern.compile("([^:\\[\\]]+)(?::(\\d+))?");

  /** Parses {@code url} ("10.0.0.5:3306", "[fd00::1]:3306", "mysql://db.example.org:3306/"); fails on anything else. */
  static HostPort parse(String url) {
    String s = url.trim();
    int scheme = s.indexOf("://");
    if (scheme >= 0) {
      s = s.substring(scheme + 3);
    }
    int slash = s.indexOf('/');
    if (slash >= 0) {
      s = s.substring(0, slash);
    }
    Matcher m = BRACKETED.matcher(s);
    if (!m.matches()) {
      m = PLAIN.matcher(s);
    }
    if (!m.matches() || m.group(1).isBlank()) {
      throw new CliException("cannot read a host and port from the endpoint '" + url + "'");
    }
    return new HostPort(m.group(1), m.group(2) == null ? null : Integer.valueOf(m.group(2)));
  }
}
