/** kubectl and {@code kubectl lumen} run for real against {@code lumen run-local}. */
package dev.lumen.sim.kubectl;
