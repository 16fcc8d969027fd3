package dev.lake.exchanges.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A request budget spends a venue's window evenly: a burst at most, never a whole window. */
class RequestBudgetTest {
  @Test
  void aNewBudgetLetsOnlyItsBurstGoOutAtOnce() {
    RequestBudget budget = new RequestBudget(600, Duration.ofMinutes(1), 10, 0);

    assertThat(budget.reserve(10, 0)).isZero();
    assertThat(budget.reserve(1, 0)).isEqualTo(100);
  }

  @Test
  void requestsBeyondTheBurstAreSpreadEvenlyOverTheWindow() {
    RequestBudget budget = new RequestBudget(20, Duration.ofSeconds(2), 1, 0);
    List<Long> waits = new ArrayList<>();

    for (int i = 0; i < 5; i++) {
      waits.add(budget.reserve(1, 0));
    }

    assertThat(waits).containsExactly(0L, 100L, 200L, 300L, 400L);
  }

  @Test
  void aQuietSpellRefillsTheBudgetOnlyUpToItsBurst() {
    RequestBudget budget = new RequestBudget(2400, Duration.ofMinutes(1), 240, 0);
    budget.reserve(240, 0);

    long afterAnHour = 3_600_000;

    assertThat(budget.reserve(240, afterAnHour)).isZero();
    assertThat(budget.reserve(40, afterAnHour)).isEqualTo(1000);
  }

  @Test
  void overAnySpanOfOneWindowAtMostTheLimitAndTheBurstGoOut() {
    RequestBudget budget = new RequestBudget(600, Duration.ofSeconds(5), 60, 0);
    List<Long> sent = new ArrayList<>();
    long now = 0;
    while (now < 20_000) {
      long wait = budget.waitFor(7, now);
      now += wait;
      budget.reserve(7, now);
      sent.add(now);
    }

    for (long start = 0; start < 15_000; start += 250) {
      long from = start;
      long weight = 7L * sent.stream().filter(t -> t >= from && t < from + 5_000).count();
      assertThat(weight).as("weight sent from %d ms", from).isLessThanOrEqualTo(600 + 60);
    }
  }

  @Test
  void aShareOfTheVenueLimitKeepsTheRestAsItsBurstUpToATenthOfTheWindow() {
    RestRules binanceFutures = RestRules.builder().budget(2400, Duration.ofMinutes(1)).build();

    RequestBudget budget = binanceFutures.budget(0.8, 0);

    assertThat(budget.limit()).isEqualTo(1920);
    assertThat(budget.burst()).isEqualTo(240);
    assertThat(budget.window()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void aBudgetWithoutWeightIsRefusedNamingWhatWasExpected() {
    assertThatThrownBy(() -> new RequestBudget(0, Duration.ofSeconds(2), 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid request budget: 0 (expected a weight of at least 1 per window)");
  }
}
