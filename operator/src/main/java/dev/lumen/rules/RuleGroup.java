package dev.lumen.rules;

import java.util.List;

/** A Prometheus rule group: its rules are evaluated together, in order. */
public record RuleGroup(String name, List<Rule> rules) {}
