package io.conpaas.agent.tls;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.conpaas.agent.JsonExchange;
import io.conpaas.agent.api.AgentJson;
import io.conpaas.agent.api.BootstrapClaim;
import io.conpaas.agent.api.BootstrapProof;
import io.conpaas.agent.api.MutualTls;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Map;

/**
 * {@code /bootstrap} (see AgentPaths.BOOTSTRAP): GET tells the operator the agent's public key with
 * the token and its proof; PUT installs a certificate the operator's CA issued for that key. The
 * caller is already known to be the operator (AgentServer lets only its client certificate in).
 */
public final class BootstrapEndpoint implements HttpHandler {
  private static final int MAX_BODY_BYTES = 64 * 1024;

  private final AgentTlsIdentity identity;
  private final String token;

  /** token: the context's bootstrap token, or null for an agent whose context brought a certificate. */
  public BootstrapEndpoint(AgentTlsIdentity identity, String token) {
    this.identity = identity;
    this.token = token;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    switch (exchange.getRequestMethod()) {
      case "GET" -> {
        String key = identity.publicKeyBase64();
        JsonExchange.respond(exchange, 200, new BootstrapClaim(key, token,
            token == null ? null : BootstrapProof.proof(token, key)));
      }
      case "PUT" -> install(exchange);
      default -> JsonExchange.error(exchange, 405, "use GET or PUT");
    }
  }

  private void install(HttpExchange exchange) throws IOException {
    X509Certificate certificate;
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        JsonExchange.error(exchange, 413, "certificate larger than " + MAX_BODY_BYTES + " bytes");
        return;
      }
      certificate = MutualTls.certificate(AgentJson.mapper().readValue(body, BootstrapClaim.Certificate.class)
          .certificatePem());
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      JsonExchange.error(exchange, 400, "not a certificate: " + e.getMessage());
      return;
    }
    try {
      identity.install(certificate);
    } catch (IllegalArgumentException e) {
      JsonExchange.error(exchange, 422, e.getMessage());
      return;
    }
    JsonExchange.respond(exchange, 200, Map.of("notAfter", certificate.getNotAfter().toInstant().toString()));
  }
}
