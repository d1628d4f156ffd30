package dev.lumen.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
      Validation validation = VALIDATOR.validate(c.tree(), BadInputCorpus.references());
      softly
          .assertThat(validation.violations().stream().map(Violation::toString).toList())
          .as("%s (expects %s)", c, c.field())
          .anyMatch(v -> v.startsWith(c.field()) || v.contains(c.field() + ":"));
    }
    softly.assertAll();
  }
}
