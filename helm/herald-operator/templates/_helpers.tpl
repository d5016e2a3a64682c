{{/* Name of the chart, or nameOverride; DNS labels stop at 63 characters. */}}
{{- define "herald-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Name of the operator's resources. A release whose name already contains the chart name is not
repeated (release herald-operator gives herald-operator, not herald-operator-herald-operator).
*/}}
{{- define "herald-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "herald-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object the chart creates. */}}
{{- define "herald-operator.labels" -}}
helm.sh/chart: {{ include "herald-operator.chart" . }}
{{ include "herald-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* The Deployment's selector: only labels that never change across upgrades, since it is immutable. */}}
{{- define "herald-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "herald-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* repository:tag of an image value, the tag defaulting to the chart's appVersion. */}}
{{- define "herald-operator.image" -}}
{{- printf "%s:%s" .image.repository (.image.tag | default .chart.AppVersion) }}
{{- end }}

{{/*
watchNamespaces as a JSON list. `--set watchNamespaces=a` and `--set-string` give a string, not a
list, so a comma-separated string is accepted too.
*/}}
{{- define "herald-operator.watchNamespaces" -}}
{{- $value := .Values.watchNamespaces | default list }}
{{- if kindIs "string" $value }}
{{- $value = splitList "," $value | compact }}
{{- end }}
{{- $value | uniq | toJson }}
{{- end }}

{{/* Whether the operator watches every namespace, so that its permissions must be cluster-wide: only on request. */}}
{{- define "herald-operator.clusterWide" -}}
{{- $watched := include "herald-operator.watchNamespaces" . | fromJsonArray }}
{{- if has "JOSDK_ALL_NAMESPACES" $watched }}true{{ end }}
{{- end }}

{{/* The namespaces that get a Role, as a JSON list: JOSDK_WATCH_CURRENT is the release namespace. */}}
{{- define "herald-operator.roleNamespaces" -}}
{{- $namespaces := list }}
{{- range include "herald-operator.watchNamespaces" . | fromJsonArray }}
{{- $namespaces = append $namespaces (eq . "JOSDK_WATCH_CURRENT" | ternary $.Release.Namespace .) }}
{{- end }}
{{- $namespaces | uniq | toJson }}
{{- end }}

{{/*
What the operator does in a namespace it watches, shared by the ClusterRole and the Roles so that
the two modes never grant different things. Exactly the calls the operator makes: HelmChartTest
holds these rules equal to io.herald.operator.OperatorAccess, which derives them from the code.
*/}}
{{- define "herald-operator.namespacedRules" -}}
# The custom resources are only read, from informers; the operator writes their status alone.
- apiGroups: ["herald.io"]
  resources: ["pushclusters", "pushapps"]
  verbs: ["list", "watch"]
- apiGroups: ["herald.io"]
  resources: ["pushclusters/status", "pushapps/status"]
  verbs: ["patch"]
# Owned objects block their PushCluster's deletion (blockOwnerDeletion), which needs this.
- apiGroups: ["herald.io"]
  resources: ["pushclusters/finalizers"]
  verbs: ["update"]
# Owned objects, written with server-side apply (patch, and create for a new object). Only the
# Ingress and NetworkPolicies are ever deleted, when their section leaves the spec; the rest go with
# their PushCluster.
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["list", "watch", "create", "patch"]
- apiGroups: [""]
  resources: ["services", "serviceaccounts"]
  verbs: ["list", "watch", "create", "patch"]
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["list", "watch", "create", "patch"]
- apiGroups: ["rbac.authorization.k8s.io"]
  resources: ["roles", "rolebindings"]
  verbs: ["list", "watch", "create", "patch"]
- apiGroups: ["networking.k8s.io"]
  resources: ["ingresses", "networkpolicies"]
  verbs: ["list", "watch", "create", "patch", "delete"]
# The apps Secret it writes; the Secrets a PushCluster or PushApp names, read from the informer
# on Secrets labelled herald.io/secret=true (list, watch), or with a get when one is unlabelled.
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch", "create", "patch"]
# The pods' Leases are watched for scaling and status; get, create and update only because the
# Roles the operator creates grant them to the pods, and Kubernetes lets nobody grant what they lack.
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  verbs: ["get", "list", "watch", "create", "update"]
# A PushCluster's optional ServiceMonitor and PrometheusRule (spec.monitoring), written with plain
# calls: no informer, so that the operator starts where the Prometheus Operator is not installed.
- apiGroups: ["monitoring.coreos.com"]
  resources: ["servicemonitors", "prometheusrules"]
  verbs: ["get", "create", "update", "delete"]
# A PushCluster's optional HTTPRoute (spec.httpRoute), written the same way for the same reason:
# the operator starts where the Gateway API is not installed.
- apiGroups: ["gateway.networking.k8s.io"]
  resources: ["httproutes"]
  verbs: ["get", "create", "update", "delete"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
# Before removing a gateway, the operator marks the pod with the fewest connections as the
# cheapest to delete (controller.kubernetes.io/pod-deletion-cost).
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["patch"]
{{- end }}

{{/* The subject of every binding: the operator's ServiceAccount, in the release namespace. */}}
{{- define "herald-operator.subjects" -}}
- kind: ServiceAccount
  name: {{ include "herald-operator.fullname" . }}
  namespace: {{ .Release.Namespace }}
{{- end }}
