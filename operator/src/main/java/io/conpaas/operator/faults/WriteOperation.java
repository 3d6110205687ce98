package io.conpaas.operator.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The class of a write, without the names in it: {@code create}, {@code createBatch}, {@code configure},
 * {@code POST.agents}, {@code PATCH.agents.status}. Crash points counted per class stay reproducible
 * when writes of different classes interleave differently from run to run (the service creates its
 * Agents side by side, many Agents reconcile at once): "the 2nd Agent create" is the same step of the
 * scenario in every run, even though which Agent it is may differ. Pure.
 */
public final class WriteOperation {
  private WriteOperation() {}

  /** what: the description the hooks are given ("create token", "POST /apis/g/v/namespaces/n/agents"). */
  public static String of(WriteKind kind, String what) {
    String text = what == null ? "" : what.trim();
    if (kind != WriteKind.API) {
      // "create <token>", "configure <endpoint>", "bootstrap-install <endpoint>": the verb is the class.
      int space = text.indexOf(' ');
      return space < 0 ? text : text.substring(0, space);
    }
    String[] parts = text.split(" ", 2);
    String method = parts[0].toUpperCase(Locale.ROOT);
    String path = parts.length > 1 ? parts[1] : "";
    // "/path?query -> 201" (an answered write): the path alone.
    for (char end : new char[] {' ', '?'}) {
      int at = path.indexOf(end);
      if (at >= 0) {
        path = path.substring(0, at);
      }
    }
    return method + "." + resource(path);
  }

  /**
   * The resource (and subresource) of an API path: /api/v1/namespaces/n/events → events,
   * /apis/g/v/namespaces/n/agents/a/status → agents.status, /apis/g/v/clouds/c → clouds.
   */
  static String resource(String path) {
    List<String> s = new ArrayList<>(List.of(path.replaceAll("^/+|/+$", "").split("/+")));
    // Drop the group/version prefix: "api", v1 or "apis", group, version.
    int skip = !s.isEmpty() && "api".equals(s.get(0)) ? 2 : !s.isEmpty() && "apis".equals(s.get(0)) ? 3 : 0;
    s = s.subList(Math.min(skip, s.size()), s.size());
    if (s.size() >= 2 && "namespaces".equals(s.get(0))) {
      s = s.subList(2, s.size()); // namespaces/<name>/...; a bare namespaces/<name> leaves nothing
      if (s.isEmpty()) {
        return "namespaces";
      }
    }
    if (s.isEmpty()) {
      return "";
    }
    // <resource>[/<name>[/<subresource>]]
    return s.size() >= 3 ? s.get(0) + "." + s.get(2) : s.get(0);
  }
}
