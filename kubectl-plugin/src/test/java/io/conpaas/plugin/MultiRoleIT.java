package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A kind with two roles (a test-only CRD, as PhpService will be: backend scales, proxy does not)
 * next to HelloWorldService and a kind whose CRD is not installed: roles other than the scale role
 * change through a merge patch of spec.ROLE.nodes only, and names are resolved across kinds.
 */
class MultiRoleIT {
  static final String GROUP = "plugin-test.conpaas.io";
  static final ResourceDefinitionContext MULTI = new ResourceDefinitionContext.Builder().withGroup(GROUP)
      .withVersion("v1alpha1").withKind("MultiRoleService").withPlural("multiroleservices").withNamespaced(true)
      .build();
  static final ResourceDefinitionContext GHOST = new ResourceDefinitionContext.Builder().withGroup(GROUP)
      .withVersion("v1alpha1").withKind("GhostService").withPlural("ghostservices").withNamespaced(true).build();
  static final ServiceKinds KINDS = new ServiceKinds(List.of(
      ServiceKinds.standard().all().get(0),
      new ServiceKind("multirole", MULTI, List.of("backend", "proxy"), Set.of()),
      new ServiceKind("ghost", GHOST, List.of("nodes"), Set.of())));

  static KubernetesClient client;
  static String ns;

  @BeforeAll
  static void crdAndNamespace() {
    client = DevCluster.client();
    CustomResourceDefinition crd = Serialization.unmarshal("""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: multiroleservices.plugin-test.conpaas.io}
        spec:
          group: plugin-test.conpaas.io
          names: {kind: MultiRoleService, plural: multiroleservices, singular: multiroleservice}
          scope: Namespaced
          versions:
          - name: v1alpha1
            served: true
            storage: true
            subresources:
              status: {}
              scale: {specReplicasPath: .spec.backend.nodes, statusReplicasPath: .status.replicas}
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      application: {type: string}
                      stopped: {type: boolean}
                      backend:
                        type: object
                        properties: {nodes: {type: integer, minimum: 0}, cloud: {type: string}}
                      proxy:
                        type: object
                        properties: {nodes: {type: integer, minimum: 0}, cloud: {type: string}}
                  status: {type: object, x-kubernetes-preserve-unknown-fields: true}
        """, CustomResourceDefinition.class);
    client.resource(crd).forceConflicts().serverSideApply();
    DevCluster.awaitEstablished(client, crd.getMetadata().getName());
    ns = TestNamespace.create(client, "plugin-multi");
  }

  @AfterAll
  static void cleanUp() {
    client.genericKubernetesResources(MULTI).inNamespace(ns).delete();
    TestObjects.cleanUp(client, ns);
    client.apiextensions().v1().customResourceDefinitions().withName("multiroleservices." + GROUP).delete();
  }

  @Test
  void aRoleThatIsNotTheScaleRoleChangesThroughAMergePatchOfItsNodesOnly() {
    GenericKubernetesResource before = multi("web", 1, 1);

    Plugin.Result r = Plugin.run(KINDS, "-n", ns, "add-nodes", "web", "--role", "proxy", "2");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("multiroleservice/web: role proxy nodes 1 -> 3");
    GenericKubernetesResource after = resource("web").get();
    assertThat((Object) after.get("spec", "proxy", "nodes")).isEqualTo(3);
    assertThat((Object) after.get("spec", "proxy", "cloud")).isEqualTo("edge");
    assertThat((Object) after.get("spec", "backend")).isEqualTo(before.get("spec", "backend"));
    assertThat((Object) after.get("spec", "application")).isEqualTo("demo");
    ManagedFieldsEntry patch = TestObjects.managedBy(after, ServicePatcher.FIELD_MANAGER, "").orElseThrow();
    assertThat(patch.getOperation()).isEqualTo("Update");
    assertThat(TestObjects.fields(patch)).isEqualTo(Map.of("f:spec", Map.of("f:proxy", Map.of("f:nodes", Map.of()))));
    assertThat(TestObjects.managedBy(after, ServicePatcher.FIELD_MANAGER, "scale")).isEmpty();

    Plugin.Result down = Plugin.run(KINDS, "-n", ns, "remove-nodes", "web", "--role", "proxy", "3");
    assertThat(down.exitCode()).as(down.toString()).isZero();
    assertThat((Object) resource("web").get().get("spec", "proxy", "nodes")).isEqualTo(0);
  }

