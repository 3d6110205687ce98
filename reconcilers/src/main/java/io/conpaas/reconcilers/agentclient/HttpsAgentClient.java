package io.conpaas.reconcilers.agentclient;

import io.conpaas.agent.api.AgentInfo;
import io.conpaas.agent.api.AgentJson;
import io.conpaas.agent.api.AgentPaths;
import io.conpaas.agent.api.MutualTls;
import io.conpaas.agent.api.MysqlRoleKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Calls agents with the operator's client certificate. Instead of matching a host name (a
 * VM's address is not known when its certificate is issued) it pins the peer's identity: the
 * certificate must be signed by our CA and carry the expected agent's name as CN.
 */
public final class HttpsAgentClient implements AgentClient {
  private final SSLContext tls;
  private final int timeoutMillis;
  private final int slowTimeoutMillis;

  /** timeout: for health and info; configuration and uploads get at least 60 s (see below). */
  public HttpsAgentClient(SSLContext tls, Duration timeout) {
    this.tls = tls;
    this.timeoutMillis = (int) timeout.toMillis();
    // A proxy answers PUT /config only once its old workers drained (up to ~35 s), and an upload
    // is checked and expanded before the agent answers.
    this.slowTimeoutMillis = Math.max(timeoutMillis, 60_000);
  }

  @Override
  public boolean healthy(String endpoint, String agentName) {
    try {
      call(endpoint, agentName, "GET", AgentPaths.HEALTH, null);
      return true;
    } catch (AgentCallException e) {
      return false;
    }
  }

  @Override
  public AgentInfo info(String endpoint, String agentName) {
    return parse(call(endpoint, agentName, "GET", AgentPaths.INFO, null), AgentInfo.class);
  }

  @Override
  public AgentInfo configure(String endpoint, String agentName, Map<String, String> config) {
    try {
      byte[] body = AgentJson.mapper().writeValueAsBytes(config);
      return parse(call(endpoint, agentName, "PUT", AgentPaths.CONFIG, body, null, slowTimeoutMillis),
          AgentInfo.class);
    } catch (IOException e) {
      throw new AgentCallException("cannot encode configuration", e);
    }
  }

  @Override
  public void uploadCode(String endpoint, String agentName, String version, Path archive) {
    try {
      call(endpoint, agentName, "PUT", AgentPaths.CODE_VERSIONS + "/" + version, null, archive, slowTimeoutMillis);
    } catch (AgentCallException e) {
      // 409: versions are immutable and this one is there (e.g. an earlier pass uploaded it).
      if (!e.getMessage().contains(" answered 409:")) {
        throw e;
      }
    }
  }

  @Override
  public AgentInfo putCredentials(String endpoint, String agentName, MysqlRoleKeys.Credentials credentials) {
    try {
      byte[] body = AgentJson.mapper().writeValueAsBytes(credentials);
      return parse(call(endpoint, agentName, "PUT", AgentPaths.MYSQL_CREDENTIALS, body), AgentInfo.class);
    } catch (IOException e) {
      throw new AgentCallException("cannot encode credentials", e);
    }
  }

  @Override
  public void leave(String endpoint, String agentName) {
    call(endpoint, agentName, "POST", AgentPaths.LEAVE, new byte[0]);
  }

  @Override
  public Answer stream(String endpoint, String agentName, String path, InputStream body, long length) {
    HttpsURLConnection c = null;
    try {
      c = connect(endpoint, agentName, path, slowTimeoutMillis * 5);
      c.setRequestMethod("PUT");
      c.setDoOutput(true);
      if (length >= 0) {
        c.setFixedLengthStreamingMode(length);
      } else {
        c.setChunkedStreamingMode(64 * 1024);
      }
      c.setRequestProperty("Content-Type", "application/octet-stream");
      try (OutputStream out = c.getOutputStream()) {
        body.transferTo(out);
      }
      int status = c.getResponseCode();
      try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
        return new Answer(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new AgentCallException("PUT " + path + " on " + agentName + " at " + endpoint + " failed: "
          + e.getMessage(), e);
    } finally {
      if (c != null) {
        c.disconnect();
      }
    }
  }

  @Override
  public String get(String endpoint, String agentName, String path) {
    return call(endpoint, agentName, "GET", path, null);
  }

  private String call(String endpoint, String agentName, String method, String path, byte[] body) {
    return call(endpoint, agentName, method, path, body, null, timeoutMillis);
  }

  private String call(String endpoint, String agentName, String method, String path, byte[] body, Path file,
      int readTimeoutMillis) {
    HttpsURLConnection c = null;
    try {
      c = connect(endpoint, agentName, path, readTimeoutMillis);
      c.setRequestMethod(method);
      if (file != null) {
        // Streamed with a fixed length: never the whole archive in memory.
        c.setDoOutput(true);
        c.setFixedLengthStreamingMode(Files.size(file));
        c.setRequestProperty("Content-Type", "application/octet-stream");
        try (OutputStream out = c.getOutputStream()) {
          Files.copy(file, out);
        }
      } else if (body != null) {
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = c.getOutputStream()) {
          out.write(body);
        }
      }
      int status = c.getResponseCode();
      try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
        String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        if (status >= 400) {
          throw new AgentCallException(method + " " + path + " on " + agentName + " answered "
              + status + ": " + text, null);
        }
        return text;
      }
    } catch (IOException e) {
      throw new AgentCallException(method + " " + path + " on " + agentName + " at " + endpoint
          + " failed: " + e.getMessage(), e);
    } finally {
      if (c != null) {
        c.disconnect();
      }
    }
  }

  /** A connection that pins the agent's identity (our CA, CN = agentName) instead of a host name. */
  private HttpsURLConnection connect(String endpoint, String agentName, String path, int readTimeoutMillis)
      throws IOException {
    HttpsURLConnection c = (HttpsURLConnection) new URL("https://" + endpoint + path).openConnection();
    c.setSSLSocketFactory(tls.getSocketFactory());
    c.setHostnameVerifier((host, session) -> {
      try {
        Certificate[] chain = session.getPeerCertificates();
        return chain.length > 0 && chain[0] instanceof X509Certificate x
            && agentName.equals(MutualTls.commonName(x));
      } catch (SSLPeerUnverifiedException e) {
        return false;
      }
    });
    c.setConnectTimeout(timeoutMillis);
    c.setReadTimeout(readTimeoutMillis);
    return c;
  }

  private static <T> T parse(String json, Class<T> type) {
    try {
      return AgentJson.mapper().readValue(json, type);
    } catch (IOException e) {
      throw new AgentCallException("agent answered malformed JSON: " + e.getMessage(), e);
    }
  }
}
