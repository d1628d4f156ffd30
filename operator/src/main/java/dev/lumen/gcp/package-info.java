/**
 * The Google adapters: Cloud Run Admin API v2 and Cloud Monitoring over gRPC, with deadlines,
 * bounded retries and typed failures.
 */
package dev.lumen.gcp;
