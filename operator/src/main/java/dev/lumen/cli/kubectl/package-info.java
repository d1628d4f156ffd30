/**
 * {@code kubectl lumen}: commands for people at the keyboard (get, promote, abort, approve, hold,
 * release, retry, status) against any cluster a kubeconfig reaches. They read status and write the
 * command annotations; what Lumen does stays in the operator.
 */
package dev.lumen.cli.kubectl;
