{{/*
The rules Lumen needs wherever it watches: in a ClusterRole, or in a Role per watched namespace.
*/}}
{{- define "lumen-operator.rules" }}
# Reads and watches the two kinds it reconciles; a policy also follows the SLOTargets it names.
- apiGroups: [lumen.dev]
  resources: [lumenpolicies, slotargets]
  verbs: [get, list, watch]
# Removes a steering annotation (lumen.dev/approve, hold-rollback, ...) once it has acted on it.
- apiGroups: [lumen.dev]
  resources: [lumenpolicies]
  verbs: [patch]
# Writes what it measured, decided and did; the status is the only memory of a rollout.
- apiGroups: [lumen.dev]
  resources: [lumenpolicies/status, slotargets/status]
  verbs: [update]
# Records decisions as events on the resources, and counts repeats of the same event.
- apiGroups: [""]
  resources: [events]
  verbs: [create, get, patch]
# Reads the Secrets a policy names (Slack webhook, Redis URL), one by name; it never lists them.
- apiGroups: [""]
  resources: [secrets]
  verbs: [get]
{{- if .Values.cloudMonitoringObjects.enabled }}
# Holds each SLOTarget with the finalizer lumen.dev/monitoring-objects until its Cloud Monitoring
# objects are deleted (cloudMonitoringObjects.enabled): patch of metadata.finalizers only.
- apiGroups: [lumen.dev]
  resources: [slotargets]
  verbs: [patch]
{{- end }}
{{- if .Values.sloAlertRules.enabled }}
# Keeps a PrometheusRule with each SLOTarget's burn-rate alerts (sloAlertRules.enabled). It is owned
# by its SLOTarget, so Kubernetes deletes it with it: no delete, list or watch.
- apiGroups: [monitoring.coreos.com]
  resources: [prometheusrules]
  verbs: [get, create, update]
{{- end }}
{{- end }}
