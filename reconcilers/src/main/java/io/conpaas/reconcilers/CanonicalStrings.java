package io.conpaas.reconcilers;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentSpec;
import io.conpaas.api.v1alpha1.AgentStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Replaces, in an object an informer caches, the strings that repeat across objects and informers
 * (namespace, labels, owner references, finalizers, an Agent's role, kind, cloud, configuration and
 * condition reasons) by one canonical copy each. Every informer decodes its own copy of every
 * object, so without this each of the ~5 caches that hold all Agents kept its own copy of each
 * (hack/bench-scale.sh HEAP_HISTO: strings and their byte arrays were the largest part of the live
 * heap after managedFields). Unique values (name, uid, resourceVersion, times, fact values) are
 * left alone: canonicalising them would only cost. Strings are immutable, so sharing is safe; the
 * JVM's string table holds them weakly.
 */
final class CanonicalStrings {
  private CanonicalStrings() {}

  static <T extends HasMetadata> T canonicalise(T resource) {
    metadata(resource.getMetadata());
    if (resource instanceof Agent agent) {
      spec(agent.getSpec());
      status(agent.getStatus());
    }
    return resource;
  }

  private static void metadata(ObjectMeta m) {
    if (m == null) {
      return;
    }
    m.setNamespace(of(m.getNamespace()));
    m.setGenerateName(of(m.getGenerateName()));
    m.setLabels(linked(m.getLabels(), true));
    m.setAnnotations(linked(m.getAnnotations(), false));
    if (m.getFinalizers() != null) {
      m.getFinalizers().replaceAll(CanonicalStrings::of);
    }
    if (m.getOwnerReferences() != null) {
      for (OwnerReference o : m.getOwnerReferences()) {
        o.setApiVersion(of(o.getApiVersion()));
        o.setKind(of(o.getKind()));
        o.setName(of(o.getName()));
        o.setUid(of(o.getUid()));
      }
    }
  }

  private static void spec(AgentSpec s) {
    if (s == null) {
      return;
    }
    s.setRole(of(s.getRole()));
    s.setServiceKind(of(s.getServiceKind()));
    s.setCloud(of(s.getCloud()));
    s.setInstanceType(of(s.getInstanceType()));
    s.setCredentialsSecret(of(s.getCredentialsSecret()));
    // A role's configuration is the same on each of its agents.
    s.setConfig(sorted(s.getConfig(), true));
    if (s.getCodeVersions() != null) {
      s.getCodeVersions().replaceAll(CanonicalStrings::of);
    }
  }

  private static void status(AgentStatus s) {
    if (s == null) {
      return;
    }
    s.setAppliedConfigHash(of(s.getAppliedConfigHash()));
    s.setMessage(of(s.getMessage()));
    s.setCaFingerprint(of(s.getCaFingerprint()));
    s.setVpnPeersHash(of(s.getVpnPeersHash()));
    // Fact names repeat on every agent of a role; their values mostly do not.
    s.setFacts(sorted(s.getFacts(), false));
    if (s.getCodeVersions() != null) {
      s.getCodeVersions().replaceAll(CanonicalStrings::of);
    }
    List<Condition> conditions = s.getConditions();
    if (conditions != null) {
      for (Condition c : conditions) {
        c.setType(of(c.getType()));
        c.setStatus(of(c.getStatus()));
        c.setReason(of(c.getReason()));
        c.setMessage(of(c.getMessage()));
      }
    }
  }

  private static Map<String, String> linked(Map<String, String> map, boolean values) {
    if (map == null) {
      return null;
    }
    Map<String, String> copy = new LinkedHashMap<>();
    map.forEach((k, v) -> copy.put(of(k), values ? of(v) : v));
    return copy;
  }

  private static Map<String, String> sorted(Map<String, String> map, boolean values) {
    if (map == null) {
      return null;
    }
    Map<String, String> copy = new TreeMap<>();
    map.forEach((k, v) -> copy.put(of(k), values ? of(v) : v));
    return copy;
  }

  static String of(String s) {
    return s == null ? null : s.intern();
  }
}
