package io.conpaas.plugin;

import io.conpaas.api.v1alpha1.CodeUpload;
import io.conpaas.plugin.ServiceKind.Feature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code upload-dump}: an SQL dump applied on a MySQL service's master (ConPaaS load_dump). */
@Command(name = "upload-dump", aliases = "load_dump",
    header = "Apply an SQL dump to a MySQL service (ConPaaS load_dump).",
    description = {"Streams FILE, an SQL dump, to the service's master, which applies it. Kubernetes authorizes "
        + "the upload as for upload-code: a CodeUpload object for the service carries only the SHA-256 of a "
        + "one-time token, the operator answers with a one-time URL, and the CodeUpload is deleted afterwards.",
        "On an error the plugin says at which line, and whether the statements before it were applied. Dumps "
            + "are capped in size by the operator; load bigger ones with the mysql client (see connect):",
        "  mysql -h HOST -P PORT -u mysqladb -p < dump.sql"})
final class UploadDumpCommand extends PluginCommand {
  @Parameters(index = "0", paramLabel = "SERVICE", description = "MySQL service NAME or TYPE/NAME.")
  String service;

  @Parameters(index = "1", paramLabel = "FILE", description = "The SQL dump to apply.")
  Path file;

  @Option(names = "--timeout", defaultValue = "60s", paramLabel = "DURATION", converter = Durations.class,
      description = "How long to wait for the operator's upload URL (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() throws IOException, InterruptedException {
    ServiceObject s = root.kinds().require(root.locator().find(root.namespace(), service), Feature.DATABASE,
        "database", "upload-dump");
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new CliException("cannot read " + file + " (upload-dump needs an SQL dump file)");
    }
    String token = UploadToken.generate(new SecureRandom());
    CodeUploadRequests requests = new CodeUploadRequests(root.client(), "upload-dump");
    CodeUpload request = requests.create(s, null, UploadToken.sha256(token));
    ArchiveUpload.Answer answer;
    try {
      answer = new ArchiveUpload(root.client(), "upload-dump")
          .send(requests.awaitUrl(request, timeout).getUrl(), file, token);
    } finally {
      requests.deleteQuietly(request, this::warn);
    }
    DumpResult result = DumpResult.of(answer);
    if (result.ok()) {
      say(s.ref() + ": dump applied" + result.count());
      return 0;
    }
    err().println("error: upload-dump: " + result.error());
    if (result.extent() != null) {
      err().println(result.extent());
    }
    err().flush();
    return 1;
  }
}
