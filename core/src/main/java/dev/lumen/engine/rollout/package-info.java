/**
 * The policy's decision: PolicyEngine assembles gates, rollout and tuning; RolloutMachine steps a
 * rollout; actions and commands.
 */
package dev.lumen.engine.rollout;
