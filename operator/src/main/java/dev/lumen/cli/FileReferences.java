package dev.lumen.cli;

import dev.lumen.validation.References;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Answers reference checks offline from the resources given together on the command line. Secrets
 * live in the cluster, so they are not checked here.
 */
final class FileReferences implements References {
  private final Set<String> sloTargets = new HashSet<>();
  private final boolean checkSloTargets;

  FileReferences(boolean checkSloTargets) {
    this.checkSloTargets = checkSloTargets;
  }

  void addSloTarget(String namespace, String name) {
    sloTargets.add(namespace + "/" + name);
  }

  @Override
  public boolean sloTargetExists(String namespace, String name) {
    return !checkSloTargets || sloTargets.contains(namespace + "/" + name);
  }

  @Override
  public boolean seesSecrets() {
    return false;
  }

  @Override
  public Optional<Set<String>> secretKeys(String namespace, String name) {
    return Optional.empty();
  }
}
