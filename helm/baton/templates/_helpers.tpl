{{/* The chart's name, as app.kubernetes.io/name. */}}
{{- define "baton.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The prefix of every resource name: the release name, with the chart name unless it already holds it. */}}
{{- define "baton.fullname" -}}
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

{{- define "baton.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every resource of the release. */}}
{{- define "baton.labels" -}}
helm.sh/chart: {{ include "baton.chart" . }}
app.kubernetes.io/name: {{ include "baton.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: baton
{{- end }}

{{/* Labels that select every pod of the release, whatever its component. */}}
{{- define "baton.releaseSelectorLabels" -}}
app.kubernetes.io/name: {{ include "baton.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
The facts about each of Baton's services that values do not change: where its values live, its
port, whether it keeps state in PostgreSQL and whether it registers with the registry.
*/}}
{{- define "baton.components" -}}
registry:
  key: registry
  port: 8081
  database: true
  registers: false
lock-service:
  key: lockService
  port: 8082
  database: true
  registers: true
scheduler-service:
  key: schedulerService
  port: 8083
  database: true
  registers: true
gateway:
  key: gateway
  port: 8080
  database: false
  registers: true
{{- end }}

{{/* One component's facts; takes (dict "root" $ "name" "registry"). */}}
{{- define "baton.component" -}}
{{- index (include "baton.components" .root | fromYaml) .name | toYaml }}
{{- end }}

{{/* One component's values; takes (dict "root" $ "name" "registry"). */}}
{{- define "baton.componentValues" -}}
{{- $facts := include "baton.component" . | fromYaml }}
{{- index .root.Values $facts.key | toYaml }}
{{- end }}

{{/* A component's resource name: <fullname>-<component>. */}}
{{- define "baton.componentName" -}}
{{- printf "%s-%s" (include "baton.fullname" .root) .name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "baton.selectorLabels" -}}
{{ include "baton.releaseSelectorLabels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{- define "baton.componentLabels" -}}
{{ include "baton.labels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{- define "baton.serviceAccountName" -}}
{{- $values := include "baton.componentValues" . | fromYaml }}
{{- if $values.serviceAccount.create }}
{{- default (include "baton.componentName" .) $values.serviceAccount.name }}
{{- else }}
{{- default "default" $values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* An image reference; takes (dict "root" $ "image" <repository and tag>). */}}
{{- define "baton.image" -}}
{{- $tag := .image.tag | default .root.Values.image.tag | default .root.Chart.AppVersion }}
{{- if .root.Values.image.registry }}
{{- printf "%s/%s:%s" (trimSuffix "/" .root.Values.image.registry) .image.repository $tag }}
{{- else }}
{{- printf "%s:%s" .image.repository $tag }}
{{- end }}
{{- end }}

{{/* The Secret with the API keys and their digests: one the user manages, or the chart's. */}}
{{- define "baton.apiKeysSecretName" -}}
{{- .Values.apiKeys.existingSecret | default (printf "%s-api-keys" (include "baton.fullname" .)) }}
{{- end }}

{{/* The Secret that seals the console's sessions: one the user manages, or the chart's. */}}
{{- define "baton.consoleSecretName" -}}
{{- .Values.console.existingSecret | default (printf "%s-console" (include "baton.fullname" .)) }}
{{- end }}

{{/* The Secret with the scheduler's signing secrets for workers: one the user manages, or the chart's. */}}
{{- define "baton.workerSigningSecretName" -}}
{{- .Values.workerSigning.existingSecret | default (printf "%s-worker-signing" (include "baton.fullname" .)) }}
{{- end }}

{{/*
Restarts the services when the generated keys change. A Secret the user manages is read only by
the pods, so after rotating its keys run `kubectl rollout restart` (docs/operations.md).
*/}}
{{- define "baton.apiKeysChecksum" -}}
{{- if .Values.apiKeys.existingSecret }}
{{- .Values.apiKeys.existingSecret | sha256sum }}
{{- else }}
{{- include (print .Template.BasePath "/api-keys-secret.yaml") . | sha256sum }}
{{- end }}
{{- end }}

{{/* The CloudNativePG Cluster's name; its operator derives the read-write Service (<name>-rw) and the credentials Secret (<name>-app) from it. */}}
{{- define "baton.cloudnativepgName" -}}
{{- printf "%s-pg" (include "baton.fullname" .) | trunc 50 | trimSuffix "-" }}
{{- end }}

{{/* The database every stateful service uses: CloudNativePG's primary, the bundled one, or the external one, which needs a host. */}}
{{- define "baton.databaseHost" -}}
{{- if and .Values.cloudnativepg.enabled .Values.postgresql.enabled }}
{{- fail "cloudnativepg.enabled and postgresql.enabled exclude each other: pick one database" }}
{{- else if .Values.cloudnativepg.enabled }}
{{- printf "%s-rw" (include "baton.cloudnativepgName" .) }}
{{- else if .Values.postgresql.enabled }}
{{- printf "%s-postgresql" (include "baton.fullname" .) }}
{{- else }}
{{- required "externalDatabase.host is required: set it to your PostgreSQL server, set cloudnativepg.enabled=true for one run by the CloudNativePG operator, or set postgresql.enabled=true for an evaluation database" .Values.externalDatabase.host }}
{{- end }}
{{- end }}

{{- define "baton.databaseUrl" -}}
{{- if .Values.cloudnativepg.enabled }}
{{- printf "jdbc:postgresql://%s:5432/%s" (include "baton.databaseHost" .) .Values.cloudnativepg.database }}
{{- else if .Values.postgresql.enabled }}
{{- printf "jdbc:postgresql://%s:5432/%s" (include "baton.databaseHost" .) .Values.postgresql.auth.database }}
{{- else }}
{{- $db := .Values.externalDatabase }}
{{- printf "jdbc:postgresql://%s:%d/%s" (include "baton.databaseHost" .) (int $db.port) $db.database }}
{{- with $db.jdbcParameters }}?{{ . }}{{ end }}
{{- end }}
{{- end }}

{{- define "baton.databaseUser" -}}
{{- if .Values.cloudnativepg.enabled }}
{{- .Values.cloudnativepg.owner }}
{{- else }}
{{- ternary .Values.postgresql.auth.user .Values.externalDatabase.user .Values.postgresql.enabled }}
{{- end }}
{{- end }}

{{/* Where the database password is, as {name, key}, or nothing for a server that needs none. */}}
{{- define "baton.databasePasswordSecret" -}}
{{- if .Values.cloudnativepg.enabled }}
name: {{ printf "%s-app" (include "baton.cloudnativepgName" .) }}
key: password
{{- else if .Values.postgresql.enabled }}
name: {{ printf "%s-postgresql" (include "baton.fullname" .) }}
key: password
{{- else if .Values.externalDatabase.existingSecret }}
name: {{ .Values.externalDatabase.existingSecret }}
key: {{ .Values.externalDatabase.existingSecretPasswordKey }}
{{- else if .Values.externalDatabase.password }}
name: {{ printf "%s-database" (include "baton.fullname" .) }}
key: password
{{- end }}
{{- end }}
