package io.conpaas.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.conpaas.agent.api.AgentContext;
import io.conpaas.agent.api.AgentJson;
import io.conpaas.agent.process.UnusableSetupException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent that cannot start with its setup exits with 78 (EX_CONFIG), one line naming the problem
 * last in its output and the same line in CONPAAS_AGENT_EXIT_FILE, for the local cloud to report.
 * Real agent JVMs, started like the local cloud does.
 */
class AgentStartFailureTest {
  @TempDir
  Path dir;

  private record Exit(int status, String lastLine, Properties record) {}

  private Exit runAgent(String serviceKind, String role, Map<String, String> env, String... jvmOptions)
      throws Exception {
    Path vm = Files.createDirectory(dir.resolve("vm"), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    Path context = vm.resolve("context.json");
    AgentJson.mapper().writeValue(context.toFile(), new AgentContext("a-0", "ns", "s", serviceKind, role, 0,
        "not a certificate", "not a key", "not a ca", Map.of()));
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path")));
    cmd.addAll(List.of(jvmOptions));
    cmd.addAll(List.of(AgentMain.class.getName(), context.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(vm.toFile()).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    pb.environment().put("CONPAAS_AGENT_EXIT_FILE", vm.resolve("exit-reason").toString());
    pb.environment().put("CONPAAS_AGENT_PORT", "0");
    pb.environment().put("CONPAAS_AGENT_BIND", "127.0.0.1");
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    List<String> lines = out.lines().toList();
    Properties record = new Properties();
    if (Files.exists(vm.resolve("exit-reason"))) {
      record.load(new StringReader(Files.readString(vm.resolve("exit-reason"))));
    }
    return new Exit(p.exitValue(), lines.isEmpty() ? "" : lines.get(lines.size() - 1), record);
  }

  @Test
  void anUnknownRoleIsAConfigurationError() throws Exception {
    Exit exit = runAgent("PhpService", "nonsense", Map.of());

    assertThat(exit.status()).isEqualTo(AgentMain.EXIT_CONFIGURATION);
    assertThat(exit.lastLine()).startsWith("conpaas agent cannot start: unknown role nonsense of service kind PhpService");
    assertThat(exit.record().getProperty("status")).isEqualTo("78");
    assertThat(exit.record().getProperty("reason")).startsWith("unknown role nonsense");
  }

  @Test
  void aRootAgentWhoseWorkerCannotReachItsDirectoryIsAConfigurationErrorNamingTheFix() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "the worker user exists only for a root agent");

    Exit exit = runAgent("PhpService", "web", Map.of());

    assertThat(exit.status()).isEqualTo(AgentMain.EXIT_CONFIGURATION);
    assertThat(exit.lastLine()).contains("www-data").contains("cannot reach").contains("chmod o+x");
    assertThat(exit.record().getProperty("reason")).contains("www-data").contains("cannot reach");
  }

  @Test
  void aNonRootAgentRefusesTenantRolesNamingTheSetting() throws Exception {
    // user.name is what the agent goes by to know whether it is root.
    Exit exit = runAgent("MysqlService", "master", Map.of(), "-Duser.name=ann");

    assertThat(exit.status()).isEqualTo(AgentMain.EXIT_CONFIGURATION);
    assertThat(exit.lastLine()).isEqualTo("conpaas agent cannot start: " + exit.record().getProperty("reason"));
    assertThat(exit.record().getProperty("reason")).startsWith("MysqlService/master refused: the agent runs as ann")
        .contains("spec.local.allowUnisolatedRoles: true");
  }

  @Test
  void whichRolesANonRootAgentRefuses() {
    Map<String, String> none = Map.of();
    for (String kind : List.of("PhpService", "JavaService", "MysqlService", "SeleniumService")) {
      assertThatThrownBy(() -> UnisolatedRoles.check(kind, "r", "ann", none))
          .isInstanceOf(UnusableSetupException.class).hasMessageContaining(UnisolatedRoles.ALLOW + "=true");
      UnisolatedRoles.check(kind, "r", "root", none);
      UnisolatedRoles.check(kind, "r", "ann", Map.of(UnisolatedRoles.ALLOW, "true"));
    }
    UnisolatedRoles.check("HelloWorldService", "agents", "ann", none);
  }
}
