/**
 * Loopback gRPC fakes of Cloud Run and Cloud Monitoring, with fault injection, for Lumen's real
 * Google clients.
 */
package dev.lumen.testkit.google;
