package io.conpaas.plugin.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.KindRegistry;
import io.conpaas.api.v1alpha1.SecretRef;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code kubectl conpaas doctor} (ConPaaS's cpscheck): checks an installation through the API server, one
 * {@link Finding} per line. Reads only; never prints a Secret's content.
 */
public final class Doctor {
  /** The chart's labels on the operator Deployment. */
  static final String OPERATOR_LABEL = "app.kubernetes.io/name";
  static final String OPERATOR_LABEL_VALUE = "conpaas-operator";
  /** The chart's ValidatingAdmissionPolicy (and its binding) that authorizes code uploads. */
  static final String UPLOAD_POLICY = "conpaas-codeupload-authz";
  /** Where the plugin jar carries the CRDs it was built with (the chart's copies). */
  static final String BUNDLED_CRDS = "/conpaas-crds/";
  private static final String APPLY_CRDS = "kubectl apply --server-side -f helm/conpaas/crds/ of the release that "
      + "matches kubectl-conpaas %s (or helm upgrade the chart; Helm does not upgrade CRDs by itself)";

  private final KubernetesClient client;
  private final DoctorSettings settings;
  private final Clock clock;

  public Doctor(KubernetesClient client, DoctorSettings settings, Clock clock) {
    this.client = client;
    this.settings = settings;
    this.clock = clock;
  }

  /** Every check, in the order the table shows them. */
  public List<Finding> run() {
    List<Finding> findings = new ArrayList<>();
    Duration skew;
    Finding clock;
    try {
      Instant sent = this.clock.instant();
      HttpResponse<String> r = client.getHttpClient().sendAsync(client.getHttpClient().newHttpRequestBuilder()
          .uri(client.getMasterUrl().toString().replaceAll("/$", "") + "/version").build(), String.class)
          .get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
      Instant received = this.clock.instant();
      String date = r.header("Date");
      if (date == null) {
        skew = Duration.ZERO;
        clock = Finding.warn("clock skew", "the API server sent no Date header", "");
      } else {
        skew = ClockSkew.of(date, sent, received);
        clock = ClockSkew.judge(skew, settings.maxSkew(), Duration.between(sent, received));
      }
    } catch (ExecutionException | TimeoutException e) {
      findings.add(Finding.fail("API server", "unreachable at " + client.getMasterUrl() + ": "
          + (e.getCause() == null ? e : e.getCause()), "check the kubeconfig (--kubeconfig, --context) and the network"));
      return findings;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    findings.addAll(crds());
    findings.add(operator(clock().instant().plus(skew)));
    List<Cloud> clouds = clouds(findings);
    for (Cloud c : clouds) {
      findings.add(cloudReady(c));
    }
    for (Cloud c : clouds) {
      credentials(c).ifPresent(findings::add);
    }
    findings.add(uploadPolicy());
    findings.add(clock);
    return findings;
  }

  private Clock clock() {
    return clock;
  }

  /** Every CRD the plugin knows is installed and serves the schema the plugin was built with. */
  List<Finding> crds() {
    List<Finding> out = new ArrayList<>();
    int matching = 0;
    String fix = String.format(APPLY_CRDS, settings.pluginVersion());
    for (Class<? extends HasMetadata> kind : KindRegistry.allResources()) {
      String name = HasMetadata.getPlural(kind) + "." + HasMetadata.getGroup(kind);
      CustomResourceDefinition installed;
      try {
        installed = client.apiextensions().v1().customResourceDefinitions().withName(name).get();
      } catch (KubernetesClientException e) {
        if (e.getCode() == 403) {
          return List.of(Finding.warn("CRDs", "not allowed to read CustomResourceDefinitions", "ask an administrator "
              + "to run kubectl conpaas doctor"));
        }
        throw e;
      }
      if (installed == null) {
        out.add(Finding.fail("CRD " + name, "not installed", fix));
        continue;
      }
      Optional<String> difference = difference(bundled(name), installed);
      if (difference.isPresent()) {
        out.add(Finding.fail("CRD " + name, difference.get() + " (plugin " + settings.pluginVersion() + ")", fix));
      } else {
        matching++;
      }
    }
    if (out.isEmpty()) {
      out.add(Finding.ok("CRDs", matching + " installed, as in plugin " + settings.pluginVersion()));
    }
    return out;
  }

  private static CustomResourceDefinition bundled(String name) {
    try (InputStream in = Doctor.class.getResourceAsStream(BUNDLED_CRDS + name + "-v1.yml")) {
      if (in == null) {
        throw new IllegalStateException("the plugin jar lacks " + BUNDLED_CRDS + name + "-v1.yml");
      }
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What differs between the plugin's CRD and the installed one (versions and their schemas), if anything. */
  static Optional<String> difference(CustomResourceDefinition expected, CustomResourceDefinition installed) {
    for (CustomResourceDefinitionVersion want : expected.getSpec().getVersions()) {
      Optional<CustomResourceDefinitionVersion> have = installed.getSpec().getVersions().stream()
          .filter(v -> v.getName().equals(want.getName())).findFirst();
      if (have.isEmpty() || !Boolean.TRUE.equals(have.get().getServed())) {
        return Optional.of("does not serve version " + want.getName());
      }
      JsonNode a = Serialization.jsonMapper().valueToTree(want.getSchema());
      JsonNode b = Serialization.jsonMapper().valueToTree(have.get().getSchema());
      if (!a.equals(b)) {
        return Optional.of("schema of " + want.getName() + " differs from the plugin's (an older or newer release)");
      }
    }
    return Optional.empty();
  }

  /** The operator: its Deployment has a ready replica, or (without one) its Lease is held and fresh. */
  Finding operator(Instant serverNow) {
    String ns = settings.operatorNamespace();
    String install = "install or start it: helm install conpaas helm/conpaas -n " + ns
        + " (or run the operator jar with CONPAAS_LEADER_ELECTION=true so that its Lease shows it)";
    List<Deployment> deployments = client.apps().deployments().inNamespace(ns)
        .withLabel(OPERATOR_LABEL, OPERATOR_LABEL_VALUE).list().getItems();
    if (!deployments.isEmpty()) {
      Deployment d = deployments.get(0);
      int ready = d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0
          : d.getStatus().getReadyReplicas();
      int want = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
      String seen = "Deployment " + ns + "/" + d.getMetadata().getName() + ": " + ready + "/" + want + " ready";
      return ready > 0 ? Finding.ok("operator", seen) : Finding.fail("operator", seen,
          "kubectl -n " + ns + " describe deployment " + d.getMetadata().getName() + "; kubectl -n " + ns
              + " logs deployment/" + d.getMetadata().getName());
    }
    Lease lease = client.resources(Lease.class).inNamespace(ns).withName(settings.leaseName()).get();
    if (lease == null) {
      return Finding.fail("operator", "no Deployment labelled " + OPERATOR_LABEL + "=" + OPERATOR_LABEL_VALUE
          + " and no Lease " + settings.leaseName() + " in namespace " + ns, install);
    }
    return LeaseHealth.judge(ns + "/" + settings.leaseName(), lease.getSpec().getHolderIdentity(),
        lease.getSpec().getRenewTime() == null ? null : lease.getSpec().getRenewTime().toInstant(),
        lease.getSpec().getLeaseDurationSeconds(), serverNow);
  }

  private List<Cloud> clouds(List<Finding> findings) {
    List<Cloud> all;
    try {
      all = client.resources(Cloud.class).list().getItems();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        findings.add(Finding.warn("Clouds", "not allowed to list Clouds", "ask an administrator to run the doctor"));
        return List.of();
      }
      throw e;
    }
    if (!settings.clouds().isEmpty()) {
      for (String name : settings.clouds()) {
        if (all.stream().noneMatch(c -> c.getMetadata().getName().equals(name))) {
          findings.add(Finding.fail("Cloud " + name, "not found", "kubectl get clouds"));
        }
      }
      all = all.stream().filter(c -> settings.clouds().contains(c.getMetadata().getName())).toList();
    } else if (all.isEmpty()) {
      findings.add(Finding.warn("Clouds", "none: services cannot start agents",
          "create one, e.g. kubectl apply -f examples/local-cloud.yaml"));
    }
    return all.stream().sorted(java.util.Comparator.comparing(c -> c.getMetadata().getName())).toList();
  }

  /** A Cloud's Ready condition as the operator last wrote it, with its reason when not Ready. */
  Finding cloudReady(Cloud c) {
    String name = c.getMetadata().getName();
    String check = "Cloud " + name;
    Optional<Condition> ready = c.getStatus() == null || c.getStatus().getConditions() == null ? Optional.empty()
        : c.getStatus().getConditions().stream().filter(x -> "Ready".equals(x.getType())).findFirst();
    if (ready.isEmpty()) {
      return Finding.fail(check, "not checked by the operator yet", "is the operator running (see its line)?");
    }
    Condition r = ready.get();
    if ("True".equals(r.getStatus())) {
      return Finding.ok(check, "Ready: " + Objects.requireNonNullElse(r.getMessage(), ""));
    }
    String reason = Objects.requireNonNullElse(r.getReason(), "NotReady");
    String fix = reason.startsWith("Credentials")
        ? "put the provider's keys into the Cloud's credentials Secret (ec2: accessKeyId, secretAccessKey; "
            + "opennebula: username, password)"
        : "kubectl describe cloud " + name + " (fix spec." + c.getSpec().getProvider() + " or the cloud's side)";
    return Finding.fail(check, "not Ready: " + reason + ": " + Objects.requireNonNullElse(r.getMessage(), ""), fix);
  }

  /** The credentials Secret a Cloud names exists (read for existence only). */
  Optional<Finding> credentials(Cloud c) {
    SecretRef ref = c.getSpec() == null ? null : c.getSpec().getCredentialsSecretRef();
    if (ref == null || ref.getName() == null) {
      return Optional.empty();
    }
    String ns = ref.getNamespace() == null || ref.getNamespace().isBlank() ? settings.operatorNamespace()
        : ref.getNamespace();
    String check = "credentials of Cloud " + c.getMetadata().getName();
    String secret = "Secret " + ns + "/" + ref.getName();
    try {
      if (client.secrets().inNamespace(ns).withName(ref.getName()).get() == null) {
        return Optional.of(Finding.fail(check, secret + " not found", "kubectl -n " + ns + " create secret generic "
            + ref.getName() + " --from-literal=KEY=VALUE ... (ec2: accessKeyId, secretAccessKey; opennebula: "
            + "username, password)"));
      }
      return Optional.of(Finding.ok(check, secret + " present"));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        return Optional.of(Finding.warn(check, "not allowed to read " + secret, "ask an administrator"));
      }
      throw e;
    }
  }

  /** The ValidatingAdmissionPolicy that authorizes uploads, and its binding, exist. */
  Finding uploadPolicy() {
    String fix = "install the chart (or kubectl apply --server-side -f helm/conpaas/templates/codeupload-policy.yaml);"
        + " without it the operator refuses every upload";
    try {
      GenericKubernetesResource policy = client.genericKubernetesResources("admissionregistration.k8s.io/v1",
          "ValidatingAdmissionPolicy").withName(UPLOAD_POLICY).get();
      GenericKubernetesResource binding = client.genericKubernetesResources("admissionregistration.k8s.io/v1",
          "ValidatingAdmissionPolicyBinding").withName(UPLOAD_POLICY).get();
      if (policy == null || binding == null) {
        return Finding.fail("upload policy", (policy == null ? "ValidatingAdmissionPolicy " : "its binding ")
            + UPLOAD_POLICY + " not found", fix);
      }
      return Finding.ok("upload policy", "ValidatingAdmissionPolicy and binding " + UPLOAD_POLICY + " present");
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        return Finding.warn("upload policy", "not allowed to read admission policies", "ask an administrator");
      }
      throw e;
    }
  }
}
