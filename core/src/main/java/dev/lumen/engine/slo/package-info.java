/**
 * SLO evaluation: objectives, compliance, error budgets and burn rates, and the SLOTarget status
 * built from them.
 */
package dev.lumen.engine.slo;
