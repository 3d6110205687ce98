package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** An HTC job (ConPaaS create_job/add/submit): bags of tasks, appended at any time. */
public class HtcJob {
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$")
  @JsonPropertyDescription("Job name (the manual's job_id).")
  private String name;

  @Size(max = 200)
  @JsonPropertyDescription("The job's bags in the order added: ConfigMap keys holding one task per line "
      + "(type workflow: 'NAME: COMMAND' or 'NAME after DEP,DEP: COMMAND'). Each is read once; append only.")
  private List<ConfigMapKeyRef> bags = new ArrayList<>();

  @JsonPropertyDescription("Submitted (manual submit): its tasks run on the current pools. Type online runs "
      + "every bag as soon as it is added, submitted or not.")
  private Boolean submitted;

  public HtcJob() {}

  public HtcJob(String name) {
    this.name = name;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public List<ConfigMapKeyRef> getBags() { return bags; }
  public void setBags(List<ConfigMapKeyRef> bags) { this.bags = bags; }
  public Boolean getSubmitted() { return submitted; }
  public void setSubmitted(Boolean submitted) { this.submitted = submitted; }

  /** Whether submitted is true (not a bean getter on purpose). */
  public boolean submitRequested() { return Boolean.TRUE.equals(submitted); }
}
