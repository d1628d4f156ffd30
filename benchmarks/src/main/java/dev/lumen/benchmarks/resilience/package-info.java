/** The kill campaign: operators killed with SIGKILL during rollouts, and how the rollouts ended. */
package dev.lumen.benchmarks.resilience;
