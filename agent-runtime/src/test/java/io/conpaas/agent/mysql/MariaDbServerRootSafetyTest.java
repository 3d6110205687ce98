package io.conpaas.agent.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.conpaas.agent.process.FreePort;
import io.conpaas.agent.process.SafeFiles;
import io.conpaas.agent.process.WorkerAttack;
import io.conpaas.agent.process.WorkerUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mysql account (mariadbd, which SQL can make write files) cannot make the root agent write
 * to a root-owned file: links it puts where root used to write (logs/mariadbd.out, install.log, the
 * install marker) are refused or ignored across a restart.
 */
class MariaDbServerRootSafetyTest {
  private static final List<String> ROOT_NAMES = List.of("mariadbd.out", "install.log", "installed",
      "installed.tmp", "my.cnf", "my.cnf.tmp");

  @TempDir
  Path dir;
  private MariaDbServer server;
  private WorkerAttack attack;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop();
    }
    if (attack != null) {
      attack.cleanUp();
    }
  }

  @Test
  void linksTheMysqlAccountPutsWhereRootWritesDoNotLeadRootToAnotherFile() throws Exception {
    assumeTrue(SafeFiles.agentIsRoot(), "mariadbd drops to the mysql account only when the agent is root");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    attack = WorkerAttack.againstNewVictim(WorkerUser.serverAccount("mysql", "mariadbd"));
    Path roleDir = dir.resolve("db-master-0/master");
    MariaDbServer.Settings settings = new MariaDbServer.Settings("127.0.0.1", FreePort.on("127.0.0.1"), 1, true);
    server = new MariaDbServer(roleDir);
    server.apply(settings);

    attack.plantLinks(roleDir, ROOT_NAMES, List.of(roleDir.resolve("logs/mariadbd.out"),
        roleDir.resolve("logs/install.log"), roleDir.resolve("server/installed")));
    RuntimeException restartFailure = null;
    try {
      server.stop();
      server = new MariaDbServer(roleDir);
      server.apply(settings);
    } catch (RuntimeException e) {
      restartFailure = e;
    }

    attack.assertVictimUnchanged();
    if (restartFailure != null) {
      throw restartFailure;
    }
    assertThat(server.admin().answers()).isTrue();
    assertThat(attack.rootFilesInWritableDirectories(roleDir)).as("files root wrote where mysql could have put a link")
        .isEmpty();
  }
}
