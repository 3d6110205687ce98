package io.conpaas.plugin;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URLConnection;
import java.net.http.HttpClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md's rule for this module: kubectl-plugin talks to the API server only (upload-code's
 * one-time URL included, which it reaches through the Kubernetes client's HTTP stack).
 */
class PluginArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importPlugin() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.conpaas.plugin");
  }

  @Test
  void usesNoOperatorAgentOrCloudCode() {
    ArchRule rule = noClasses().that().resideInAPackage("io.conpaas.plugin..")
        .should().dependOnClassesThat().resideInAnyPackage("io.conpaas.agent..", "io.conpaas.iaas..",
            "io.conpaas.reconcilers..", "io.conpaas.operator..", "software.amazon..", "org.apache.xmlrpc..")
        .allowEmptyShould(false);
    rule.check(classes);
  }

  @Test
  void opensNoConnectionOfItsOwnOnlyTheKubernetesClientDoes() {
    ArchRule rule = noClasses().that().resideInAPackage("io.conpaas.plugin..")
        .should().dependOnClassesThat().belongToAnyOf(HttpClient.class, Socket.class, URLConnection.class,
            HttpURLConnection.class)
        .allowEmptyShould(false);
    rule.check(classes);
  }

  @Test
  void theRulesSeeThePluginsDependencies() {
    assertThat(classes.contain(ConpaasCommand.class)).isTrue();
    ArchRule canary = noClasses().that().resideInAPackage("io.conpaas.plugin..")
        .should().dependOnClassesThat().resideInAPackage("io.fabric8.kubernetes.client..");
    assertThat(canary.evaluate(classes).hasViolation()).isTrue();
  }
}
