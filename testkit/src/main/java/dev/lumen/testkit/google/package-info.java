/**
 * Loopback fakes of Cloud Run, Cloud Monitoring (gRPC, and its PromQL HTTP API) and IAM
 * Credentials, with fault injection, for Lumen's real Google clients.
 */
package dev.lumen.testkit.google;
