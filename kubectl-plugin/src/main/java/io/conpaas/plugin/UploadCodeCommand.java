package io.conpaas.plugin;

import io.conpaas.api.v1alpha1.CodeUpload;
import io.conpaas.api.v1alpha1.CodeUploadStatus;
import io.conpaas.plugin.ServiceKind.Feature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code upload-code}: a new code version for a PHP or Java service, authorized through a CodeUpload. */
@Command(name = "upload-code",
    header = "Upload a code archive as a new version of a PHP or Java service.",
    description = {"Uploads FILE (zip, tar or tar.gz; a war for Java) as a new code version. Kubernetes "
        + "authorizes the upload: the plugin creates a CodeUpload object for the service and version, "
        + "carrying only the SHA-256 of a one-time random token; the operator answers with a one-time URL, "
        + "and the file is streamed there with the token. The CodeUpload is deleted afterwards.",
        "VERSION defaults to v<N+1>, N being the highest number among the versions named v<digits>. "
            + "--activate then patches spec.code.activeVersion only (see activate)."})
final class UploadCodeCommand extends PluginCommand {
  @Parameters(index = "0", paramLabel = "SERVICE", description = "PHP or Java service NAME or TYPE/NAME.")
  String service;

  @Parameters(index = "1", paramLabel = "FILE", description = "The archive to upload.")
  Path file;

  @Option(names = "--version", paramLabel = "VERSION",
      description = "Name of the new version (default: v<N+1>, e.g. v3 after v2).")
  String version;

  @Option(names = "--activate", description = "Serve the new version once it is uploaded.")
  boolean activate;

  @Option(names = "--timeout", defaultValue = "60s", paramLabel = "DURATION", converter = Durations.class,
      description = "How long to wait for the operator's upload URL (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() throws IOException, InterruptedException {
    ServiceObject s = root.kinds().require(root.locator().find(root.namespace(), service), Feature.CODE,
        "code versions", "upload-code");
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new CliException("cannot read " + file + " (upload-code needs an archive file)");
    }
    List<String> known = CodeVersions.names(s.code().getVersions());
    String v = version == null ? CodeVersions.next(known) : CodeVersions.requireValid(version);
    if (known.contains(v)) {
      throw new CliException("version " + v + " of " + s.ref() + " exists already; its versions: "
          + CodeVersions.describe(known) + " (choose another --version)");
    }
    String token = UploadToken.generate(new SecureRandom());
    CodeUploadRequests requests = new CodeUploadRequests(root.client(), "upload-code");
    CodeUpload request = requests.create(s, v, UploadToken.sha256(token));
    ArchiveUpload.Receipt receipt;
    try {
      CodeUploadStatus answer = requests.awaitUrl(request, timeout);
      receipt = new ArchiveUpload(root.client(), "upload-code").put(answer.getUrl(), file, token);
    } finally {
      requests.deleteQuietly(request, this::warn);
    }
    say(s.ref() + ": uploaded version " + v + " (" + receipt.bytes() + " bytes, sha256 "
        + abbreviated(receipt.sha256()) + ")");
    if (activate) {
      root.patcher().activate(s, v);
      say(s.ref() + ": activating " + v);
    }
    return 0;
  }

  private static String abbreviated(String sha256) {
    return sha256.length() > 12 ? sha256.substring(0, 12) + "..." : sha256;
  }
}
