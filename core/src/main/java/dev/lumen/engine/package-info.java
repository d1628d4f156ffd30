/**
 * Lumen's decisions, as pure functions: no I/O, no clock reads, no Kubernetes or Google types.
 * Inputs are the spec, the last status, observations and {@code now}; outputs are values. The same
 * code drives the reconcilers, the simulator and the backtester, so it must be deterministic.
 *
 * <ul>
 *   <li>{@code measure}: what was measured (request counts, latency distributions, cache counts)
 *   <li>{@code slo}: objectives, compliance, error budgets and burn rates
 *   <li>{@code gate}: ROI, budget, maturity, SLO gates and overall health
 *   <li>{@code canary}: the statistical judgement of a canary against stable
 *   <li>{@code rollout}: the rollout state machine and the policy decision
 *   <li>{@code tuning}: min-instances and cache TTL loops
 * </ul>
 */
package dev.lumen.engine;
