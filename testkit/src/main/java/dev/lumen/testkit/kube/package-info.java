/** The embedded Kubernetes API server: fabric8's mock server in CRUD mode with Lumen's CRDs. */
package dev.lumen.testkit.kube;
