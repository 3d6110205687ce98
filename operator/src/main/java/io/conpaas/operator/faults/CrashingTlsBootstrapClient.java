package io.conpaas.operator.faults;

import io.conpaas.reconcilers.agentclient.TlsBootstrapClient;
import java.time.Duration;
import javax.net.ssl.KeyManager;

/** The TLS bootstrap client whose certificate install (an agent write) passes the crash hooks. */
public final class CrashingTlsBootstrapClient extends TlsBootstrapClient {
  private final CrashHooks hooks;

  public CrashingTlsBootstrapClient(KeyManager[] operatorKeys, Duration timeout, CrashHooks hooks) {
    super(operatorKeys, timeout);
    this.hooks = hooks;
  }

  @Override
  public void install(String endpoint, String agentName, String publicKey, String certificatePem) {
    String what = "bootstrap-install " + endpoint;
    hooks.beforeWrite(WriteKind.AGENT, what);
    try {
      super.install(endpoint, agentName, publicKey, certificatePem);
    } finally {
      hooks.afterWrite(WriteKind.AGENT, what);
    }
  }
}
