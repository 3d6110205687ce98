package io.conpaas.plugin.dashboard;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * An action's failure as the page shows it next to the action: an HTTP status and one message,
 * the API server's own words when it refused ("Not allowed: ..." for RBAC refusals).
 */
public final class ActionError extends RuntimeException {
  private static final int MAX_MESSAGE = 2000;
  private final int status;

  public ActionError(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }

  /** The error the page shows for any failure of a call. */
  public static ActionError of(Throwable t) {
    if (t instanceof ActionError a) {
      return a;
    }
    if (t instanceof KubernetesClientException k) {
      Status s = k.getStatus();
      String message = s != null && s.getMessage() != null && !s.getMessage().isBlank() ? s.getMessage()
          : k.getMessage();
      int code = k.getCode() > 0 ? k.getCode() : 502;
      if (code == 403) {
        return new ActionError(403, "Not allowed: " + trim(message));
      }
      if (code == 401) {
        return new ActionError(401, "The API server did not accept your credentials: " + trim(message));
      }
      return new ActionError(code, trim(message));
    }
    if (t instanceof io.conpaas.plugin.CliException c) {
      return new ActionError(400, trim(c.getMessage())); // the plugin's one-line messages, e.g. of an upload
    }
    if (t instanceof IllegalArgumentException || t instanceof NumberFormatException) {
      return new ActionError(400, trim(t.getMessage()));
    }
    String m = t.getMessage();
    return new ActionError(500, trim(t.getClass().getSimpleName() + (m == null ? "" : ": " + m)));
  }

  private static String trim(String m) {
    String one = m == null ? "" : m.replaceAll("\\s+", " ").trim();
    return one.length() > MAX_MESSAGE ? one.substring(0, MAX_MESSAGE) + "..." : one;
  }
}
