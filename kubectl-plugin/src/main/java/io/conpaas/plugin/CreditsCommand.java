package io.conpaas.plugin;

import io.conpaas.api.v1alpha1.CreditAccount;
import io.conpaas.api.v1alpha1.CreditAccountSpec;
import io.conpaas.api.v1alpha1.ServiceCredits;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code credits}: a namespace's credits and usage per service; {@code --grant N} adds credits (administrators). */
@Command(name = "credits",
    header = "Show the namespace's credits, or grant more (administrators).",
    description = {"Shows the CreditAccount of the namespace: credits granted, used (one credit per started hour "
        + "of each VM) and left, and the credits each service used, deleted services included. When they run "
        + "out, every service of the namespace is stopped (reason CreditsExhausted) until more are granted.",
        "--grant N adds N credits (creating the account if there is none); only an administrator may (the "
            + "chart's admission policy refuses anyone else, with the reason)."})
final class CreditsCommand extends PluginCommand {
  @Mixin
  Output output;

  @Option(names = "--grant", paramLabel = "N", description = "Add N credits to the namespace's account.")
  Long grant;

  @Override
  public Integer call() {
    String ns = root.namespace();
    KubernetesClient client = root.client();
    if (grant != null) {
      if (grant <= 0) {
        throw new CliException("--grant takes a positive number of credits, got " + grant, 2);
      }
      return granted(client, ns);
    }
    Optional<CreditAccount> account = CreditLines.account(client, ns);
    if (account.isEmpty()) {
      if (!output.isTable()) {
        throw new CliException("namespace " + ns + " has no CreditAccount");
      }
      say("namespace " + ns + ": no CreditAccount (unlimited unless the operator enforces credits: then no VM "
          + "starts until an administrator grants some with kubectl conpaas credits --grant N)");
      return 0;
    }
    CreditAccount a = account.get();
    output.printObject(out(), a, "namespace " + ns + ": " + CreditLines.summary(a));
    if (output.isTable() && a.getStatus() != null && a.getStatus().getServices() != null
        && !a.getStatus().getServices().isEmpty()) {
      say("");
      TableWriter t = new TableWriter("KIND", "SERVICE", "USED", "RELEASED", "VMS");
      for (ServiceCredits s : a.getStatus().getServices()) {
        t.row(s.getKind(), s.getName(), String.valueOf(s.getUsed()), String.valueOf(s.getReleased()),
            String.valueOf(s.getVms()));
      }
      t.print(out());
    }
    return 0;
  }

  private int granted(KubernetesClient client, String ns) {
    Optional<CreditAccount> account = CreditLines.account(client, ns);
    long before;
    if (account.isEmpty()) {
      CreditAccount a = new CreditAccount();
      a.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(CreditAccount.NAME).build());
      a.setSpec(new CreditAccountSpec(grant));
      client.resource(a).create();
      before = 0;
    } else {
      Long credits = account.get().getSpec() == null ? null : account.get().getSpec().getCredits();
      before = credits == null ? 0 : credits;
      // The test op makes two grants at once both count (the loser's patch fails and says so).
      String patch = Serialization.asJson(List.of(
          Map.of("op", "test", "path", "/spec/credits", "value", before),
          Map.of("op", "replace", "path", "/spec/credits", "value", before + grant)));
      client.resources(CreditAccount.class).inNamespace(ns).withName(CreditAccount.NAME)
          .patch(PatchContext.of(PatchType.JSON), patch);
    }
    say("granted " + grant + " credits to namespace " + ns + ": " + (before + grant) + " in total (was "
        + before + ")");
    return 0;
  }
}
