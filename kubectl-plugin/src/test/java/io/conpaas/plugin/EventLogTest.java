package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.MicroTime;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which events logs shows, and in which order. */
class EventLogTest {
  static final ServiceKind HELLO = ServiceKinds.standard().require("helloworld");

  @Test
  void selectsTheServiceAndItsAgentsOldestFirst() {
    List<Event> events = List.of(
        event("late", "HelloWorldService", "hw", "2030-01-01T10:05:00Z"),
        event("agent", "Agent", "hw-agents-0", "2030-01-01T10:01:00Z"),
        event("other", "HelloWorldService", "hw2", "2030-01-01T10:00:00Z"),
        event("sameName", "Agent", "hw", "2030-01-01T10:00:00Z"),
        event("early", "HelloWorldService", "hw", "2030-01-01T09:00:00Z"));

    assertThat(EventLog.select(events, HELLO, "hw", true, Set.of("hw-agents-0")))
        .extracting(e -> e.getMetadata().getName()).containsExactly("early", "agent", "late");
    assertThat(EventLog.select(events, HELLO, "hw", false, Set.of("hw-agents-0")))
        .extracting(e -> e.getMetadata().getName()).containsExactly("agent");
  }

  @Test
  void theTimeIsLastSeenElseEventTimeElseFirstSeenElseCreation() {
    Event e = new EventBuilder().withNewMetadata().withName("e").withCreationTimestamp("2030-01-01T00:00:04Z")
        .endMetadata().build();
    assertThat(EventLog.time(e)).isEqualTo("2030-01-01T00:00:04Z");
    e.setFirstTimestamp("2030-01-01T00:00:03Z");
    assertThat(EventLog.time(e)).isEqualTo("2030-01-01T00:00:03Z");
    e.setEventTime(new MicroTime("2030-01-01T00:00:02.000000Z"));
    assertThat(EventLog.time(e)).isEqualTo("2030-01-01T00:00:02.000000Z");
    e.setLastTimestamp("2030-01-01T00:00:01Z");
    assertThat(EventLog.time(e)).isEqualTo("2030-01-01T00:00:01Z");
  }

  @Test
  void agentNamesFollowServiceRoleIndex() {
    assertThat(EventLog.namedLikeAgentOf("hw-agents-12", HELLO, "hw")).isTrue();
    assertThat(EventLog.namedLikeAgentOf("hw-two-agents-0", HELLO, "hw")).isFalse();
    assertThat(EventLog.namedLikeAgentOf("hw-agents-agents-0", HELLO, "hw")).isFalse();
    assertThat(EventLog.namedLikeAgentOf("hw-proxy-0", HELLO, "hw")).isFalse();
    assertThat(EventLog.namedLikeAgentOf("hw-agents-x", HELLO, "hw")).isFalse();
  }

  private static Event event(String name, String kind, String object, String time) {
    return new EventBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewInvolvedObject().withKind(kind).withName(object).endInvolvedObject()
        .withLastTimestamp(time).build();
  }
}
