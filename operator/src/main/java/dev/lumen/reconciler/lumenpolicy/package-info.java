/**
 * The LumenPolicy reconciler: resolves the cycle's input from the cluster and reports through
 * events, Slack, metrics and Alertmanager.
 */
package dev.lumen.reconciler.lumenpolicy;
