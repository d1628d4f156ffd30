package dev.lumen.sim;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;

/** A LumenPolicy as a person writes it, for the drills and tests that apply one. */
public final class PolicyYaml {
  private PolicyYaml() {}

  /**
   * @param rest more of the spec, as YAML lines indented by two spaces
   */
  public static String of(String name, CloudRunServiceReference ref, String mode, String rest) {
    return "apiVersion: lumen.dev/v1alpha1\nkind: LumenPolicy\nmetadata: {name: "
        + name
        + "}\nspec:\n  service: {cloudRun: {project: "
        + ref.project()
        + ", region: "
        + ref.region()
        + ", name: "
        + ref.name()
        + "}}\n  mode: "
        + mode
        + "\n"
        + rest;
  }
}
