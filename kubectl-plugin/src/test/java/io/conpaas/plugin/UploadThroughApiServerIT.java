package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.CodeUpload;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * upload-code when the operator runs in the cluster and answers with a path on the API server (its
 * Service proxy): the archive goes through the API server with the kubeconfig's credentials (and
 * impersonation), the token in its own header. The "operator" is the test's server behind a Service
 * whose Endpoints name a Pod with the host's address (the API server proxies to no loopback address).
 */
class UploadThroughApiServerIT {
  static final String SERVICE = "conpaas-upload";
  static KubernetesClient client;
  static String ns;
  static FakeUploadOperator operator;

  @TempDir
  Path dir;

  @BeforeAll
  static void operatorBehindAServiceProxy() throws IOException {
    Optional<InetAddress> address = hostAddress();
    Assumptions.assumeTrue(address.isPresent(), "no non-loopback IPv4 address for the API server to proxy to");
    client = DevCluster.client();
    ns = TestNamespace.create(client, "plugin-proxy");
    operator = new FakeUploadOperator(client, ns, address.get());
    operator.urlBase("/api/v1/namespaces/" + ns + "/services/" + SERVICE + ":http/proxy");
    String ip = address.get().getHostAddress();
    // The dev cluster's ServiceAccount controller creates the namespace's default ServiceAccount (the Pod
    // needs it); no node runs Pods there, so the Pod's address and the Endpoints (of a Service without a
    // selector) are ours to write.
    client.serviceAccounts().inNamespace(ns).withName("default")
        .waitUntilCondition(java.util.Objects::nonNull, 60, java.util.concurrent.TimeUnit.SECONDS);
    client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName("operator").endMetadata()
        .withNewSpec().withAutomountServiceAccountToken(false).addNewContainer().withName("operator")
        .withImage("conpaas/operator").endContainer().endSpec().build()).create();
    client.pods().inNamespace(ns).withName("operator").editStatus(p -> {
      p.setStatus(new PodStatusBuilder().withPhase("Running").withPodIP(ip).withPodIPs(new PodIP(ip)).build());
      return p;
    });
    client.services().inNamespace(ns).resource(new ServiceBuilder().withNewMetadata().withName(SERVICE).endMetadata()
        .withNewSpec().addNewPort().withName("http").withPort(80).withNewTargetPort(operator.port()).endPort()
        .endSpec().build()).create();
    client.endpoints().inNamespace(ns).resource(new EndpointsBuilder().withNewMetadata().withName(SERVICE)
        .endMetadata().addNewSubset().addNewAddress().withIp(ip).withNewTargetRef().withKind("Pod")
        .withName("operator").withNamespace(ns).endTargetRef().endAddress()
        .addNewPort().withName("http").withPort(operator.port()).endPort().endSubset().build()).create();
    uploader("uploader", true);
    uploader("no-proxy", false);
  }

  @AfterAll
  static void cleanUp() {
    if (client != null) {
      operator.close();
      client.rbac().roleBindings().inNamespace(ns).delete();
      client.rbac().roles().inNamespace(ns).delete();
      client.endpoints().inNamespace(ns).delete();
      client.services().inNamespace(ns).delete();
      client.pods().inNamespace(ns).withGracePeriod(0).delete();
      TestObjects.cleanUp(client, ns);
    }
  }

  @BeforeEach
  void answerReady() {
    operator.reset();
    operator.urlBase("/api/v1/namespaces/" + ns + "/services/" + SERVICE + ":http/proxy");
  }

  @Test
  void theArchiveGoesThroughTheApiServerWithTheTokenInItsOwnHeader() throws IOException {
    TestObjects.webService(client, ns, "JavaService", "api", null);
    byte[] bytes = UploadCodeIT.randomBytes(200_000);
    Path file = Files.write(dir.resolve("app.war"), bytes);

    Plugin.Result r = Plugin.run("-n", ns, "upload-code", "api", file.toString(), "--activate");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("javaservice/api: uploaded version v1 (200000 bytes, sha256 "
        + UploadCodeIT.sha256(bytes).substring(0, 12) + "...)\njavaservice/api: activating v1\n");
    FakeUploadOperator.Received put = operator.received.get(0);
    assertThat(put.body()).isEqualTo(bytes);
    assertThat(put.tokenAccepted()).isTrue();
    assertThat(put.tokenHeader()).matches("[0-9a-f]{64}");
    // The kubeconfig's credentials end at the API server.
    assertThat(put.authorization()).isNull();
    assertThat(client.resources(CodeUpload.class).inNamespace(ns).list().getItems()).isEmpty();
    assertThat((Object) TestObjects.web(client, ns, "JavaService", "api").get().get("spec", "code", "activeVersion"))
        .isEqualTo("v1");
  }

  @Test
  void aUserNeedsCodeUploadsAndTheOperatorsServiceProxy() throws IOException {
    TestObjects.webService(client, ns, "PhpService", "rbac", null);
    Path file = Files.write(dir.resolve("app.zip"), UploadCodeIT.randomBytes(1_000));

    Plugin.Result allowed = Plugin.run("-n", ns, "--as", "system:serviceaccount:" + ns + ":uploader",
        "upload-code", "rbac", file.toString(), "--activate");
    assertThat(allowed.exitCode()).as(allowed.toString()).isZero();
    assertThat(operator.received).singleElement().satisfies(p -> assertThat(p.tokenAccepted()).isTrue());

    Plugin.Result refused = Plugin.run("-n", ns, "--as", "system:serviceaccount:" + ns + ":no-proxy",
        "upload-code", "rbac", file.toString());
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.errLines()).singleElement().asString()
        .startsWith("error: upload-code: the upload URL answered HTTP 403: ")
        .contains("cannot update resource \"services/proxy\"");
    assertThat(operator.received).hasSize(1);
    assertThat(client.resources(CodeUpload.class).inNamespace(ns).list().getItems()).isEmpty();
  }

  @Test
  void aPathOutsideAServiceProxyIsRefused() throws IOException {
    TestObjects.webService(client, ns, "PhpService", "elsewhere", null);
    Path file = Files.write(dir.resolve("app.zip"), UploadCodeIT.randomBytes(10));
    operator.urlBase("/api/v1/namespaces/" + ns + "/configmaps/x");

    Plugin.Result r = Plugin.run("-n", ns, "upload-code", "elsewhere", file.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errLines()).singleElement().asString().startsWith("error: upload-code: the operator answered "
        + "with the API server path '/api/v1/namespaces/" + ns + "/configmaps/x/uploads/")
        .endsWith("which is not a Service proxy path; refusing to send the archive there");
    assertThat(operator.received).isEmpty();
    assertThat(client.resources(CodeUpload.class).inNamespace(ns).list().getItems()).isEmpty();
  }

  /** A ServiceAccount that may use upload-code on web services, and the operator's Service proxy if told. */
  private static void uploader(String name, boolean proxy) {
    List<PolicyRule> rules = new ArrayList<>(List.of(
        new PolicyRuleBuilder().withApiGroups("conpaas.io").withResources("helloworldservices", "phpservices",
            "javaservices").withVerbs("get", "patch", "update").build(),
        new PolicyRuleBuilder().withApiGroups("conpaas.io").withResources("codeuploads")
            .withVerbs("create", "get", "delete").build()));
    if (proxy) {
      // The resource name RBAC checks is the proxy path's segment as written: NAME:PORT, not NAME.
      rules.add(new PolicyRuleBuilder().withApiGroups("").withResources("services/proxy")
          .withResourceNames(SERVICE + ":http").withVerbs("update").build());
    }
    client.rbac().roles().inNamespace(ns).resource(new RoleBuilder().withNewMetadata().withName(name).endMetadata()
        .withRules(rules).build()).create();
    client.rbac().roleBindings().inNamespace(ns).resource(new RoleBindingBuilder().withNewMetadata()
        .withName(name).endMetadata()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName(name).endRoleRef()
        .addNewSubject().withKind("ServiceAccount").withName(name).withNamespace(ns).endSubject()
        .build()).create();
  }

  /** An IPv4 address of this host that is not loopback, for the API server to proxy to. */
  private static Optional<InetAddress> hostAddress() throws SocketException {
    for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (n.isUp() && !n.isLoopback()) {
        for (InetAddress a : Collections.list(n.getInetAddresses())) {
          if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
            return Optional.of(a);
          }
        }
      }
    }
    return Optional.empty();
  }
}
