package dev.lumen.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.SecretKeyReference;
import dev.lumen.testkit.BadInputCorpus;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Every resource of the bad-input corpus is rejected by the checks the CRDs' schema and CEL rules
 * come from, with an error that names the field.
 */
class BadInputCorpusTest {
  static final ResourceValidator VALIDATOR = new ResourceValidator(CrdSchemas.load());

  @Test
  void everyCaseIsRejectedNamingItsField() {
    List<BadInputCorpus.Case> cases = BadInputCorpus.cases();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(50);
    var softly = new SoftAssertions();
    for (var c : cases) {
      Validation validation = VALIDATOR.validate(c.tree(), references());
      softly
          .assertThat(validation.violations().stream().map(Violation::toString).toList())
          .as("%s (expects %s)", c, c.field())
          .anyMatch(v -> v.startsWith(c.field()) || v.contains(c.field() + ":"));
    }
    softly.assertAll();
  }

  /** The cluster the corpus expects: one SLOTarget and two Secrets, in the given namespace. */
  private static References references() {
    return new References() {
      @Override
      public boolean sloTargetExists(String namespace, String name) {
        return BadInputCorpus.SLO_TARGET.equals(name);
      }

      @Override
      public boolean seesSecrets() {
        return true;
      }

      @Override
      public Optional<Set<String>> secretKeys(String namespace, String name) {
        return Optional.ofNullable(BadInputCorpus.SECRETS.get(name))
            .map(value -> Set.of(BadInputCorpus.SECRET_KEY));
      }

      @Override
      public Optional<String> secretValue(String namespace, SecretKeyReference ref) {
        return secretKeys(namespace, ref.name())
            .filter(keys -> keys.contains(ref.key()))
            .map(keys -> BadInputCorpus.SECRETS.get(ref.name()));
      }
    };
  }
}
