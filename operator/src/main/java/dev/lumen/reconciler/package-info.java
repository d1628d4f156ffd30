/**
 * What both reconcilers share: the status store on the API server, readiness from validation,
 * Secrets and steering annotations.
 */
package dev.lumen.reconciler;
