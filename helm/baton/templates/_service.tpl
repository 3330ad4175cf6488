{{/*
The resources every Baton service has. Each takes (dict "root" $ "name" "<service>"); the
templates in each service's folder only call them.
*/}}

{{/* Settings that are not secret, read by the pods through envFrom; their digest restarts the pods on change. */}}
{{- define "baton.configMap" -}}
{{- $root := .root }}
{{- $facts := include "baton.component" . | fromYaml }}
{{- $values := include "baton.componentValues" . | fromYaml }}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "baton.componentName" . }}
  labels:
    {{- include "baton.componentLabels" . | nindent 4 }}
data:
  {{- with $values.javaOpts }}
  JAVA_TOOL_OPTIONS: {{ . | quote }}
  {{- end }}
  {{- if $facts.database }}
  BATON_DB_URL: {{ include "baton.databaseUrl" $root | quote }}
  BATON_DB_USER: {{ include "baton.databaseUser" $root | quote }}
  {{- /* The audit log believes X-Forwarded-For from the gateway's pods, by their headless Service, and trustedProxies. */}}
  {{- $gatewayPods := printf "%s-pods.%s.svc" (include "baton.componentName" (dict "root" $root "name" "gateway")) $root.Release.Namespace }}
  BATON_SECURITY_TRUSTEDPROXIES: {{ join "," (prepend $root.Values.trustedProxies $gatewayPods) | quote }}
  {{- end }}
  {{- if $facts.registers }}
  BATON_DISCOVERY_URL: {{ printf "http://%s:%d" (include "baton.componentName" (dict "root" $root "name" "registry")) 8081 | quote }}
  {{- end }}
  {{- if eq .name "gateway" }}
  {{- $upstreams := dict "registry" (printf "http://%s:8081" (include "baton.componentName" (dict "root" $root "name" "registry"))) }}
  {{- range $service, $port := dict "lock-service" 8082 "scheduler-service" 8083 }}
  {{- if $values.consistentHashing }}
  {{- $_ := set $upstreams $service (printf "lb://%s" $service) }}
  {{- else }}
  {{- $_ := set $upstreams $service (printf "http://%s:%d" (include "baton.componentName" (dict "root" $root "name" $service)) $port) }}
  {{- end }}
  {{- end }}
  {{- /* JSON keeps the hyphenated property names exact, which environment variable names cannot. */}}
  SPRING_APPLICATION_JSON: {{ dict "baton" (dict "gateway" (dict "upstreams" $upstreams)) | toJson | quote }}
  {{- end }}
  {{- if eq .name "scheduler-service" }}
  {{- /* The signing secrets are files named after their properties (a Spring config tree). */}}
  SPRING_CONFIG_IMPORT: "optional:configtree:/etc/baton/worker-signing/"
  {{- with $root.Values.workerSigning.egressAllow }}
  BATON_SCHEDULER_EGRESS_ALLOW: {{ join "," . | quote }}
  {{- end }}
  BATON_SCHEDULER_LOGS_MAXATTEMPTSIZE: {{ $root.Values.logs.maxAttemptSize | quote }}
  BATON_SCHEDULER_LOGS_RETENTION: {{ $root.Values.logs.retention | quote }}
  {{- with $root.Values.alerts }}
  {{- if .channels }}
  SPRING_APPLICATION_JSON: {{ dict "baton" (dict "scheduler" (dict "alerts" (dict "channels" .channels))) | toJson | quote }}
  {{- end }}
  BATON_SCHEDULER_ALERTS_MAILFROM: {{ .mailFrom | quote }}
  {{- if .smtp.host }}
  SPRING_MAIL_HOST: {{ .smtp.host | quote }}
  SPRING_MAIL_PORT: {{ .smtp.port | quote }}
  {{- with .smtp.username }}
  SPRING_MAIL_USERNAME: {{ . | quote }}
  {{- end }}
  {{- end }}
  {{- end }}
  {{- end }}
  {{- with $root.Values.tracing }}
  {{- with .otlpEndpoint }}
  MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT: {{ . | quote }}
  {{- end }}
  MANAGEMENT_TRACING_SAMPLING_PROBABILITY: {{ .samplingProbability | toString | quote }}
  {{- end }}
  {{- range $name, $value := $values.env }}
  {{ $name }}: {{ $value | toString | quote }}
  {{- end }}
{{- end }}

{{/* Environment from Secrets and from the pod itself. */}}
{{- define "baton.secretEnv" -}}
{{- $root := .root }}
{{- $facts := include "baton.component" . | fromYaml }}
{{- $secret := include "baton.apiKeysSecretName" $root }}
# The address other replicas and the gateway reach this pod at.
- name: BATON_DISCOVERY_HOST
  valueFrom:
    fieldRef:
      fieldPath: status.podIP
{{- range $index, $key := list (dict "name" "admin" "secretKey" "admin-key" "roles" "ADMIN") (dict "name" "baton-services" "secretKey" "services-key" "roles" "WRITE") (dict "name" "reader" "secretKey" "read-key" "roles" "READ") }}
- name: BATON_SECURITY_APIKEYS_{{ $index }}_NAME
  value: {{ $key.name }}
