/**
 * Prometheus alerting rules: multi-window, multi-burn-rate alerts rendered from SLOTargets over the
 * Cloud Run metrics as Managed Service for Prometheus names them, and the operator's own health
 * alerts. Pure functions of their input, rendered as a rules file or a PrometheusRule.
 */
package dev.lumen.rules;
