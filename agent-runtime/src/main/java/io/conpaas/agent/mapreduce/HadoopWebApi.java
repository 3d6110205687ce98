package io.conpaas.agent.mapreduce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the roles read from the NameNode's JMX servlet and the ResourceManager's REST API: bounded
 * in time (2 s connect, 5 s answer) and size (4 MiB).
 */
final class HadoopWebApi {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final int MAX_ANSWER = 4 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  /** The NameNode's DataNodes by transfer address (host:port) with their admin state, dead ones as "Dead". */
  Map<String, String> datanodes(String namenodeHttp) throws IOException {
    JsonNode bean = bean(namenodeHttp, "Hadoop:service=NameNode,name=NameNodeInfo");
    Map<String, String> states = new LinkedHashMap<>();
    JsonNode live = JSON.readTree(bean.path("LiveNodes").asText("{}"));
    live.fields().forEachRemaining(e -> states.put(e.getValue().path("xferaddr").asText(e.getKey()),
        e.getValue().path("adminState").asText("")));
    JsonNode dead = JSON.readTree(bean.path("DeadNodes").asText("{}"));
    dead.fields().forEachRemaining(e -> states.putIfAbsent(e.getValue().path("xferaddr").asText(e.getKey()), "Dead"));
    return states;
  }

  /** Whether the NameNode is active and out of safe mode (it takes writes). */
  boolean namenodeServes(String namenodeHttp) throws IOException {
    JsonNode bean = bean(namenodeHttp, "Hadoop:service=NameNode,name=NameNodeInfo");
    return bean.path("Safemode").asText("x").isEmpty();
  }

  /** Block counts from FSNamesystem: MissingBlocks, UnderReplicatedBlocks, ... */
  JsonNode fsNamesystem(String namenodeHttp) throws IOException {
    return bean(namenodeHttp, "Hadoop:service=NameNode,name=FSNamesystem");
  }

  /** The ResourceManager's RUNNING NodeManagers' ids (host:port). */
  Set<String> runningNodeManagers(String rmHttp) throws IOException {
    JsonNode nodes = get(rmHttp + "/ws/v1/cluster/nodes").path("nodes").path("node");
    Set<String> ids = new LinkedHashSet<>();
    nodes.forEach(n -> {
      if ("RUNNING".equals(n.path("state").asText())) {
        ids.add(n.path("id").asText());
      }
    });
    return ids;
  }

  /** Whether the ResourceManager has started (its cluster info says STARTED). */
  boolean resourceManagerServes(String rmHttp) throws IOException {
    return "STARTED".equals(get(rmHttp + "/ws/v1/cluster/info").path("clusterInfo").path("state").asText());
  }

  private JsonNode bean(String namenodeHttp, String query) throws IOException {
    JsonNode beans = get(namenodeHttp + "/jmx?qry=" + query).path("beans");
    if (!beans.isArray() || beans.isEmpty()) {
      throw new IOException("the NameNode has no bean " + query + " yet");
    }
    return beans.get(0);
  }

  private JsonNode get(String url) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
        .header("Accept", "application/json").GET().build();
    try {
      HttpResponse<InputStream> r = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = r.body()) {
        byte[] body = in.readNBytes(MAX_ANSWER);
        if (r.statusCode() / 100 != 2) {
          throw new IOException("GET " + url + ": HTTP " + r.statusCode());
        }
        return JSON.readTree(body);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