- name: BATON_SECURITY_APIKEYS_{{ $index }}_SHA256
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $key.secretKey }}-sha256
- name: BATON_SECURITY_APIKEYS_{{ $index }}_ROLES
  value: {{ $key.roles }}
{{- if eq $key.name "baton-services" }}
{{- /* The services' own key registers, heartbeats and discovers, and follows the key feed: every
service name, nothing else (no locks, no jobs, no config). */}}
- name: BATON_SECURITY_APIKEYS_{{ $index }}_SCOPES_SERVICES_0
  value: ""
{{- end }}
{{- end }}
{{- range $index, $key := $root.Values.apiKeys.extra }}
- name: BATON_SECURITY_APIKEYS_{{ add $index 3 }}_NAME
  value: {{ $key.name | quote }}
- name: BATON_SECURITY_APIKEYS_{{ add $index 3 }}_SHA256
  value: {{ $key.sha256 | quote }}
- name: BATON_SECURITY_APIKEYS_{{ add $index 3 }}_ROLES
  value: {{ join "," $key.roles | quote }}
{{- range $kind, $prefixes := $key.scopes }}
{{- range $i, $prefix := $prefixes }}
- name: BATON_SECURITY_APIKEYS_{{ add $index 3 }}_SCOPES_{{ upper $kind }}_{{ $i }}
  value: {{ $prefix | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- if eq .name "gateway" }}
# The console seals its session cookies with this secret, the same on every gateway replica.
- name: BATON_CONSOLE_SESSIONSECRET
  valueFrom:
    secretKeyRef:
      name: {{ include "baton.consoleSecretName" $root }}
      key: session-secret
{{- end }}
{{- if and (eq .name "scheduler-service") $root.Values.alerts.smtp.existingSecret }}
# The password of the SMTP server that sends alert emails.
- name: SPRING_MAIL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $root.Values.alerts.smtp.existingSecret }}
      key: password
{{- end }}
{{- if eq .name "registry" }}
# The gateway follows the registry's key feed with the services' key.
- name: BATON_KEYS_FEEDREADERS
  value: baton-services
{{- end }}
{{- if $facts.registers }}
- name: BATON_DISCOVERY_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: services-key
{{- end }}
{{- if $facts.database }}
{{- with include "baton.databasePasswordSecret" $root | fromYaml }}
- name: BATON_DB_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .name }}
      key: {{ .key }}
{{- end }}
{{- end }}
{{- end }}

{{- define "baton.deployment" -}}
{{- $root := .root }}
{{- $facts := include "baton.component" . | fromYaml }}
{{- $values := include "baton.componentValues" . | fromYaml }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "baton.componentName" . }}
  labels:
    {{- include "baton.componentLabels" . | nindent 4 }}
