/**
 * Telling people: Kubernetes events always, Slack incoming webhooks and Alertmanager when a policy
 * asks for them. Sending happens off the reconcile thread with a bounded number of attempts, so a
 * notifier that is down never delays a rollback.
 */
package dev.lumen.notify;
