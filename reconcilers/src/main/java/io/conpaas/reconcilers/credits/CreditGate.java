package io.conpaas.reconcilers.credits;

import io.conpaas.api.v1alpha1.CreditAccount;
import io.conpaas.reconcilers.model.StopCause;
import java.util.Optional;

/**
 * What a service pass consults before it wants any VM: whether the namespace's credits let it run.
 * Pure: the account comes from the pass's informer. Exhausted (an hour started that the credits
 * did not cover) stops every service; with no credit left a service that has no VM does not start
 * one, and a running one keeps its VMs but adds none (each would start an hour nobody paid for);
 * without an account a namespace is unlimited unless credits are enforced.
 */
public final class CreditGate {
  public static final String EXHAUSTED = "CreditsExhausted";
  public static final String NO_ACCOUNT = "NoCreditAccount";
  public static final String NO_CREDITS_LEFT = "NoCreditsLeft";

  private final boolean enforce;

  public CreditGate(boolean enforce) {
    this.enforce = enforce;
  }

  /** A gate that lets namespaces without an account run (credits.enforce off). */
  public static CreditGate unenforced() {
    return new CreditGate(false);
  }

  public boolean enforced() {
    return enforce;
  }

  /** Why the service must be held stopped (empty: it may run). hasVms: it has Agents now. */
  public Optional<StopCause> verdict(String namespace, Optional<CreditAccount> account, boolean hasVms) {
    if (account.isEmpty() || account.get().getMetadata().getDeletionTimestamp() != null) {
      return enforce ? Optional.of(new StopCause(NO_ACCOUNT, "credits are enforced and namespace " + namespace
          + " has no CreditAccount '" + CreditAccount.NAME + "': an administrator grants credits "
          + "(kubectl conpaas credits --grant N -n " + namespace + ")")) : Optional.empty();
    }
    CreditAccount a = account.get();
    long credits = a.getSpec() == null || a.getSpec().getCredits() == null ? 0 : a.getSpec().getCredits();
    long used = a.getStatus() == null || a.getStatus().getUsed() == null ? 0 : a.getStatus().getUsed();
    if (used > credits) {
      return Optional.of(new StopCause(EXHAUSTED, "credits exhausted (" + used + " used of " + credits
          + " granted); stopped until an administrator grants more"));
    }
    if (used >= credits && !hasVms) {
      return Optional.of(new StopCause(EXHAUSTED, "no credits left (" + used + " used of " + credits
          + " granted): no VM is started until an administrator grants more"));
    }
    return Optional.empty();
  }

  /**
   * Why a service that may run must not add VMs now (empty: it may): every credit is used, so a new
   * VM's first hour would exhaust the account. Scaling down and keeping what runs stay allowed.
   */
  public Optional<StopCause> growthVerdict(Optional<CreditAccount> account) {
    if (account.isEmpty() || account.get().getMetadata().getDeletionTimestamp() != null) {
      return Optional.empty();
    }
    CreditAccount a = account.get();
    long credits = a.getSpec() == null || a.getSpec().getCredits() == null ? 0 : a.getSpec().getCredits();
    long used = a.getStatus() == null || a.getStatus().getUsed() == null ? 0 : a.getStatus().getUsed();
    return used >= credits ? Optional.of(new StopCause(NO_CREDITS_LEFT, "no credits left (" + used + " used of "
        + credits + " granted): no agent is added until an administrator grants more")) : Optional.empty();
  }
}
