package io.conpaas.reconcilers.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.conpaas.agent.code.ArchiveLimits;
import io.conpaas.api.v1alpha1.CodeSource;
import io.conpaas.api.v1alpha1.GitSource;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.RefWriter;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * spec.code.source.git through JGit against a real bare repository served over git's dumb HTTP
 * protocol on 127.0.0.1 (the only address these tests allow): a branch, a tag and a commit id
 * are stored as their tree (files, executable bits, symbolic links and long names intact, read
 * back with the system's tar); a refused host gets no request, a redirect is not followed, the
 * checked address is the one dialled for the whole fetch, and the byte cap and the deadline cut
 * the fetch.
 */
class GitSourceFetchTest {
  @TempDir
  Path dir;

  private HttpServer server;
  private HttpServer refusedServer;
  private final AtomicInteger refusedHits = new AtomicInteger();
  private int port;
  private Path served;
  private final ServiceCode site = new ServiceCode("ns", "PhpService", "site");

  @BeforeEach
  void serve() throws IOException {
    served = Files.createDirectories(dir.resolve("served"));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
    server.createContext("/", this::serveFile);
    server.createContext("/moved.git/", ex -> {
      ex.getResponseHeaders().set("Location", "http://127.0.0.1:" + port + "/repo.git/"
          + ex.getRequestURI().getPath().substring("/moved.git/".length()));
      ex.sendResponseHeaders(302, -1);
      ex.close();
    });
    server.createContext("/slow.git/", ex -> {
      ex.sendResponseHeaders(200, 100_000);
      try (OutputStream out = ex.getResponseBody()) {
        for (int i = 0; i < 100_000; i++) {
          out.write('0');
          out.flush();
          Thread.sleep(500);
        }
      } catch (IOException | InterruptedException cutOff) {
        // The fetch gave up: expected.
      }
    });
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
    port = server.getAddress().getPort();
    // The same files on 127.0.0.2, which the guard must not let the fetch reach.
    refusedServer = HttpServer.create(new InetSocketAddress("127.0.0.2", port), 8);
    refusedServer.createContext("/", ex -> {
      refusedHits.incrementAndGet();
      serveFile(ex);
    });
    refusedServer.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    refusedServer.stop(0);
  }

  private void serveFile(HttpExchange ex) throws IOException {
    Path f = served.resolve(ex.getRequestURI().getPath().substring(1)).normalize();
    if (!f.startsWith(served) || !Files.isRegularFile(f)) {
      ex.sendResponseHeaders(404, -1);
      ex.close();
      return;
    }
    ex.sendResponseHeaders(200, Files.size(f));
    try (OutputStream out = ex.getResponseBody()) {
      Files.copy(f, out);
    }
  }

  @Test
  void aBranchATagAndACommitAreStoredAsTheirTrees() throws Exception {
    String longName = "deep/" + "d".repeat(60) + "/" + "f".repeat(60) + ".php";
    RevCommit first = commit(Map.of("index.php", "<?php echo 'first';"), "first");
    tag("v1", first);
    RevCommit second = commit(Map.of("index.php", "<?php echo 'second';", "bin/run.sh", "#!/bin/sh\necho hi\n",
        longName, "<?php echo 'long';"), "second");
    executable("bin/run.sh");
    symlink("current.php", "index.php");
    RevCommit third = commitStaged("third");
    publish();
    CodeStore store = new CodeStore(dir.resolve("store"), ArchiveLimits.defaults());
    SourceFetch fetch = fetcher(store, ArchiveLimits.defaults(), Duration.ofSeconds(60));

    assertThat(fetch.fetch(site, git("http://127.0.0.1:" + port + "/repo.git", "main")))
        .isEqualTo("git-" + third.name().substring(0, 12));
    Path tree = untar(store, "git-" + third.name().substring(0, 12));
    assertThat(tree.resolve("index.php")).hasContent("<?php echo 'second';");
    assertThat(tree.resolve(longName)).hasContent("<?php echo 'long';");
    assertThat(Files.getPosixFilePermissions(tree.resolve("bin/run.sh"))).contains(PosixFilePermission.OWNER_EXECUTE);
    assertThat(Files.getPosixFilePermissions(tree.resolve("index.php"))).doesNotContain(
        PosixFilePermission.OWNER_EXECUTE);
    assertThat(Files.readSymbolicLink(tree.resolve("current.php"))).isEqualTo(Path.of("index.php"));

    assertThat(fetch.fetch(site, git("http://127.0.0.1:" + port + "/repo.git", "v1")))
        .isEqualTo("git-" + first.name().substring(0, 12));
    assertThat(untar(store, "git-" + first.name().substring(0, 12)).resolve("index.php"))
        .hasContent("<?php echo 'first';");
    assertThat(fetch.fetch(site, git("http://127.0.0.1:" + port + "/repo.git", second.name())))
        .isEqualTo("git-" + second.name().substring(0, 12));
    assertThat(store.list(site)).extracting(StoredVersion::origin).contains(
        "git http://127.0.0.1:" + port + "/repo.git main");

    assertThatThrownBy(() -> fetch.fetch(site, git("http://127.0.0.1:" + port + "/repo.git", "nope")))
        .isInstanceOf(CodeFetchFailed.class).hasMessageContaining("neither a branch, a tag nor a commit");
  }

  @Test
  void aRefusedHostGetsNoRequestAndARedirectIsNotFollowed() throws Exception {
    commit(Map.of("index.php", "<?php echo 1;"), "one");
    publish();
    SourceFetch fetch = fetcher(new CodeStore(dir.resolve("store"), ArchiveLimits.defaults()),
        ArchiveLimits.defaults(), Duration.ofSeconds(60));
    assertThatThrownBy(() -> fetch.fetch(site, git("http://127.0.0.2:" + port + "/repo.git", "main")))
        .isInstanceOf(CodeFetchFailed.class).hasMessageContaining("was refused").hasMessageContaining("loopback");
    assertThat(refusedHits).hasValue(0);
    // The redirect leads to the same allowed server and a good repository: only following it would succeed.
    assertThatThrownBy(() -> fetch.fetch(site, git("http://127.0.0.1:" + port + "/moved.git", "main")))
        .isInstanceOf(CodeFetchFailed.class).hasMessageContaining("moved.git");
    assertThatThrownBy(() -> SourceFetch.gitUrl("file:///srv/repo.git")).hasMessageContaining("http(s)://");
  }

  @Test
  void theAddressCheckedFirstIsDialledForTheWholeFetch() throws Exception {
    commit(Map.of("index.php", "<?php echo 1;"), "one");
    publish();
    AtomicInteger lookups = new AtomicInteger();
    // A name whose second answer is an address the operator must not reach.
    DestinationGuard rebinding = new DestinationGuard(List.of("127.0.0.1"), host -> new InetAddress[] {
        InetAddress.getByName(lookups.getAndIncrement() == 0 ? "127.0.0.1" : "127.0.0.2")});
    CodeStore store = new CodeStore(dir.resolve("store"), ArchiveLimits.defaults());
    SourceFetch fetch = new SourceFetch(store, dir.resolve("scratch"),
        SourceFetchSettings.defaults().withAllowedNetworks(List.of("127.0.0.1")), rebinding);
    assertThat(fetch.fetch(site, git("http://git.test:" + port + "/repo.git", "main"))).startsWith("git-");
    assertThat(lookups).hasValue(1);
    assertThat(refusedHits).hasValue(0);
  }

  @Test
  void whatTheServerSendsIsCappedAndTheFetchEndsAtItsDeadline() throws Exception {
    byte[] noise = new byte[300_000];
    new Random(7).nextBytes(noise); // incompressible: the loose object is as big as the file
    commitBytes("blob.bin", noise);
    publish();
    ArchiveLimits small = new ArchiveLimits(1 << 20, 100_000, 1000, 100);
    SourceFetch capped = fetcher(new CodeStore(dir.resolve("store"), small), small, Duration.ofSeconds(60));
    assertThatThrownBy(() -> capped.fetch(site, git("http://127.0.0.1:" + port + "/repo.git", "main")))
        .isInstanceOf(CodeFetchFailed.class).hasMessageContaining("exceeds the limit of 100000 bytes");
    assertThat(Files.list(dir.resolve("scratch"))).isEmpty();

    SourceFetch slow = fetcher(new CodeStore(dir.resolve("store2"), ArchiveLimits.defaults()),
        ArchiveLimits.defaults(), Duration.ofSeconds(3));
    long start = System.nanoTime();
    assertThatThrownBy(() -> slow.fetch(site, git("http://127.0.0.1:" + port + "/slow.git", "main")))
        .isInstanceOf(CodeFetchFailed.class).hasMessageContaining("did not finish within 3 s");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  // --- a bare repository made with JGit, published for dumb HTTP as `git update-server-info` does ---

  private Git work;

  private Git work() throws Exception {
    if (work == null) {
      work = Git.init().setDirectory(dir.resolve("work").toFile()).setInitialBranch("main").call();
    }
    return work;
  }

  private RevCommit commit(Map<String, String> files, String message) throws Exception {
    for (var e : files.entrySet()) {
      Path f = dir.resolve("work").resolve(e.getKey());
      Files.createDirectories(f.getParent());
      Files.writeString(f, e.getValue());
    }
    return commitStaged(message);
  }

  private void commitBytes(String name, byte[] content) throws Exception {
    Files.createDirectories(dir.resolve("work"));
    work();
    Files.write(dir.resolve("work").resolve(name), content);
    commitStaged("bytes");
  }

  private void executable(String name) throws Exception {
    Path f = dir.resolve("work").resolve(name);
    var perms = new java.util.HashSet<>(Files.getPosixFilePermissions(f));
    perms.add(PosixFilePermission.OWNER_EXECUTE);
    Files.setPosixFilePermissions(f, perms);
  }

  private void symlink(String name, String target) throws Exception {
    Files.createSymbolicLink(dir.resolve("work").resolve(name), Path.of(target));
  }

  private RevCommit commitStaged(String message) throws Exception {
    Git g = work();
    g.add().addFilepattern(".").call();
    g.add().addFilepattern(".").setUpdate(true).call();
    return g.commit().setMessage(message).setAuthor("t", "t@example.org").setCommitter("t", "t@example.org")
        .setSign(false).call();
  }

  private void tag(String name, RevCommit commit) throws Exception {
    work().tag().setName(name).setObjectId(commit).setAnnotated(true).setMessage(name).setTagger(
        new org.eclipse.jgit.lib.PersonIdent("t", "t@example.org")).setSigned(false).call();
  }

  /** Clones the work repository bare into served/repo.git and writes info/refs and objects/info/packs. */
  private void publish() throws Exception {
    Path bare = served.resolve("repo.git");
    try (Git clone = Git.cloneRepository().setURI(dir.resolve("work").toUri().toString()).setBare(true)
        .setGitDir(bare.toFile()).call()) {
      Repository repo = clone.getRepository();
      new RefWriter(repo.getRefDatabase().getRefs()) {
        @Override
        protected void writeFile(String file, byte[] content) throws IOException {
          Path p = bare.resolve(file);
          Files.createDirectories(p.getParent());
          Files.write(p, content);
        }
      }.writeInfoRefs();
      Path packs = bare.resolve("objects/info/packs");
      Files.createDirectories(packs.getParent());
      StringBuilder list = new StringBuilder();
      try (var s = Files.list(bare.resolve("objects/pack"))) {
        s.filter(p -> p.toString().endsWith(".pack")).forEach(p -> list.append("P ").append(p.getFileName())
            .append('\n'));
      }
      Files.writeString(packs, list.toString());
      ObjectId head = repo.resolve(Constants.HEAD);
      assertThat(head).isNotNull();
    }
  }

  private SourceFetch fetcher(CodeStore store, ArchiveLimits limits, Duration timeout) {
    SourceFetchSettings settings = SourceFetchSettings.defaults().withAllowedNetworks(List.of("127.0.0.1"))
        .withTimeout(timeout);
    return new SourceFetch(store, dir.resolve("scratch"), settings,
        DestinationGuard.withAllowList(settings.allowedNetworks()));
  }

  private static CodeSource git(String url, String ref) {
    GitSource g = new GitSource();
    g.setUrl(url);
    g.setRef(ref);
    CodeSource s = new CodeSource();
    s.setGit(g);
    return s;
  }

  /** The stored archive extracted by the system's tar. */
  private Path untar(CodeStore store, String version) throws Exception {
    Path archive = store.archive(site, version).orElseThrow();
    Path out = Files.createDirectories(dir.resolve("untar-" + version));
    Process p = new ProcessBuilder("tar", "-xf", archive.toString(), "-C", out.toString()).redirectErrorStream(true)
        .start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(log).isZero();
    return out;
  }
}
