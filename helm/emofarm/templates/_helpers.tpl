{{/* Chart name, truncated to the 63 characters a label value allows. */}}
{{- define "emofarm.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-scoped name; the release name alone when it already contains the chart name. */}}
{{- define "emofarm.fullname" -}}
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

{{- define "emofarm.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "emofarm.selectorLabels" -}}
app.kubernetes.io/name: {{ include "emofarm.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "emofarm.labels" -}}
helm.sh/chart: {{ include "emofarm.chart" . }}
{{ include "emofarm.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: emofarm
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Per-component names and labels. Call with (dict "root" $ "component" "worker"). */}}
{{- define "emofarm.componentName" -}}
{{- printf "%s-%s" (include "emofarm.fullname" .root | trunc 50 | trimSuffix "-") .component }}
{{- end }}

{{- define "emofarm.componentSelectorLabels" -}}
{{ include "emofarm.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "emofarm.componentLabels" -}}
{{ include "emofarm.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "emofarm.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "emofarm.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "emofarm.configMapName" -}}
{{- printf "%s-config" (include "emofarm.fullname" .) }}
{{- end }}

{{/* repository:tag, or repository@digest when a digest pins it. Call with (dict "root" $ "image" .Values.x.image). */}}
{{- define "emofarm.image" -}}
{{- if .image.digest }}
{{- printf "%s@%s" .image.repository .image.digest }}
{{- else }}
{{- printf "%s:%s" .image.repository (default .root.Chart.AppVersion .image.tag) }}
{{- end }}
{{- end }}

{{/* Secrets shared by both components, always by reference to Secrets that already exist. */}}
{{- define "emofarm.secretEnv" -}}
{{- with .Values.secrets }}
{{- if .rabbit.usernameKey }}
- name: Rabbit__Username
  valueFrom:
    secretKeyRef:
      name: {{ .rabbit.existingSecret }}
      key: {{ .rabbit.usernameKey }}
{{- end }}
- name: Rabbit__Password
  valueFrom:
    secretKeyRef:
      name: {{ .rabbit.existingSecret }}
      key: {{ .rabbit.passwordKey }}
- name: Redis__Configuration
  valueFrom:
    secretKeyRef:
      name: {{ .redis.existingSecret }}
      key: {{ .redis.configurationKey }}
- name: S3__AccessKey
  valueFrom:
    secretKeyRef:
      name: {{ .s3.existingSecret }}
      key: {{ .s3.accessKeyKey }}
- name: S3__SecretKey
  valueFrom:
    secretKeyRef:
      name: {{ .s3.existingSecret }}
      key: {{ .s3.secretKeyKey }}
{{- end }}
{{- end }}

{{/* Pod annotations that roll pods when settings change, plus optional scrape hints. */}}
{{- define "emofarm.podAnnotations" -}}
checksum/config: {{ include (print .root.Template.BasePath "/configmap.yaml") .root | sha256sum }}
{{- if .root.Values.metrics.podAnnotations }}
prometheus.io/scrape: "true"
prometheus.io/port: "9090"
prometheus.io/path: /metrics
{{- end }}
{{- with .extra }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* The Secret holding the orchestrator's TLS certificate: cert-manager's, or the one the operator named. */}}
{{- define "emofarm.tlsSecretName" -}}
{{- if .Values.tls.certManager.enabled -}}
{{ include "emofarm.componentName" (dict "root" . "component" "orchestrator") }}-tls
{{- else -}}
{{ required "tls.existingSecret is required when tls.enabled without tls.certManager.enabled" .Values.tls.existingSecret }}
{{- end -}}
{{- end }}

{{/* The orchestrator's own credentials: operator key digests and token signing keys, each from a secretKeyRef. */}}
{{- define "emofarm.authEnv" -}}
{{- with .Values.auth.adminKeys }}
{{- range $i, $key := .sha256Keys }}
- name: Auth__AdminKeySha256__{{ $i }}
  valueFrom:
    secretKeyRef:
      name: {{ required "auth.adminKeys.existingSecret is required with auth.adminKeys.sha256Keys" $.Values.auth.adminKeys.existingSecret }}
      key: {{ $key }}
{{- end }}
{{- end }}
{{- with .Values.auth.jwt.signingKeys }}
{{- range $i, $key := .keys }}
- name: Auth__Jwt__SigningKeys__{{ $i }}
  valueFrom:
    secretKeyRef:
      name: {{ required "auth.jwt.signingKeys.existingSecret is required with auth.jwt.signingKeys.keys" $.Values.auth.jwt.signingKeys.existingSecret }}
      key: {{ $key }}
{{- end }}
{{- end }}
{{- if .Values.tls.enabled }}
- name: Kestrel__Endpoints__Grpc__Url
  value: https://0.0.0.0:8080
- name: Kestrel__Endpoints__Grpc__Certificate__Path
  value: /etc/emofarm/tls/tls.crt
- name: Kestrel__Endpoints__Grpc__Certificate__KeyPath
  value: /etc/emofarm/tls/tls.key
{{- end }}
{{- end }}
