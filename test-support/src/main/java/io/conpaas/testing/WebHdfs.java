package io.conpaas.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A test's HDFS client over the NameNode's HTTP port (WebHDFS and JMX), so tests need no Hadoop
 * jars: writes follow the NameNode's redirect to a DataNode by hand, with the content. namenode is the web UI's base URL (http://host:port/).
 */
public final class WebHdfs {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(20)).followRedirects(HttpClient.Redirect.NORMAL).build();
  // CREATE's first step must not follow the NameNode's 307: the JDK client would PUT an empty body there.
  private static final HttpClient NO_REDIRECT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(20)).build();
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private final String namenode;

  public WebHdfs(String namenode) {
    this.namenode = namenode.endsWith("/") ? namenode.substring(0, namenode.length() - 1) : namenode;
  }

  /** Writes content to path (overwriting), as user. */
  public void create(String path, byte[] content, String user) throws IOException, InterruptedException {
    HttpResponse<String> first = NO_REDIRECT.send(HttpRequest.newBuilder(uri(path, "CREATE", "&overwrite=true&user.name="
        + user)).timeout(TIMEOUT).PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    if (first.statusCode() != 307) {
      throw new IOException("CREATE " + path + ": HTTP " + first.statusCode() + " " + first.body());
    }
    String location = first.headers().firstValue("Location").orElseThrow();
    HttpResponse<String> put = NO_REDIRECT.send(HttpRequest.newBuilder(URI.create(location)).timeout(TIMEOUT)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.ofString());
    if (put.statusCode() != 201) {
      throw new IOException("CREATE " + path + " at " + location + ": HTTP " + put.statusCode() + " " + put.body());
    }
  }

  /** The content of path. */
  public byte[] open(String path) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(uri(path, "OPEN", "")).timeout(TIMEOUT).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IOException("OPEN " + path + ": HTTP " + r.statusCode());
    }
    return r.body();
  }

  /** Names in directory path. */
  public List<String> list(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri(path, "LISTSTATUS", "")).timeout(TIMEOUT).GET()
        .build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("LISTSTATUS " + path + ": HTTP " + r.statusCode() + " " + r.body());
    }
    List<String> names = new ArrayList<>();
    JSON.readTree(r.body()).path("FileStatuses").path("FileStatus").forEach(s -> names.add(s.path("pathSuffix").asText()));
    return names;
  }

  /** The NameNode's FSNamesystem bean (MissingBlocks, UnderReplicatedBlocks, BlocksTotal, ...). */
  public JsonNode fsNamesystem() throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(namenode
        + "/jmx?qry=Hadoop:service=NameNode,name=FSNamesystem")).timeout(TIMEOUT).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body()).path("beans").get(0);
  }

  /** The NameNode's live DataNodes by transfer address, with their admin state ("In Service", "Decommissioned", ...). */
  public Map<String, String> datanodes() throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(namenode
        + "/jmx?qry=Hadoop:service=NameNode,name=NameNodeInfo")).timeout(TIMEOUT).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    Map<String, String> states = new TreeMap<>();
    JSON.readTree(JSON.readTree(r.body()).path("beans").get(0).path("LiveNodes").asText("{}")).fields()
        .forEachRemaining(e -> states.put(e.getValue().path("xferaddr").asText(e.getKey()),
            e.getValue().path("adminState").asText("")));
    return states;
  }

  private URI uri(String path, String op, String extra) {
    String encoded = URLEncoder.encode(path, StandardCharsets.UTF_8).replace("%2F", "/");
    return URI.create(namenode + "/webhdfs/v1" + encoded + "?op=" + op + extra);
  }
}
