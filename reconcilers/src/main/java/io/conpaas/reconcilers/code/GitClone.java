package io.conpaas.reconcilers.code;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.transport.URIish;

/**
 * A git fetch with JGit, no `git` binary: the branches and tags of an http(s) repository into a
 * bare scratch repository (every connection through {@link GuardedGitHttp}; no configuration but
 * ours, see {@link NoGitConfig}; redirects refused), the ref resolved to a commit, and its tree
 * written as a tar ({@link GitTreeTar}).
 */
final class GitClone {
  static {
    NoGitConfig.install();
  }

  private static final List<RefSpec> EVERYTHING = List.of(new RefSpec("+refs/heads/*:refs/remotes/origin/*"),
      new RefSpec("+refs/tags/*:refs/tags/*"));

  private GitClone() {}

  /** Fetches url into repoDir, writes ref's tree to tar and returns the commit id (hex). */
  static String fetch(URI url, String ref, Path repoDir, Path tar, GuardedGitHttp http, long maxExpandedBytes)
      throws IOException {
    if (ref == null || ref.isBlank() || ref.startsWith("-")) {
      throw new IOException("ref " + ref + " is not a ref");
    }
    try (Repository repo = new FileRepositoryBuilder().setGitDir(repoDir.toFile()).setBare().build()) {
      repo.create(true);
      StoredConfig config = repo.getConfig();
      // A redirect would be followed past the first check otherwise (each hop is checked anyway).
      config.setString("http", null, "followRedirects", "false");
      config.save();
      try (Transport transport = Transport.open(repo, new URIish(url.toURL()))) {
        if (!(transport instanceof TransportHttp th)) {
          throw new DestinationGuard.Refused("only http and https git URLs are fetched");
        }
        th.setHttpConnectionFactory(http);
        transport.setTagOpt(TagOpt.NO_TAGS); // tags come with the refspec above
        transport.fetch(new Cancellable(http), EVERYTHING);
      } catch (org.eclipse.jgit.errors.TransportException e) {
        throw explained(e, http);
      }
      ObjectId commit = resolve(repo, ref);
      try (ObjectReader reader = repo.newObjectReader(); OutputStream out = Files.newOutputStream(tar)) {
        GitTreeTar.write(reader, commit, out, maxExpandedBytes);
      }
      return commit.name();
    }
  }

  /** The commit a ref names: a branch, a tag or a commit id (as `git rev-parse` read it before). */
  private static ObjectId resolve(Repository repo, String ref) throws IOException {
    for (String candidate : List.of("refs/remotes/origin/" + ref, "refs/tags/" + ref, ref)) {
      try {
        ObjectId id = repo.resolve(candidate + "^{commit}");
        if (id != null) {
          return id;
        }
      } catch (RevisionSyntaxException | IOException notThisOne) {
        // Try the next reading of ref.
      }
    }
    throw new IOException("ref " + ref + " is neither a branch, a tag nor a commit of the repository");
  }

  /**
   * JGit wraps what went wrong in a message of its own ("cannot open git-upload-pack"): a refusal
   * is passed on as one, anything else keeps JGit's words and adds the cause's.
   */
  private static IOException explained(org.eclipse.jgit.errors.TransportException e, GuardedGitHttp http) {
    if (http.expired()) {
      return http.timedOut();
    }
    Throwable root = e;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof DestinationGuard.Refused refused) {
        return refused;
      }
      root = t;
    }
    String message = e.getMessage();
    if (root != e && root.getMessage() != null && !message.contains(root.getMessage())) {
      message += ": " + root.getMessage();
    }
    return new IOException(message, e);
  }

  /** Lets JGit stop between steps when the fetch was cancelled or its time is up. */
  private record Cancellable(GuardedGitHttp http) implements ProgressMonitor {
    @Override
    public void start(int totalTasks) {}

    @Override
    public void beginTask(String title, int totalWork) {}

    @Override
    public void update(int completed) {}

    @Override
    public void endTask() {}

    @Override
    public boolean isCancelled() {
      return Thread.currentThread().isInterrupted() || http.expired();
    }

    @Override
    public void showDuration(boolean enabled) {}
  }
}
