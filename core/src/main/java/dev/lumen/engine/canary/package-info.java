/** Canary analysis: the checks of a step, their statistical tests and the rollback triggers. */
package dev.lumen.engine.canary;
