/** The SLOTarget reconciler and the PrometheusRule it keeps beside each SLOTarget. */
package dev.lumen.reconciler.slotarget;
