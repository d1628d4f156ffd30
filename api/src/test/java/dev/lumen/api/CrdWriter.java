package dev.lumen.api;

import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.LumenProjectBinding;
import dev.lumen.api.v1alpha1.SLOTarget;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Generates the CRDs from the Java model with fabric8's v2 CRD generator.
 *
 * <p>The generator is driven through its API rather than its Maven plugin because the plugin sorts
 * printer columns by JSON path, which puts AGE first in {@code kubectl get}; the post processor
 * restores the order in which the columns are declared on the class.
 */
public final class CrdWriter {
  public static final List<Class<? extends HasMetadata>> KINDS =
      List.of(LumenPolicy.class, SLOTarget.class, LumenProjectBinding.class);

  private CrdWriter() {}

  /** Writes one file per kind into {@code dir} and returns the files written. */
  public static List<Path> writeTo(Path dir) throws IOException {
    Files.createDirectories(dir);
    new CRDGenerator()
        .inOutputDir(dir.toFile())
        .forCRDVersions("v1")
        .withPostProcessor(new DeclaredColumnOrder())
        .customResourceClasses(KINDS)
        .generate();
    try (var files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
    }
  }

  private static final class DeclaredColumnOrder implements CRDPostProcessor {
    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
      var definition = (CustomResourceDefinition) crd;
      var kind =
          KINDS.stream()
              .filter(k -> HasMetadata.getKind(k).equals(definition.getSpec().getNames().getKind()))
              .findFirst()
              .orElseThrow();
      List<String> declared =
          Arrays.stream(kind.getAnnotationsByType(AdditionalPrinterColumn.class))
              .map(AdditionalPrinterColumn::name)
              .toList();
      for (var version : definition.getSpec().getVersions()) {
        List<CustomResourceColumnDefinition> columns = version.getAdditionalPrinterColumns();
        if (columns != null) {
          columns.sort(Comparator.comparingInt(c -> declared.indexOf(c.getName())));
        }
      }
      return crd;
    }
  }
}
