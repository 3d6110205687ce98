package io.conpaas.reconcilers;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.AgentStatus;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A pass that leaves the status as it was writes nothing but keeps its reschedule; a changed status is patched. */
class UnchangedStatusTest {
  private static Agent running() {
    Agent agent = new Agent();
    AgentStatus st = new AgentStatus();
    st.setPhase(AgentPhase.Running);
    st.setMessage("agent answers on 127.0.0.1:5555");
    agent.setStatus(st);
    return agent;
  }

  @Test
  void anUnchangedStatusIsNotPatchedButStillRescheduled() {
    Agent agent = running();
    String before = UnchangedStatus.snapshot(agent.getStatus());
    agent.getStatus().setMessage("agent answers on 127.0.0.1:5555");
    UpdateControl<Agent> control = UnchangedStatus.skipIfUnchanged(before, agent.getStatus(),
        UpdateControl.patchStatus(agent).rescheduleAfter(Duration.ofSeconds(5)));
    assertThat(control.isNoUpdate()).isTrue();
    assertThat(control.getScheduleDelay()).contains(5000L);
  }

  @Test
  void aChangedStatusIsPatched() {
    Agent agent = running();
    String before = UnchangedStatus.snapshot(agent.getStatus());
    agent.getStatus().setUnreachableSince("2026-12-05T12:00:00Z");
    UpdateControl<Agent> control = UnchangedStatus.skipIfUnchanged(before, agent.getStatus(),
        UpdateControl.patchStatus(agent).rescheduleAfter(Duration.ofSeconds(1)));
    assertThat(control.isPatchStatus()).isTrue();
    assertThat(control.getScheduleDelay()).contains(1000L);
  }

  @Test
  void aFirstStatusIsPatched() {
    Agent agent = new Agent();
    String before = UnchangedStatus.snapshot(agent.getStatus());
    agent.setStatus(new AgentStatus());
    assertThat(UnchangedStatus.skipIfUnchanged(before, agent.getStatus(), UpdateControl.patchStatus(agent)).isPatchStatus())
        .isTrue();
  }
}
