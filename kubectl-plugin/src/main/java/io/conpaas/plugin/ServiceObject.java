package io.conpaas.plugin;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conpaas.api.v1alpha1.CodeStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** One service object of a known kind, with reads of the fields every service kind shares and of its features. */
public record ServiceObject(ServiceKind kind, GenericKubernetesResource object) {
  /** The user a MySQL service's users connect as (manual 2.5.1), until status.mysql names one. */
  public static final String DATABASE_USER = "mysqladb";
  /** Reads status blocks into the API classes, ignoring fields a newer operator may add. */
  private static final ObjectMapper STATUS_READER =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public String name() {
    return object.getMetadata().getName();
  }

  public String namespace() {
    return object.getMetadata().getNamespace();
  }

  /** helloworldservice/NAME. */
  public String ref() {
    return kind.ref(name());
  }

  public String application() {
    return string("spec", "application");
  }

  /** status.state, or null before the operator has written a status. */
  public String state() {
    return string("status", "state");
  }

  public boolean stopped() {
    return Boolean.TRUE.equals(object.get("spec", "stopped"));
  }

  /** spec.ROLE.nodes, 0 when unset (as the operator reads it). */
  public int nodes(String role) {
    Object n = object.get("spec", role, "nodes");
    return n instanceof Number num ? num.intValue() : 0;
  }

  /** spec.ROLE.cloud, or null. */
  public String cloud(String role) {
    return string("spec", role, "cloud");
  }

  /** Ready agents of {@code role} from status.roles, 0 when not reported yet. */
  public int ready(String role) {
    Map<String, Object> r = roleStatus(role);
    return r != null && r.get("ready") instanceof Number n ? n.intValue() : 0;
  }

  /** Desired agents of {@code role} from status.roles, else from the spec. */
  public int desired(String role) {
    Map<String, Object> r = roleStatus(role);
    return r != null && r.get("desired") instanceof Number n ? n.intValue() : nodes(role);
  }

  /** Ready over desired per role, e.g. "agents 2/2" or "backend 2/2, proxy 1/1". */
  public String readyByRole() {
    return kind.roles().stream().map(r -> r + " " + ready(r) + "/" + desired(r)).collect(Collectors.joining(", "));
  }

  /** The first status.endpoints url, or null. */
  public String endpoint() {
    Object eps = object.get("status", "endpoints");
    if (eps instanceof List<?> list) {
      for (Object e : list) {
        if (e instanceof Map<?, ?> m && m.get("url") instanceof String url && !url.isBlank()) {
          return url;
        }
      }
    }
    return null;
  }

  /** status.code as the operator reported it; empty (no versions) before it has. */
  public CodeStatus code() {
    Object code = object.get("status", "code");
    CodeStatus c = code == null ? null : STATUS_READER.convertValue(code, CodeStatus.class);
    if (c == null) {
      c = new CodeStatus();
    }
    if (c.getVersions() == null) {
      c.setVersions(new ArrayList<>());
    }
    return c;
  }

  /** status.jobs of a MapReduce service (oldest first), empty before the operator reported any. */
  public List<io.conpaas.api.v1alpha1.MapReduceJobStatus> jobs() {
    Object jobs = object.get("status", "jobs");
    if (!(jobs instanceof List<?> list)) {
      return List.of();
    }
    return list.stream().map(j -> STATUS_READER.convertValue(j, io.conpaas.api.v1alpha1.MapReduceJobStatus.class))
        .toList();
  }

  /** spec.code.activeVersion (the version asked for), or null. */
  public String requestedVersion() {
    return string("spec", "code", "activeVersion");
  }

  /** spec.debug, false when unset (as the operator reads it). */
  public boolean debug() {
    return Boolean.TRUE.equals(object.get("spec", "debug"));
  }

  /**
   * The Secret holding a MySQL service's password: status.mysql.passwordSecret, else
   * spec.passwordSecretRef.name, else NAME-mysql (the operator's default).
   */
  public String passwordSecret() {
    String reported = string("status", "mysql", "passwordSecret");
    if (reported != null && !reported.isBlank()) {
      return reported;
    }
    String ref = string("spec", "passwordSecretRef", "name");
    return ref != null && !ref.isBlank() ? ref : name() + "-mysql";
  }

  /** status.mysql.user, else {@value #DATABASE_USER}. */
  public String databaseUser() {
    String user = string("status", "mysql", "user");
    return user == null || user.isBlank() ? DATABASE_USER : user;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> roleStatus(String role) {
    Object roles = object.get("status", "roles");
    if (roles instanceof List<?> list) {
      for (Object r : list) {
        if (r instanceof Map<?, ?> m && role.equals(m.get("role"))) {
          return (Map<String, Object>) m;
        }
      }
    }
    return null;
  }

  private String string(Object... path) {
    Object v = object.get(path);
    return v == null ? null : v.toString();
  }
}
