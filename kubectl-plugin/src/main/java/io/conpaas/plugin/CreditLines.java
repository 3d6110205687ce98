package io.conpaas.plugin;

import io.conpaas.api.v1alpha1.CreditAccount;
import io.conpaas.api.v1alpha1.CreditAccountStatus;
import io.conpaas.api.v1alpha1.ServiceCredits;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;

/** A namespace's credits in one line, for list, usage and credits (ConPaaS showed them on every page). */
final class CreditLines {
  private CreditLines() {}

  /** The namespace's CreditAccount, if there is one. */
  static Optional<CreditAccount> account(KubernetesClient client, String ns) {
    return Optional.ofNullable(client.resources(CreditAccount.class).inNamespace(ns)
        .withName(CreditAccount.NAME).get());
  }

  /** "6 credits granted, 4 used, 2 left" (with "EXHAUSTED: ..." when exhausted). */
  static String summary(CreditAccount a) {
    long credits = a.getSpec() == null || a.getSpec().getCredits() == null ? 0 : a.getSpec().getCredits();
    CreditAccountStatus s = a.getStatus();
    if (s == null || s.getUsed() == null) {
      return credits + " credits granted, usage not counted yet";
    }
    String line = credits + " credits granted, " + s.getUsed() + " used, " + s.getRemaining() + " left";
    return Boolean.TRUE.equals(s.getExhausted())
        ? line + "; EXHAUSTED: every service of the namespace is stopped until more credits are granted" : line;
  }

  /** The credits line of a namespace: its account, else that it has none, else why it cannot be read. */
  static String of(KubernetesClient client, String ns) {
    try {
      return account(client, ns).map(CreditLines::summary)
          .orElse("no CreditAccount (unlimited unless the operator enforces credits)");
    } catch (KubernetesClientException e) {
      return "unknown (" + ErrorMessages.describe(e) + ")";
    }
  }

  /** Credits one service used, if the account lists it. */
  static Optional<Long> usedBy(CreditAccount a, String kind, String name) {
    if (a.getStatus() == null || a.getStatus().getServices() == null) {
      return Optional.empty();
    }
    return a.getStatus().getServices().stream()
        .filter(s -> name.equals(s.getName()) && kind.equals(s.getKind()))
        .map(ServiceCredits::getUsed).findFirst();
  }
}
