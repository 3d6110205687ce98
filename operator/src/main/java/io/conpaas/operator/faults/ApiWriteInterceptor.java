package io.conpaas.operator.faults;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.util.List;

/** A fabric8 HTTP interceptor that passes every non-GET request (a write) through the crash hooks. */
public final class ApiWriteInterceptor implements Interceptor {
  /** The name it is registered under in the client's interceptor chain. */
  public static final String NAME = "conpaas-crash-points";

  private final CrashHooks hooks;

  public ApiWriteInterceptor(CrashHooks hooks) {
    this.hooks = hooks;
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    if (isWrite(request)) {
      hooks.beforeWrite(WriteKind.API, describe(request));
    }
  }

  @Override
  public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    if (isWrite(request)) {
      hooks.afterWrite(WriteKind.API, describe(request) + " -> " + response.code());
    }
  }

  private static boolean isWrite(HttpRequest request) {
    String m = request.method();
    return m != null && !"GET".equalsIgnoreCase(m) && !"HEAD".equalsIgnoreCase(m) && !"OPTIONS".equalsIgnoreCase(m);
  }

  private static String describe(HttpRequest request) {
    return request.method() + " " + request.uri().getRawPath();
  }
}
