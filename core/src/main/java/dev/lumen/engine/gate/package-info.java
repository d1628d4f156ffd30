/** Gates and scores: SLO, ROI, budget and maturity gates, cost, overall health. */
package dev.lumen.engine.gate;
