package io.conpaas.agent.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The JSON mapper both sides of the agent API use. */
public final class AgentJson {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private AgentJson() {}

  /** A shared, thread-safe mapper (ObjectMapper is safe once configured). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
