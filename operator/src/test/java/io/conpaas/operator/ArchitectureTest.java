package io.conpaas.operator;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module rules of DESIGN.md, checked on the bytecode of every module. */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importAllModules() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.conpaas");
  }

  @Test
  void crdsDependOnNothingInternal() {
    ArchRule rule = noClasses().that().resideInAPackage("io.conpaas.api..")
        .should().dependOnClassesThat(resideInAPackage("io.conpaas..").and(resideOutsideOfPackage("io.conpaas.api..")))
        .allowEmptyShould(false);
    rule.check(classes);
  }

  @Test
  void reconcilersSeeOnlyTheDriverInterfaceAndNoCloudSdk() {
    ArchRule rule = noClasses().that().resideInAPackage("io.conpaas.reconcilers..")
        .should().dependOnClassesThat().resideInAnyPackage("io.conpaas.iaas.local..", "io.conpaas.iaas.ec2..",
            "io.conpaas.iaas.opennebula..", "software.amazon..", "com.amazonaws..", "org.apache.xmlrpc..")
        .allowEmptyShould(false);
    rule.check(classes);
  }

  @Test
  void driversKnowNoCustomResourceNorKubernetes() {
    ArchRule rule = noClasses().that().resideInAPackage("io.conpaas.iaas..")
        .should().dependOnClassesThat().resideInAnyPackage("io.conpaas.api..", "io.conpaas.reconcilers..",
            "io.conpaas.operator..", "io.fabric8..", "io.javaoperatorsdk..")
        .allowEmptyShould(false);
    rule.check(classes);
  }

  @Test
  void agentNeverUsesTheKubernetesClientNorTheOperator() {
    ArchRule rule = noClasses().that().resideInAPackage("io.conpaas.agent..")
        .should().dependOnClassesThat().resideInAnyPackage("io.fabric8..", "io.javaoperatorsdk..",
            "io.conpaas.reconcilers..", "io.conpaas.operator..")
        .allowEmptyShould(false);
    rule.check(classes);
  }

  @Test
  void agentNeedsNoCryptoLibrary() {
    ArchRule rule = noClasses().that().resideInAPackage("io.conpaas.agent..")
        .should().dependOnClassesThat().resideInAPackage("org.bouncycastle..")
        .allowEmptyShould(false);
    rule.check(classes);
  }

  @Test
  void importSeesEveryModuleAndItsCrossModuleDependencies() {
    assertThat(classes.contain("io.conpaas.api.v1alpha1.HelloWorldService")).isTrue();
    assertThat(classes.contain("io.conpaas.agent.api.MutualTls")).isTrue();
    assertThat(classes.contain("io.conpaas.agent.AgentServer")).isTrue();
    assertThat(classes.contain("io.conpaas.iaas.local.LocalDriver")).isTrue();
    assertThat(classes.contain("io.conpaas.reconcilers.model.DesiredAgents")).isTrue();
    // A rule of the same shape finds a dependency that does exist: the wiring creates LocalDriver.
    ArchRule canary = noClasses().that().resideInAPackage("io.conpaas.operator..")
        .should().dependOnClassesThat().resideInAPackage("io.conpaas.iaas.local..");
    assertThat(canary.evaluate(classes).hasViolation()).isTrue();
  }
}
