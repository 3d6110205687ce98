package io.conpaas.agent.selenium;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/** Reads Grid 4's GET /status answers (pure): a node's own and the hub's list of nodes. */
final class GridStatus {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a node says of itself: its id, availability (UP, DRAINING, DOWN) and busy slots. */
  record NodeView(String id, String availability, int activeSessions) {}

  private GridStatus() {}

  /** A node's /status, empty when it is not one. */
  static Optional<NodeView> node(String body) throws IOException {
    JsonNode node = JSON.readTree(body).path("value").path("node");
    // A node calls its id nodeId; the hub's list calls it id.
    String id = node.hasNonNull("nodeId") ? node.get("nodeId").asText() : node.path("id").asText(null);
    if (id == null) {
      return Optional.empty();
    }
    int busy = 0;
    for (JsonNode slot : node.path("slots")) {
      if (slot.hasNonNull("session")) {
        busy++;
      }
    }
    return Optional.of(new NodeView(id, node.path("availability").asText(""), busy));
  }

  /** The ids of the nodes the hub's /status lists as UP (taking sessions). */
  static Set<String> upNodes(String body) throws IOException {
    Set<String> ids = new LinkedHashSet<>();
    for (JsonNode n : JSON.readTree(body).path("value").path("nodes")) {
      if ("UP".equals(n.path("availability").asText()) && n.hasNonNull("id")) {
        ids.add(n.get("id").asText());
      }
    }
    return ids;
  }
}
