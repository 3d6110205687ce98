{{/* Common names and labels. */}}
{{- define "conpaas.fullname" -}}
{{- printf "%s-operator" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "conpaas.labels" -}}
app.kubernetes.io/name: conpaas-operator
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "conpaas.selector" -}}
app.kubernetes.io/name: conpaas-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
