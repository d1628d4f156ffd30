/**
 * HTTP calls to endpoints a user chose (Prometheus, Alertmanager, Slack): bounded in size and in
 * time, so one tenant's misbehaving endpoint cannot exhaust the operator's memory or threads.
 */
package dev.lumen.http;
