package io.conpaas.plugin;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** Turns any failure into the one line the user sees on stderr, never a stack trace. */
public final class ErrorMessages {
  private ErrorMessages() {}

  /** The one-line description of {@code t}, without the leading "error: ". */
  public static String describe(Throwable t) {
    return describe(t, null);
  }

  /** Like {@link #describe(Throwable)}; {@code server} (may be null) is the API server's URL. */
  public static String describe(Throwable t, String server) {
    if (t instanceof CliException) {
      return oneLine(t.getMessage());
    }
    KubernetesClientException k = find(t, KubernetesClientException.class);
    if (k != null && k.getCode() > 0) {
      return describeHttp(k);
    }
    if (isNetworkFailure(t)) {
      return "cannot reach the API server" + (server == null ? "" : " at " + server) + ": " + networkDetail(t)
          + " (check --kubeconfig, --context or KUBECONFIG)";
    }
    if (k != null) {
      return "request to the API server failed: " + detail(t);
    }
    return oneLine(t.getClass().getSimpleName() + ": " + nonEmpty(t.getMessage(), "(no message)"));
  }

  /** The exit code for {@code t}: the CliException's own, else 1. */
  public static int exitCode(Throwable t) {
    return t instanceof CliException c ? c.exitCode() : 1;
  }

  private static String describeHttp(KubernetesClientException k) {
    Status status = k.getStatus();
    String server = status != null && status.getMessage() != null && !status.getMessage().isBlank()
        ? status.getMessage() : k.getMessage();
    String what = switch (k.getCode()) {
      case 400 -> "bad request";
      case 401 -> "unauthorized: the API server did not accept the credentials of your kubeconfig";
      case 403 -> "forbidden";
      case 404 -> "not found";
      case 409 -> "conflict";
      case 410 -> "gone";
      case 422 -> "invalid";
      case 429 -> "too many requests";
      default -> k.getCode() >= 500 ? "server error" : "request refused";
    };
    if (k.getCode() == 401) {
      return what;
    }
    return oneLine(what + " (HTTP " + k.getCode() + "): " + server);
  }

  /** {@code s} on one line: line breaks and runs of blanks become single spaces. */
  public static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").replaceAll("[ \\t]{2,}", " ").trim();
  }

  private static String nonEmpty(String s, String fallback) {
    return s == null || s.isBlank() ? fallback : s;
  }

  private static boolean isNetworkFailure(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof ConnectException || c instanceof UnknownHostException || c instanceof HttpTimeoutException
          || c instanceof SSLException || c instanceof UnresolvedAddressException || c instanceof TimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** What went wrong on the network, in words, even when the JDK's exceptions carry no message. */
  private static String networkDetail(Throwable t) {
    Throwable c;
    if ((c = find(t, UnknownHostException.class)) != null || find(t, UnresolvedAddressException.class) != null) {
      return "unknown host" + (c == null || c.getMessage() == null ? "" : " " + c.getMessage());
    }
    if (find(t, HttpTimeoutException.class) != null || find(t, TimeoutException.class) != null) {
      return "timed out";
    }
    if ((c = find(t, SSLException.class)) != null) {
      return "TLS failure: " + detail(c);
    }
    if ((c = find(t, ConnectException.class)) != null) {
      return c.getMessage() == null || c.getMessage().isBlank() ? "connection refused" : oneLine(c.getMessage());
    }
    return detail(t);
  }

  /** The deepest message in the chain (the most specific), else the root cause's class name. */
  private static String detail(Throwable t) {
    String message = null;
    Throwable root = t;
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c.getMessage() != null && !c.getMessage().isBlank() && !(c instanceof KubernetesClientException)) {
        message = c.getMessage();
      }
      root = c;
    }
    return oneLine(message != null ? message : root.getClass().getSimpleName());
  }

  private static <T extends Throwable> T find(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }
}
