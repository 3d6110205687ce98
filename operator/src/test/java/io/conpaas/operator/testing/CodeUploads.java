package io.conpaas.operator.testing;

import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.CodeUpload;
import io.conpaas.api.v1alpha1.CodeUploadPhase;
import io.conpaas.api.v1alpha1.CodeUploadSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;

/** The upload protocol as `kubectl conpaas upload-code` speaks it: request object, one-time URL, streamed PUT. */
public final class CodeUploads {
  /** What the upload listener answered. */
  public record Result(int status, String body, CodeUpload request) {}

  private final KubernetesClient client;
  private final String namespace;

  public CodeUploads(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /** Creates a CodeUpload for the service and waits until the operator answered it (Ready or Failed). */
  public CodeUpload request(CodeUploadSpec.ServiceKind kind, String service, String version, String token) {
    CodeUpload u = new CodeUpload();
    u.setMetadata(new ObjectMetaBuilder().withNamespace(namespace)
        .withGenerateName(service + "-" + (version == null ? "dump" : version) + "-")
        .build());
    CodeUploadSpec spec = new CodeUploadSpec();
    spec.setServiceKind(kind);
    spec.setService(service);
    spec.setVersion(version);
    spec.setTokenSha256(sha256(token));
    u.setSpec(spec);
    CodeUpload created = client.resource(u).create();
    String name = created.getMetadata().getName();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      CodeUpload now = client.resources(CodeUpload.class).inNamespace(namespace).withName(name).get();
      return now.getStatus() != null && now.getStatus().getPhase() != null;
    });
    return client.resources(CodeUpload.class).inNamespace(namespace).withName(name).get();
  }

  /** The whole protocol: request, then PUT the file with the token. */
  public Result upload(CodeUploadSpec.ServiceKind kind, String service, String version, Path archive) {
    String token = UUID.randomUUID().toString() + UUID.randomUUID();
    CodeUpload request = request(kind, service, version, token);
    if (request.getStatus().getPhase() != CodeUploadPhase.Ready) {
      return new Result(0, request.getStatus().getMessage(), request);
    }
    return put(request, token, archive);
  }

  /** PUTs the file (streamed from disk) to the request's URL with the token. */
  public Result put(CodeUpload request, String token, Path archive) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(request.getStatus()
              .getUrl())).header("X-Conpaas-Upload-Token", token).timeout(Duration.ofSeconds(120))
          .PUT(HttpRequest.BodyPublishers.ofFile(archive)).build(), HttpResponse.BodyHandlers.ofString());
      CodeUpload after = client.resources(CodeUpload.class).inNamespace(namespace)
          .withName(request.getMetadata().getName()).get();
      return new Result(r.statusCode(), r.body(), after);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static String sha256(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
