package io.conpaas.agent.code;

import io.conpaas.agent.api.RequestBodies;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.conpaas.agent.JsonExchange;
import io.conpaas.agent.api.AgentJson;
import io.conpaas.agent.api.AgentPaths;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** The agent endpoints of {@link CodeVersions}: upload, list, activate (see {@link AgentPaths#CODE_VERSIONS}). */
public final class CodeEndpoints {

  private final CodeVersions versions;
  private final Consumer<String> activator;

  /** activator switches the role to a version (activates it in versions and reloads its servers). */
  public CodeEndpoints(CodeVersions versions, Consumer<String> activator) {
    this.versions = versions;
    this.activator = activator;
  }

  /** The handlers by path, for RolePlugin.endpoints(). */
  public Map<String, HttpHandler> handlers() {
    return Map.of(AgentPaths.CODE_VERSIONS, rejectionsAnswered(this::versions),
        AgentPaths.CODE_ACTIVE, rejectionsAnswered(this::active));
  }

  private void versions(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String method = ex.getRequestMethod();
    if (path.equals(AgentPaths.CODE_VERSIONS) || path.equals(AgentPaths.CODE_VERSIONS + "/")) {
      if (!"GET".equals(method)) {
        JsonExchange.error(ex, 405, "use GET to list, PUT " + AgentPaths.CODE_VERSIONS + "/<version> to upload");
        return;
      }
      JsonExchange.respond(ex, 200, listing());
      return;
    }
    if (!"PUT".equals(method)) {
      JsonExchange.error(ex, 405, "use PUT with the archive as the body");
      return;
    }
    String version = path.substring(AgentPaths.CODE_VERSIONS.length() + 1);
    long declared = parseLength(ex.getRequestHeaders().getFirst("Content-Length"));
    CodeVersion v;
    try (InputStream body = ex.getRequestBody()) {
      try {
        v = versions.upload(version, body, declared);
      } catch (UploadRejected e) {
        RequestBodies.drain(body, RequestBodies.DRAIN_LIMIT);
        throw e;
      }
    }
    JsonExchange.respond(ex, 201, v);
  }

  private void active(HttpExchange ex) throws IOException {
    if ("GET".equals(ex.getRequestMethod())) {
      JsonExchange.respond(ex, 200, Map.of("active", versions.active().orElse("")));
      return;
    }
    if (!"PUT".equals(ex.getRequestMethod())) {
      JsonExchange.error(ex, 405, "use PUT {\"version\": ...}");
      return;
    }
    JsonNode body;
    try (InputStream in = ex.getRequestBody()) {
      body = AgentJson.mapper().readTree(in.readNBytes(4096));
    } catch (IOException e) {
      JsonExchange.error(ex, 400, "body is not JSON: " + e.getMessage());
      return;
    }
    JsonNode version = body == null ? null : body.get("version");
    if (version == null || !version.isTextual()) {
      JsonExchange.error(ex, 400, "body must be {\"version\": \"<name>\"}");
      return;
    }
    activator.accept(version.asText());
    JsonExchange.respond(ex, 200, listing());
  }

  private Map<String, Object> listing() {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("active", versions.active().orElse(""));
    answer.put("versions", versions.list());
    return answer;
  }


  private static long parseLength(String header) {
    try {
      return header == null ? -1 : Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static HttpHandler rejectionsAnswered(HttpHandler handler) {
    return ex -> {
      try {
        handler.handle(ex);
      } catch (UploadRejected e) {
        JsonExchange.error(ex, e.status(), e.getMessage());
      }
    };
  }
}
