package dev.lumen.api.v1alpha1;

/** A step that waits for a person's approval; it has no settings of its own. */
public record ApprovalStep() {}
