package dev.lumen.engine.measure;

import java.time.Instant;

/** One value of a time series, e.g. a custom objective's query. */
public record Sample(Instant time, double value) {}
