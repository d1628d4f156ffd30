package dev.lumen.engine.gate;

import dev.lumen.api.v1alpha1.BudgetGate;
import dev.lumen.api.v1alpha1.PricesSpec;
import dev.lumen.engine.Decimals;

/**
 * Cloud Run prices used to estimate spend: instance time by vCPU and memory, and requests; Cloud
 * Run's tier-1 list prices in USD for each billing mode, or a budget gate's own prices.
 */
public record Pricing(double perVcpuSecond, double perGibSecond, double perMillionRequests) {
  /** CPU allocated only while requests are served: instance time billed then, plus a fee. */
  public static final Pricing REQUEST_BASED = new Pricing(0.000024, 0.0000025, 0.40);

  /** CPU always allocated: the whole instance lifetime at lower rates, no request fee. */
  public static final Pricing INSTANCE_BASED = new Pricing(0.000018, 0.000002, 0);

  /** The prices a budget gate asks for: its billing mode's list prices, with its overrides. */
  public static Pricing of(BudgetGate budget) {
    if (budget == null) {
      return REQUEST_BASED;
    }
    Pricing list =
        budget.billing() == BudgetGate.Billing.InstanceBased ? INSTANCE_BASED : REQUEST_BASED;
    PricesSpec prices = budget.prices();
    if (prices == null) {
      return list;
    }
    return new Pricing(
        price(prices.perVcpuSecond(), list.perVcpuSecond()),
        price(prices.perGibSecond(), list.perGibSecond()),
        price(prices.perMillionRequests(), list.perMillionRequests()));
  }

  private static double price(String override, double list) {
    return override == null ? list : Decimals.parse(override);
  }
}
