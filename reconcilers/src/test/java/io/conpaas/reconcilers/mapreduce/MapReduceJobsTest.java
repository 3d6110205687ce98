package io.conpaas.reconcilers.mapreduce;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.agent.api.MapReduceRoleKeys;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentSpec;
import io.conpaas.api.v1alpha1.AgentStatus;
import io.conpaas.api.v1alpha1.CodeUploadSpec;
import io.conpaas.api.v1alpha1.MapReduceJobStatus;
import io.conpaas.api.v1alpha1.MapReduceServiceStatus;
import io.conpaas.api.v1alpha1.ServiceStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where MapReduce uploads go on the master, and status.jobs from the master's jobs fact. */
class MapReduceJobsTest {
  @Test
  void aJarGoesToTheJobsEndpointWithItsArgumentsAndDataToTheHdfsEndpoint() {
    CodeUploadSpec job = new CodeUploadSpec();
    job.setArgs(List.of("wordcount", "/in dir", "/out&x=1"));
    assertThat(MapReduceJobs.agentPath(job))
        .isEqualTo("/mapreduce/jobs?arg=wordcount&arg=%2Fin%20dir&arg=%2Fout%26x%3D1");
    assertThat(MapReduceJobs.agentPath(new CodeUploadSpec())).isEqualTo("/mapreduce/jobs");
    CodeUploadSpec data = new CodeUploadSpec();
    data.setHdfsPath("/in/words.txt");
    assertThat(MapReduceJobs.agentPath(data)).isEqualTo("/mapreduce/hdfs?path=%2Fin%2Fwords.txt");
  }

  @Test
  void statusJobsComeFromTheMastersFactAndStayWhileNoMasterReports() {
    Agent master = agent("master", Map.of(MapReduceRoleKeys.JOBS,
        "[{\"job\":\"job-1-aa\",\"state\":\"SUCCEEDED\",\"application\":\"application_1_0001\"},"
            + "{\"job\":\"job-2-bb\",\"state\":\"RUNNING\",\"application\":\"\"}]"));
    MapReduceServiceStatus s = MapReduceKind.withJobs(new ServiceStatus(), List.of(master, agent("workers",
        Map.of())), null);
    assertThat(s.getJobs()).extracting(MapReduceJobStatus::getId, MapReduceJobStatus::getState,
            MapReduceJobStatus::getApplication)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("job-1-aa", "SUCCEEDED", "application_1_0001"),
            org.assertj.core.groups.Tuple.tuple("job-2-bb", "RUNNING", null));

    MapReduceServiceStatus kept = MapReduceKind.withJobs(new ServiceStatus(), List.of(), s.getJobs());
    assertThat(kept.getJobs()).isEqualTo(s.getJobs());
    assertThat(MapReduceKind.jobs("not json")).isEmpty();
  }

  private static Agent agent(String role, Map<String, String> facts) {
    Agent a = new Agent();
    a.setMetadata(new ObjectMetaBuilder().withName("mr-" + role + "-0").build());
    AgentSpec spec = new AgentSpec();
    spec.setRole(role);
    a.setSpec(spec);
    AgentStatus st = new AgentStatus();
    st.setFacts(new java.util.TreeMap<>(facts));
    a.setStatus(st);
    return a;
  }
}
