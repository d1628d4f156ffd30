/**
 * The Cloud Monitoring objects an SLOTarget stands for: a Service for its Cloud Run service, one
 * ServiceLevelObjective per objective the SLO API can express, multi-window burn-rate alert
 * policies and a dashboard, rendered as the APIs' own messages and kept in sync by the operator.
 */
package dev.lumen.monitoring;
