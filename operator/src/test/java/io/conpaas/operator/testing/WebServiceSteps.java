package io.conpaas.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.CodeSpec;
import io.conpaas.api.v1alpha1.CodeUploadSpec;
import io.conpaas.api.v1alpha1.CodeVersionStatus;
import io.conpaas.api.v1alpha1.ServiceCustomResource;
import io.conpaas.api.v1alpha1.WebServiceStatus;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.api.v1alpha1.WebServiceSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** What the web hosting ITs do to one PhpService or JavaService: upload, activate, wait, request through the proxy. */
public final class WebServiceSteps<R extends ServiceCustomResource<? extends WebServiceSpec, WebServiceStatus>> {
  private final KubernetesClient client;
  private final String namespace;
  private final Class<R> type;
  private final String name;
  private final CodeUploadSpec.ServiceKind kind;
  private final CodeUploads uploads;

  public WebServiceSteps(KubernetesClient client, String namespace, Class<R> type, String name,
      CodeUploadSpec.ServiceKind kind) {
    this.client = client;
    this.namespace = namespace;
    this.type = type;
    this.name = name;
    this.kind = kind;
    this.uploads = new CodeUploads(client, namespace);
  }

  public R service() {
    return client.resources(type).inNamespace(namespace).withName(name).get();
  }

  /** Uploads the archive as version through the CodeUpload path and waits until status lists it. */
  public void upload(String version, Path archive) {
    CodeUploads.Result r = uploads.upload(kind, name, version, archive);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(service().getStatus().getCode()
        .getVersions()).extracting(CodeVersionStatus::getVersion).contains(version));
  }

  /** Sets spec.code.activeVersion and waits until every agent serves it and the service is RUNNING. */
  public void activate(String version) {
    // edit() is read-modify-write with the read's resourceVersion: the operator's status writes in between (more
    // of them under load) make it a 409 Conflict; read and edit again (bounded).
    for (int attempt = 1; ; attempt++) {
      try {
        client.resources(type).inNamespace(namespace).withName(name).edit(s -> {
          if (s.getSpec().getCode() == null) {
            s.getSpec().setCode(new CodeSpec());
          }
          s.getSpec().getCode().setActiveVersion(version);
          return s;
        });
        break;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
      R s = service();
      assertThat(s.getStatus().getState()).isEqualTo(ServiceState.RUNNING);
      assertThat(s.getStatus().getObservedGeneration()).isEqualTo(s.getMetadata().getGeneration());
      assertThat(s.getStatus().getCode().getActive()).isEqualTo(version);
    });
  }

  /** Waits until the service is RUNNING for its current generation and has a URL. */
  public void awaitRunning() {
    await().atMost(Duration.ofSeconds(180)).untilAsserted(() -> {
      R s = service();
      assertThat(s.getStatus().getState()).isEqualTo(ServiceState.RUNNING);
      assertThat(s.getStatus().getObservedGeneration()).isEqualTo(s.getMetadata().getGeneration());
      assertThat(s.getStatus().getEndpoints()).isNotEmpty();
    });
  }

  /** The proxy's URL from status. */
  public String endpoint() {
    return service().getStatus().getEndpoints().get(0).getUrl();
  }

  /** A GET of path (starting with /) through the proxy, without cookies. */
  public HttpResponse<String> get(String path) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(endpoint() + path.substring(1)))
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