  @Test
  void theDefaultRoleIsTheScaleRoleAndGoesThroughScale() {
    multi("api", 2, 1);

    Plugin.Result r = Plugin.run(KINDS, "-n", ns, "add-nodes", "multirole/api", "1");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    GenericKubernetesResource after = resource("api").get();
    assertThat((Object) after.get("spec", "backend", "nodes")).isEqualTo(3);
    assertThat((Object) after.get("spec", "proxy", "nodes")).isEqualTo(1);
    assertThat(TestObjects.managedBy(after, ServicePatcher.FIELD_MANAGER, "scale")).isPresent();
  }

  @Test
  void belowZeroOnAnotherRoleFailsAndChangesNothing() {
    multi("edge", 1, 1);
    String version = resource("edge").get().getMetadata().getResourceVersion();

    Plugin.Result r = Plugin.run(KINDS, "-n", ns, "remove-nodes", "edge", "--role", "proxy", "2");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errLines()).containsExactly(
        "error: cannot remove 2 nodes from role proxy of multiroleservice/edge: it has 1 and cannot go below 0");
    assertThat(resource("edge").get().getMetadata().getResourceVersion()).isEqualTo(version);

    Plugin.Result unknown = Plugin.run(KINDS, "-n", ns, "add-nodes", "edge", "--role", "master", "1");
    assertThat(unknown.errLines()).containsExactly(
        "error: unknown role 'master' for multiroleservice/edge; its roles: backend, proxy");
  }

  @Test
  void listShowsEveryInstalledKindWithReadyPerRoleAndSkipsKindsThatAreNotInstalled() {
    multi("shop", 2, 1);
    TestObjects.helloWorld(client, ns, "greeter", 1);

    Plugin.Result r = Plugin.run(KINDS, "-n", ns, "list");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out().lines()).anySatisfy(l -> assertThat(l.split(" {3,}"))
            .containsExactly("MultiRoleService", "shop", "demo", "-", "backend 0/2, proxy 0/1", "-"))
        .anySatisfy(l -> assertThat(l.split(" {3,}"))
            .containsExactly("HelloWorldService", "greeter", "demo", "-", "agents 0/1", "-"));
  }

  @Test
  void aNameUsedByTwoKindsIsAmbiguousUntilQualifiedWithItsType() {
    multi("twin", 1, 0);
    TestObjects.helloWorld(client, ns, "twin", 1);

    Plugin.Result ambiguous = Plugin.run(KINDS, "-n", ns, "stop", "twin");
    assertThat(ambiguous.exitCode()).isEqualTo(1);
    assertThat(ambiguous.errLines()).containsExactly("error: service name 'twin' is ambiguous in namespace '"
        + ns + "': helloworld/twin, multirole/twin; name one as TYPE/NAME");

    Plugin.Result qualified = Plugin.run(KINDS, "-n", ns, "stop", "multirole/twin");
    assertThat(qualified.exitCode()).as(qualified.toString()).isZero();
    assertThat((Object) resource("twin").get().get("spec", "stopped")).isEqualTo(true);
    assertThat((Object) TestObjects.hello(client, ns, "twin").get().get("spec", "stopped")).isNull();
  }

  @Test
  void usageNamesBothRolesAndWhichOneScales() {
    multi("cms", 2, 1);

    Plugin.Result r = Plugin.run(KINDS, "-n", ns, "usage", "cms");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("kind MultiRoleService")
        .contains("add-nodes cms [--role backend|proxy] [--cloud CLOUD] N");
    assertThat(r.out().lines()).anySatisfy(l -> assertThat(l.split(" {3,}"))
            .containsExactly("backend", "2", "0/2", "-", "yes"))
        .anySatisfy(l -> assertThat(l.split(" {3,}")).containsExactly("proxy", "1", "0/1", "edge", "no"));
  }

  private static GenericKubernetesResource multi(String name, int backend, int proxy) {
    GenericKubernetesResource r = Serialization.unmarshal("""
        apiVersion: plugin-test.conpaas.io/v1alpha1
        kind: MultiRoleService
        metadata: {name: %s, namespace: %s}
        spec:
          application: demo
          backend: {nodes: %d}
          proxy: {nodes: %d, cloud: edge}
        """.formatted(name, ns, backend, proxy), GenericKubernetesResource.class);
    return client.genericKubernetesResources(MULTI).inNamespace(ns).resource(r)
        .fieldManager(TestObjects.SETUP_MANAGER).serverSideApply();
  }

  private static Resource<GenericKubernetesResource> resource(String name) {
    return client.genericKubernetesResources(MULTI).inNamespace(ns).withName(name);
  }
}
