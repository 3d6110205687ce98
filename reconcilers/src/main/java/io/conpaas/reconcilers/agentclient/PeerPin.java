package io.conpaas.reconcilers.agentclient;

import java.security.cert.X509Certificate;

/** What the operator accepts at the other end of an agent connection, checked right after the handshake. */
interface PeerPin {
  /** Whether the peer's certificate is acceptable. */
  boolean matches(X509Certificate cert);

  /** Why a refused certificate was refused, for the call's error. */
  String mismatch();
}
