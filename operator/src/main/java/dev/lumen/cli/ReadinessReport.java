package dev.lumen.cli;

import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.ObservedStatus;
import dev.lumen.api.v1alpha1.SLOTarget;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Waits until the operator has judged the applied resources and prints its verdicts. */
public final class ReadinessReport {

  private final KubernetesClient client;
  private final PrintWriter out;

  public ReadinessReport(KubernetesClient client, PrintWriter out) {
    this.client = client;
    this.out = out;
  }

  public void awaitAndPrint(List<HasMetadata> applied, Duration timeout)
      throws InterruptedException {
    // The kinds Lumen reconciles and reports Ready on; a binding has no status.
    List<HasMetadata> lumen =
        applied.stream()
            .filter(r -> r.getApiVersion().startsWith(SLOTarget.GROUP + "/"))
            .filter(
                r ->
                    r.getKind().equals(HasMetadata.getKind(SLOTarget.class))
                        || r.getKind().equals(HasMetadata.getKind(LumenPolicy.class)))
            .toList();
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline) && lumen.stream().anyMatch(r -> ready(r).isEmpty())) {
      Thread.sleep(100);
    }
    int nameWidth = lumen.stream().mapToInt(r -> qualifiedName(r).length()).max().orElse(4);
    String row = "%-12s %-" + nameWidth + "s  %-6s %-18s %s%n";
    out.printf(row, "KIND", "NAME", "READY", "REASON", "MESSAGE");
    for (HasMetadata resource : lumen) {
      Optional<Condition> ready = ready(resource);
      out.printf(
          row,
          resource.getKind(),
          qualifiedName(resource),
          ready.map(c -> c.status().name()).orElse("?"),
          ready.map(Condition::reason).orElse("NotReconciled"),
          ready.map(Condition::message).orElse("the operator has not reported yet"));
    }
    out.flush();
  }

  private static String qualifiedName(HasMetadata resource) {
    return resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
  }

  /** The Ready condition for the resource's current generation, once the operator wrote it. */
  private Optional<Condition> ready(HasMetadata applied) {
    Class<? extends CustomResource<?, ? extends ObservedStatus>> kind =
        applied.getKind().equals(HasMetadata.getKind(SLOTarget.class))
            ? SLOTarget.class
            : LumenPolicy.class;
    CustomResource<?, ? extends ObservedStatus> current =
        client
            .resources(kind)
            .inNamespace(applied.getMetadata().getNamespace())
            .withName(applied.getMetadata().getName())
            .get();
    Long generation = current.getMetadata().getGeneration();
    List<Condition> conditions =
        current.getStatus() == null ? List.of() : current.getStatus().getConditions();
    return conditions.stream()
        .filter(c -> c.type().equals(Conditions.READY))
        .filter(c -> generation == null || generation.equals(c.observedGeneration()))
        .findFirst();
  }
}
