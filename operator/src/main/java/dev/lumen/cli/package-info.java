/**
 * The operator's command line: run, validate, rules, and what the local tool reuses of it (options,
 * start-up, manifests).
 */
package dev.lumen.cli;