spec:
  {{- if not $values.autoscaling.enabled }}
  replicas: {{ $values.replicaCount }}
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "baton.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "baton.componentLabels" . | nindent 8 }}
        {{- with $values.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        checksum/config: {{ include "baton.configMap" . | sha256sum }}
        checksum/api-keys: {{ include "baton.apiKeysChecksum" $root }}
        {{- if and (eq .name "scheduler-service") (not $root.Values.workerSigning.existingSecret) }}
        checksum/worker-signing: {{ include (print $root.Template.BasePath "/worker-signing-secret.yaml") $root | sha256sum }}
        {{- end }}
        {{- with $values.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "baton.serviceAccountName" . }}
      # Baton never calls the Kubernetes API.
      automountServiceAccountToken: false
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      # The preStop pause, then up to 20 s of graceful shutdown, then a margin before SIGKILL.
      terminationGracePeriodSeconds: {{ add $root.Values.preStopPauseSeconds 30 }}
      containers:
        - name: {{ .name }}
          image: {{ include "baton.image" (dict "root" $root "image" $values.image) }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ $facts.port }}
              protocol: TCP
          envFrom:
            - configMapRef:
                name: {{ include "baton.componentName" . }}
          env:
            {{- include "baton.secretEnv" . | trim | nindent 12 }}
          # Start-up (migrations included) gets up to 3 minutes before liveness takes over.
          startupProbe:
            httpGet:
              path: /actuator/health/liveness
              port: http
            periodSeconds: 5
            failureThreshold: 36
          livenessProbe:
            httpGet:
              path: /actuator/health/liveness
              port: http
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          readinessProbe:
            httpGet:
              path: /actuator/health/readiness
              port: http
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 3
          lifecycle:
            # Endpoints are removed from Services asynchronously: keep serving until they are,
            # then graceful shutdown finishes the requests in flight.
            preStop:
              exec:
                command: ["sleep", "{{ $root.Values.preStopPauseSeconds }}"]
          resources:
            {{- toYaml $values.resources | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.securityContext | nindent 12 }}
          volumeMounts:
            # The root filesystem is read-only; the JVM and Tomcat write temporary files here.
            - name: tmp
              mountPath: /tmp
            {{- if eq .name "scheduler-service" }}
            - name: worker-signing
              mountPath: /etc/baton/worker-signing
              readOnly: true
            {{- end }}
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 256Mi
        {{- if eq .name "scheduler-service" }}
        - name: worker-signing
          secret:
            secretName: {{ include "baton.workerSigningSecretName" $root }}
            items:
              - key: default
                path: baton.scheduler.signing.default-secret
              {{- range $service := $root.Values.workerSigning.services }}
              - key: {{ $service }}
                path: baton.scheduler.signing.secrets/{{ $service }}
              {{- end }}
        {{- end }}
      {{- with $values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end }}

{{- define "baton.service" -}}
{{- $facts := include "baton.component" . | fromYaml }}
{{- $values := include "baton.componentValues" . | fromYaml }}
{{- $service := $values.service | default dict }}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "baton.componentName" . }}
  labels:
    {{- include "baton.componentLabels" . | nindent 4 }}
  {{- with $service.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ $service.type | default "ClusterIP" }}
  ports:
    - name: http
      port: {{ $service.port | default $facts.port }}
      targetPort: http
      protocol: TCP
  selector:
    {{- include "baton.selectorLabels" . | nindent 4 }}
{{- end }}

{{- define "baton.serviceAccount" -}}
{{- $values := include "baton.componentValues" . | fromYaml }}
{{- if $values.serviceAccount.create }}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "baton.serviceAccountName" . }}
  labels:
    {{- include "baton.componentLabels" . | nindent 4 }}
  {{- with $values.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: false
{{- end }}
{{- end }}

{{- define "baton.horizontalPodAutoscaler" -}}
{{- $values := include "baton.componentValues" . | fromYaml }}
{{- if $values.autoscaling.enabled }}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "baton.componentName" . }}
  labels:
    {{- include "baton.componentLabels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "baton.componentName" . }}
  minReplicas: {{ $values.autoscaling.minReplicas }}
  maxReplicas: {{ $values.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $values.autoscaling.targetCPUUtilizationPercentage }}
{{- end }}
{{- end }}

{{- define "baton.podDisruptionBudget" -}}
{{- $values := include "baton.componentValues" . | fromYaml }}
{{- if $values.podDisruptionBudget.enabled }}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "baton.componentName" . }}
  labels:
    {{- include "baton.componentLabels" . | nindent 4 }}
spec:
  maxUnavailable: {{ $values.podDisruptionBudget.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "baton.selectorLabels" . | nindent 6 }}
{{- end }}
{{- end }}

{{/*
The gateway takes traffic from anywhere; every other service only from the release's own pods
(the gateway and the other services) and from networkPolicy.extraFrom. Egress is left open: the
scheduler calls workers wherever they run.
*/}}
{{- define "baton.networkPolicy" -}}
{{- $root := .root }}
{{- if $root.Values.networkPolicy.enabled }}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "baton.componentName" . }}
  labels:
    {{- include "baton.componentLabels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "baton.selectorLabels" . | nindent 6 }}
  policyTypes:
    - Ingress
  ingress:
    - ports:
        - port: http
          protocol: TCP
      {{- if ne .name "gateway" }}
      from:
        - podSelector:
            matchLabels:
              {{- include "baton.releaseSelectorLabels" $root | nindent 14 }}
        {{- with $root.Values.networkPolicy.extraFrom }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- end }}
{{- end }}
{{- end }}

{{/* Prometheus scrapes with the read key, since /actuator/prometheus needs the READ role. */}}
{{- define "baton.serviceMonitor" -}}
{{- $root := .root }}
{{- if $root.Values.metrics.serviceMonitor.enabled }}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "baton.componentName" . }}
  labels:
    {{- include "baton.componentLabels" . | nindent 4 }}
    {{- with $root.Values.metrics.serviceMonitor.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      {{- include "baton.selectorLabels" . | nindent 6 }}
  endpoints:
    - port: http
      path: /actuator/prometheus
      interval: {{ $root.Values.metrics.serviceMonitor.interval }}
      authorization:
        type: Bearer
        credentials:
          name: {{ include "baton.apiKeysSecretName" $root }}
          key: read-key
{{- end }}
{{- end }}
