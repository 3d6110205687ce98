package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The ConPaaS credit system (manual 2.1.3) for one namespace: one credit is one started hour of
 * one VM. An administrator grants credits in the spec; the operator counts usage in the status and
 * stops the namespace's services when an hour starts that the credits do not cover.
 */
@Group(ApiConstants.GROUP)
@Version(ApiConstants.VERSION)
@Categories("conpaas")
@ValidationRule(value = "self.metadata.name == 'default'",
    message = "a namespace has one CreditAccount, named default")
@AdditionalPrinterColumn(name = "CREDITS", jsonPath = ".spec.credits", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "USED", jsonPath = ".status.used", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "REMAINING", jsonPath = ".status.remaining",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "EXHAUSTED", jsonPath = ".status.exhausted",
    type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class CreditAccount extends CustomResource<CreditAccountSpec, CreditAccountStatus> implements Namespaced {
  /** The one account name a namespace may have. */
  public static final String NAME = "default";

  @Override
  @Required
  @JsonPropertyDescription("The credits granted by an administrator.")
  public CreditAccountSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Usage counted by the operator.")
  public CreditAccountStatus getStatus() {
    return super.getStatus();
  }
}
