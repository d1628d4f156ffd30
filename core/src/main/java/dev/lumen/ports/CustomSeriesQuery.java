package dev.lumen.ports;

import java.time.Duration;

/**
 * A custom objective's Cloud Monitoring query: a time-series filter, aligned per series and reduced
 * across series to the one number the objective bounds.
 *
 * @param filter e.g. {@code metric.type = "custom.googleapis.com/checkout/queue_depth"}
 * @param aligner e.g. ALIGN_MEAN (Monitoring's {@code Aggregation.Aligner} names)
 * @param reducer e.g. REDUCE_SUM (Monitoring's {@code Aggregation.Reducer} names)
 * @param alignmentPeriod one value per period
 */
public record CustomSeriesQuery(
    String filter, String aligner, String reducer, Duration alignmentPeriod) {}
