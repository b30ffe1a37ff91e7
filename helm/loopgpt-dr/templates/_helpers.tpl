{{/* The four services: values key, name, HTTP port. */}}
{{- define "loopgpt-dr.services" -}}
- {key: backup, name: backup-service, port: 8081}
- {key: recovery, name: recovery-service, port: 8082}
- {key: notification, name: notification-service, port: 8083}
- {key: status, name: status-service, port: 8084}
{{- end }}

{{/* The object name of a component: <release>-<component>, at most 63 characters. */}}
{{- define "loopgpt-dr.name" -}}
{{- printf "%s-%s" .root.Release.Name .component | trunc 63 | trimSuffix "-" -}}
{{- end }}

{{/* An in-cluster URL of a service of this release. */}}
{{- define "loopgpt-dr.url" -}}
{{- $svc := dict -}}
{{- range (include "loopgpt-dr.services" . | fromYamlArray) }}{{ if eq .key $.key }}{{ $svc = . }}{{ end }}{{ end -}}
{{- printf "http://%s:%v" (include "loopgpt-dr.name" (dict "root" .root "component" $svc.name)) $svc.port -}}
{{- end }}

{{- define "loopgpt-dr.labels" -}}
app.kubernetes.io/name: {{ .component }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/part-of: loopgpt-dr
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- end }}

{{- define "loopgpt-dr.selector" -}}
app.kubernetes.io/name: {{ .component }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end }}

{{/* An image reference: registry/repository:tag[-jvm]. */}}
{{- define "loopgpt-dr.image" -}}
{{- $image := .root.Values.image -}}
{{- $tag := default .root.Chart.AppVersion $image.tag -}}
{{- if eq $image.flavor "jvm" }}{{ $tag = printf "%s-jvm" $tag }}{{ end -}}
{{- if $image.registry }}{{ printf "%s/%s:%s" (trimSuffix "/" $image.registry) .repository $tag }}{{ else }}{{ printf "%s:%s" .repository $tag }}{{ end -}}
{{- end }}

{{/* The restricted security context of every container. */}}
{{- define "loopgpt-dr.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1001
runAsGroup: 1001
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
privileged: false
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "loopgpt-dr.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1001
runAsGroup: 1001
fsGroup: 1001
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* An environment variable from a key of a Secret. */}}
{{- define "loopgpt-dr.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .secret }}
      key: {{ .key }}
{{- end }}

{{/* Whether any drill CronJob is on (the service's own drill schedule is then off). */}}
{{- define "loopgpt-dr.drillCronJobs" -}}
{{- if or .Values.cronJobs.integrity.enabled .Values.cronJobs.restoreDrill.enabled }}true{{ end -}}
{{- end }}
