package io.conpaas.plugin;

import java.util.List;
import java.util.Map;

/**
 * The operator's answer to an SQL dump as upload-dump reports it: 2xx with {"statements": N}, or an
 * error ({"error": "line N: ...", "line": N, "applied": true|false}) and how much of the dump was
 * applied (a second line).
 */
record DumpResult(boolean ok, Long statements, String error, String extent) {
  static final String NOTHING_APPLIED = "nothing was applied";
  /** How the operator's own messages may already say that nothing was applied. */
  private static final List<String> NOTHING_SUFFIXES =
      List.of("; " + NOTHING_APPLIED, ", " + NOTHING_APPLIED, " (" + NOTHING_APPLIED + ")");

  /** Reads the operator's answer; a 413 (over the size cap) applied nothing. */
  static DumpResult of(ArchiveUpload.Answer answer) {
    Map<?, ?> json = answer.json();
    if (answer.successful()) {
      return new DumpResult(true, number(json, "statements"), null, null);
    }
    String error = answer.refusal();
    Long line = number(json, "line");
    if (line != null && !error.startsWith("line ")) {
      error = "line " + line + ": " + error;
    }
    Object applied = json == null ? null : json.get("applied");
    String extent = null;
    if (Boolean.TRUE.equals(applied)) {
      extent = line != null && line > 1 ? "statements before line " + line + " were applied"
          : "some statements were applied";
    } else if (Boolean.FALSE.equals(applied) || answer.code() == 413) {
      extent = NOTHING_APPLIED;
    }
    for (String suffix : NOTHING_SUFFIXES) {
      if (error.endsWith(suffix) && (extent == null || extent.equals(NOTHING_APPLIED))) {
        // Said once, on the line of its own.
        error = error.substring(0, error.length() - suffix.length());
        extent = NOTHING_APPLIED;
      }
    }
    return new DumpResult(false, null, error, extent);
  }

  /** The success line's detail, e.g. " (42 statements)", or "" when the operator gave no count. */
  String count() {
    return statements == null ? "" : " (" + statements + " statement" + (statements == 1 ? "" : "s") + ")";
  }

  private static Long number(Map<?, ?> json, String key) {
    return json != null && json.get(key) instanceof Number n ? n.longValue() : null;
  }
}
