package dev.lumen.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.LumenProjectBinding;
import dev.lumen.api.v1alpha1.ProjectBindingSpec;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProjectBindingsTest {
  static final CloudRunServiceReference CHECKOUT_EU =
      new CloudRunServiceReference("shop-prod", "europe-west1", "checkout-api");

  @Test
  void aBindingAllowsOnlyItsNamespacesProjectsRegionsAndServicePatterns() {
    var bindings =
        tenancy(
            binding(
                "shop",
                new ProjectBindingSpec(
                    List.of("shop"),
                    null,
                    List.of("shop-prod"),
                    List.of("europe-west1"),
                    List.of("checkout-*"),
                    null)));

    assertThat(bindings.refusal("shop", CHECKOUT_EU)).isEmpty();
    assertThat(bindings.refusal("other", CHECKOUT_EU))
        .hasValueSatisfying(m -> assertThat(m).contains("no LumenProjectBinding binds"));
    assertThat(
            bindings.refusal(
                "shop", new CloudRunServiceReference("shop-prod", "us-central1", "checkout-api")))
        .hasValueSatisfying(m -> assertThat(m).contains("in regions [europe-west1] only"));
    assertThat(
            bindings.refusal(
                "shop", new CloudRunServiceReference("shop-prod", "europe-west1", "search")))
        .hasValueSatisfying(m -> assertThat(m).contains("for services [checkout-*] only"));
    assertThat(
            bindings.refusal(
                "shop", new CloudRunServiceReference("payments-prod", "europe-west1", "x")))
        .isPresent();
  }

  @Test
  void namespacesAreSelectedByLabelExpressionsAndAnEmptySelectorSelectsNone() {
    var selector =
        new LabelSelectorBuilder()
            .addNewMatchExpression()
            .withKey("team")
            .withOperator("In")
            .withValues("shop", "search")
            .endMatchExpression()
            .addNewMatchExpression()
            .withKey("frozen")
            .withOperator("DoesNotExist")
            .endMatchExpression()
            .build();
    Map<String, Map<String, String>> labels =
        Map.of(
            "shop", Map.of("team", "shop"),
            "frozen-shop", Map.of("team", "shop", "frozen", "yes"),
            "payments", Map.of("team", "payments"));
    var bySelector =
        new ProjectBindings(
            () ->
                List.of(
                    binding(
                        "by-label",
                        new ProjectBindingSpec(
                            null, selector, List.of("shop-prod"), null, null, null))),
            ns -> labels.getOrDefault(ns, Map.of()));
    var empty =
        tenancy(
            binding(
                "empty",
                new ProjectBindingSpec(
                    null,
                    new LabelSelectorBuilder().build(),
                    List.of("shop-prod"),
                    null,
                    null,
                    null)));

    assertThat(bySelector.refusal("shop", CHECKOUT_EU)).isEmpty();
    assertThat(bySelector.refusal("frozen-shop", CHECKOUT_EU)).isPresent();
    assertThat(bySelector.refusal("payments", CHECKOUT_EU)).isPresent();
    assertThat(empty.refusal("shop", CHECKOUT_EU)).isPresent();
  }

  static ProjectBindings tenancy(LumenProjectBinding binding) {
    return new ProjectBindings(() -> List.of(binding), ns -> Map.of());
  }

  static LumenProjectBinding binding(String name, ProjectBindingSpec spec) {
    var binding = new LumenProjectBinding();
    binding.setMetadata(new ObjectMetaBuilder().withName(name).build());
    binding.setSpec(spec);
    return binding;
  }
}
