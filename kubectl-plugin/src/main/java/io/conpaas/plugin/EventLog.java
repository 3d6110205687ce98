package io.conpaas.plugin;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectReference;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Picks the Events of a service and of its Agents, oldest first. */
public final class EventLog {
  private EventLog() {}

  /**
   * The events about service {@code name} of {@code kind} (when {@code withService}) and about the
   * Agents named in {@code agents}, ordered by {@link #time} (oldest first), then by name.
   */
  public static List<Event> select(Collection<Event> events, ServiceKind kind, String name,
      boolean withService, Collection<String> agents) {
    return events.stream()
        .filter(e -> {
          ObjectReference o = e.getInvolvedObject();
          if (o == null || o.getName() == null) {
            return false;
          }
          return withService && kind.kind().equals(o.getKind()) && name.equals(o.getName())
              || "Agent".equals(o.getKind()) && agents.contains(o.getName());
        })
        .sorted(Comparator.comparing(EventLog::instant).thenComparing(e -> e.getMetadata().getName()))
        .toList();
  }

  /**
   * True when {@code agent} is named like an Agent of the service ({@code SERVICE-ROLE-INDEX}):
   * so the events of agents that are already gone still show.
   */
  public static boolean namedLikeAgentOf(String agent, ServiceKind kind, String service) {
    return kind.roles().stream()
        .anyMatch(r -> agent.matches(Pattern.quote(service + "-" + r + "-") + "\\d+"));
  }

  /** When the event last happened: lastTimestamp, else eventTime, firstTimestamp, creation. */
  public static String time(Event e) {
    return Stream.of(e.getLastTimestamp(), e.getEventTime() == null ? null : e.getEventTime().getTime(),
            e.getFirstTimestamp(), e.getMetadata() == null ? null : e.getMetadata().getCreationTimestamp())
        .filter(Objects::nonNull).filter(s -> !s.isBlank()).findFirst().orElse(null);
  }

  private static Instant instant(Event e) {
    String t = time(e);
    try {
      return t == null ? Instant.EPOCH : Instant.parse(t);
    } catch (DateTimeParseException ex) {
      return Instant.EPOCH;
    }
  }
}
