package io.conpaas.iaas.opennebula;

import io.conpaas.iaas.CloudException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A small XML-RPC client for OpenNebula's API over the JDK HttpClient.
 *
 * <p>Every OpenNebula method takes the session string ("username:password") first and answers
 * with an array [success, result or error message, error code, ...]; {@link #call} returns the
 * result of a successful answer and throws a {@link OneCallException} otherwise. The session is
 * never logged nor put into an exception message (it is scrubbed from server text as well).
 */
public final class OneXmlRpcClient {
  /** A VM pool answer carries whole VM documents; this bounds what a broken server can make us hold. */
  static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

  private final URI endpoint;
  private final String where;
  private final HttpClient http;
  private final Duration timeout;

  public OneXmlRpcClient(URI endpoint, Duration timeout) {
    this(endpoint, HttpClient.newBuilder()
        .connectTimeout(timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER)
        .build(), timeout);
  }

  /** With a caller-built HttpClient, e.g. one whose SSLContext trusts a private CA. */
  public OneXmlRpcClient(URI endpoint, HttpClient http, Duration timeout) {
    String scheme = endpoint.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme) || endpoint.getHost() == null) {
      throw new IllegalArgumentException("OpenNebula endpoint must be http(s)://...: " + redact(endpoint));
    }
    this.endpoint = endpoint;
    this.where = redact(endpoint);
    this.http = http;
    this.timeout = timeout;
  }

  /** The endpoint without user info, query or fragment: safe for messages. */
  static String redact(URI uri) {
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
        + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }

  /**
   * Calls a method with the session first and then the given parameters (String, Integer or
   * Boolean); returns the result of a successful answer: a String, Integer or Boolean.
   */
  public Object call(String method, String session, Object... params) {
    List<Object> all = new ArrayList<>(params.length + 1);
    all.add(session);
    all.addAll(Arrays.asList(params));
    byte[] body = XmlRpcCodec.encodeCall(method, all);
    HttpRequest request = HttpRequest.newBuilder(endpoint)
        .timeout(timeout)
        .header("Content-Type", "text/xml; charset=UTF-8")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    HttpResponse<byte[]> response;
    byte[] answer;
    // request.timeout bounds the wait for the answer's headers only; the whole call, body
    // included, ends at twice that (a server trickling its answer cannot hold a reconcile).
    Duration total = timeout.multipliedBy(2);
    CompletableFuture<HttpResponse<byte[]>> call = http.sendAsync(request, info -> new CappedBody(MAX_RESPONSE_BYTES));
    try {
      response = call.get(total.toMillis(), TimeUnit.MILLISECONDS);
      answer = response.body();
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new CloudException("EndpointTimeout", method + ": OpenNebula at " + where + " did not answer within "
          + total.toSeconds() + " s", true, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof TooLargeException) {
        throw badResponse(method, "the answer exceeds " + MAX_RESPONSE_BYTES + " bytes");
      }
      throw new CloudException("EndpointUnreachable", method + ": cannot reach OpenNebula at " + where + ": "
          + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " " + scrub(cause.getMessage(), session)),
          true, cause);
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new CloudException("Interrupted", method + ": interrupted while calling OpenNebula", true, e);
    }
    int status = response.statusCode();
    if (status != 200) {
      boolean transientStatus = status >= 500 || status == 429 || status == 408;
      // 429 is throttling (a front proxy's rate limit): its own reason, so callers retry soon, not with a long backoff.
      throw new CloudException(status == 429 ? "Http429" : "EndpointError", method + ": OpenNebula at " + where + " answered HTTP " + status,
          transientStatus);
    }
    return result(method, session, answer);
  }

  /** A call whose successful result is a string (the XML documents of the info methods). */
  public String callForString(String method, String session, Object... params) {
    Object r = call(method, session, params);
    if (r instanceof String s) {
      return s;
    }
    throw badResponse(method, "expected a string result, got " + typeOf(r));
  }

  /** A call whose successful result is an int (the ids of allocate, instantiate and action). */
  public int callForInt(String method, String session, Object... params) {
    Object r = call(method, session, params);
    if (r instanceof Integer i) {
      return i;
    }
    throw badResponse(method, "expected an int result, got " + typeOf(r));
  }

  private Object result(String method, String session, byte[] answer) {
    XmlRpcCodec.Response response;
    try {
      response = XmlRpcCodec.decodeResponse(answer);
    } catch (SafeXml.RejectedXmlException | XmlRpcCodec.MalformedResponseException e) {
      throw badResponse(method, scrub(e.getMessage(), session));
    }
    if (response.fault()) {
      throw OneCallException.fault(method, response.faultCode(), scrub(response.faultString(), session));
    }
    if (!(response.value() instanceof List<?> items) || items.size() < 2 || !(items.get(0) instanceof Boolean ok)) {
      throw badResponse(method, "expected an array [success, result, error code, ...]");
    }
    if (ok) {
      return items.get(1);
    }
    int code = items.size() > 2 && items.get(2) instanceof Integer c ? c : -1;
    String message = items.get(1) == null ? "" : items.get(1).toString();
    throw OneCallException.failure(method, code, scrub(message, session));
  }

  private CloudException badResponse(String method, String why) {
    return new CloudException("BadResponse", method + ": unusable answer from OpenNebula at " + where + ": " + why,
        false);
  }

  private static final class TooLargeException extends IOException {}

  /** Collects an answer body, failing (and cancelling the exchange) as soon as it passes max bytes. */
  private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final int max;
    private Flow.Subscription subscription;

    CappedBody(int max) {
      this.max = max;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer b : items) {
        if (bytes.size() + (long) b.remaining() > max) {
          subscription.cancel();
          result.completeExceptionally(new TooLargeException());
          return;
        }
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        bytes.write(chunk, 0, chunk.length);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(bytes.toByteArray());
    }
  }

  /** Server text with any trace of the session (or its password part) blanked out. */
  static String scrub(String text, String session) {
    if (text == null || session == null || session.isEmpty()) {
      return text;
    }
    String result = text.replace(session, "***");
    int colon = session.indexOf(':');
    if (colon >= 0 && colon < session.length() - 1) {
      result = result.replace(session.substring(colon + 1), "***");
    }
    return result;
  }

  private static String typeOf(Object o) {
    return o == null ? "nil" : o.getClass().getSimpleName();
  }
}
