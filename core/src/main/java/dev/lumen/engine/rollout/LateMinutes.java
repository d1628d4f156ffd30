package dev.lumen.engine.rollout;

import dev.lumen.engine.measure.Minutes;
import dev.lumen.engine.measure.TrafficWindow;

/**
 * The last minutes of a step that has ended, still served at its split, whose data arrived only
 * after the rollout moved on: the data delay would otherwise leave them out of every step.
 *
 * @param minutes which minutes ({@code status.rollout.earlierSteps.arriving})
 * @param canary the canary's traffic in them
 * @param stable stable's traffic in them
 */
public record LateMinutes(Minutes minutes, TrafficWindow canary, TrafficWindow stable) {}
