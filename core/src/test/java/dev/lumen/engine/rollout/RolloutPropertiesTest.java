package dev.lumen.engine.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.LumenPolicySpec.Mode;
import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.api.v1alpha1.RolloutStep;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Invariants of the rollout over random histories of deploys, traffic, commands and time. */
class RolloutPropertiesTest {
  /** One thing that happens between decisions. */
  record Step(int kind, int parameter) {}

  @Provide
  Arbitrary<Step> steps() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 9), Arbitraries.integers().between(0, 20))
        .as(Step::new);
  }

  static final List<List<RolloutStep>> STEP_LISTS =
      List.of(
          Harness.DEFAULT_STEPS,
          List.of(
              Harness.step(20, "2m"),
              Harness.approval(),
              Harness.step(60, "3m"),
              Harness.step(100, "2m")),
          List.of(Harness.step(100, null)),
          List.of(Harness.approval(), Harness.step(50, null), Harness.step(100, null)));

  @Property(tries = 300)
  void rolloutInvariantsHold(
      @ForAll @Size(min = 1, max = 80) List<@net.jqwik.api.From("steps") Step> script,
      @ForAll boolean dryRun,
      @ForAll boolean automatic,
      @ForAll("stepLists") int stepList) {
    var h =
        new Harness(
            Harness.policy(
                STEP_LISTS.get(stepList),
                automatic,
                "3m",
                dryRun ? Mode.DryRun : Mode.Enforce,
                null,
                null));
    int revision = 1;
    for (Step step : script) {
      Set<Command> commands = EnumSet.noneOf(Command.class);
      switch (step.kind()) {
        case 0, 1, 2 -> h.now = h.now.plus(Duration.ofMinutes(1 + step.parameter()));
        case 3 -> h.deploy("web-" + String.format("%03d", ++revision));
        case 4 ->
            h.canaryPerMinute =
                switch (step.parameter() % 4) {
                  case 0 -> Harness.good(500);
                  case 1 -> Harness.traffic(500, 50, 5);
                  case 2 -> Harness.good(1);
                  default -> Harness.traffic(500, 0, 9);
                };
        case 5 -> commands.add(Command.values()[step.parameter() % Command.values().length]);
        case 6 ->
            h.traffic =
                step.parameter() % 2 == 0 || h.latestReady.equals("web-001")
                    ? Map.of(h.latestReady, 100)
                    : Map.of(h.latestReady, 50, "web-001", 50);
        default -> h.now = h.now.plus(Duration.ofSeconds(20));
      }
      LumenPolicyStatus before = h.status;
      var observations = h.observations();
      Decision decision = h.tick(commands.toArray(Command[]::new));

      assertSplitsAreValid(decision);
      assertEveryActionHasAReason(decision);
      assertWeightDoesNotGoBackwardsExceptOnRollback(before, decision);
      Decision again = h.engine.decide(h.spec, before, 1, observations, commands, h.now);
      assertThat(again.actions()).isEqualTo(decision.actions());
      assertThat(Harness.JSON.asJson(again.status()))
          .isEqualTo(Harness.JSON.asJson(decision.status()));
    }
  }

  @Provide
  Arbitrary<Integer> stepLists() {
    return Arbitraries.integers().between(0, STEP_LISTS.size() - 1);
  }

  private static void assertSplitsAreValid(Decision decision) {
    for (Action action : decision.actions()) {
      if (action instanceof Action.SetTraffic set) {
        assertThat(set.split().values()).allSatisfy(p -> assertThat(p).isBetween(1, 100));
        assertThat(set.split().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
      }
    }
    Integer weight = decision.status().getCanaryWeight();
    if (weight != null) {
      assertThat(weight).isBetween(0, 100);
    }
  }

  private static void assertEveryActionHasAReason(Decision decision) {
    assertThat(decision.actions())
        .allSatisfy(
            a -> {
              assertThat(a.reason()).isNotBlank();
              assertThat(a.kind()).matches("[A-Z][A-Za-z0-9]*");
            });
  }

  private static void assertWeightDoesNotGoBackwardsExceptOnRollback(
      LumenPolicyStatus before, Decision decision) {
    var after = decision.status();
    boolean rolledBack = decision.actions().stream().anyMatch(a -> a.kind().equals("Rollback"));
    if (before.getCanaryRevision() != null
        && before.getCanaryRevision().equals(after.getCanaryRevision())
        && !rolledBack) {
      assertThat(after.getCanaryWeight()).isGreaterThanOrEqualTo(before.getCanaryWeight());
    }
  }
}
