{{/* Names and labels shared by every template. */}}
{{- define "marketops.labels" -}}
app.kubernetes.io/part-of: marketops
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/instance: {{ .Release.Name }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "marketops.tag" -}}
{{- default .Chart.AppVersion .Values.image.tag -}}
{{- end -}}

{{- define "marketops.image" -}}
{{- $root := index . 0 -}}{{- $svc := index . 1 -}}
{{- printf "%s/%s:%s" $root.Values.image.registry $svc (include "marketops.tag" $root) -}}
{{- end -}}

{{/* PascalCase worker type -> kebab Deployment suffix: AuditWorker -> audit-worker, ESSyncWorker -> es-sync-worker. */}}
{{- define "marketops.kebab" -}}
{{- regexReplaceAll "([a-z0-9])([A-Z])" (regexReplaceAll "([A-Z]+)([A-Z][a-z])" . "${1}-${2}") "${1}-${2}" | lower -}}
{{- end -}}

{{- define "marketops.switchEnv" -}}
{{- printf "MARKETOPS_WORKERS_%s_ENABLED" (. | upper | replace "-" "_") -}}
{{- end -}}

{{- define "marketops.kafkaBootstrap" -}}
{{- if .Values.config.kafka.bootstrap -}}{{ .Values.config.kafka.bootstrap }}
{{- else -}}{{ printf "%s-kafka-bootstrap:9092" .Values.kafka.strimzi.clusterName }}{{- end -}}
{{- end -}}

{{- define "marketops.dbHost" -}}
{{- if .Values.config.database.host -}}{{ .Values.config.database.host }}
{{- else -}}{{ printf "%s-rw" .Values.postgres.cnpg.clusterName }}{{- end -}}
{{- end -}}

{{/*
The pod spec of one Deployment of a service's image.
Args (dict): root, svcName, svc, component (api | <worker-kebab>), workerType ("" for the API),
worker (the worker's values or nil), replicas, resources, grace.
The worker switches: every worker of the service is off, except the worker this Deployment runs.
*/}}
{{- define "marketops.podTemplate" -}}
{{- $root := .root -}}{{- $svcName := .svcName -}}{{- $svc := .svc -}}{{- $worker := .worker -}}
metadata:
  labels:
    {{- include "marketops.labels" $root | nindent 4 }}
    app.kubernetes.io/name: {{ $svcName }}
    app.kubernetes.io/component: {{ .component }}
  annotations:
    {{- if $root.Values.monitoring.scrapeAnnotations }}
    prometheus.io/scrape: "true"
    prometheus.io/port: {{ $root.Values.monitoring.managementPort | quote }}
    prometheus.io/path: /q/metrics
    {{- end }}
    checksum/config: {{ include (print $root.Template.BasePath "/configmaps.yaml") $root | sha256sum }}
spec:
  serviceAccountName: marketops
  automountServiceAccountToken: false
  terminationGracePeriodSeconds: {{ .grace }}
  {{- with $root.Values.image.pullSecrets }}
  imagePullSecrets:
    {{- range . }}
    - name: {{ . }}
    {{- end }}
  {{- end }}
  securityContext:
    runAsNonRoot: true
    runAsUser: 185
    runAsGroup: 185
    fsGroup: 185
    seccompProfile: {type: RuntimeDefault}
  containers:
    - name: {{ $svcName }}
      image: {{ include "marketops.image" (list $root $svcName) }}
      imagePullPolicy: {{ $root.Values.image.pullPolicy }}
      ports:
        - {name: http, containerPort: {{ $svc.httpPort }}, protocol: TCP}
        - {name: grpc, containerPort: {{ $svc.grpcPort }}, protocol: TCP}
        - {name: management, containerPort: {{ $root.Values.monitoring.managementPort }}, protocol: TCP}
      envFrom:
        - configMapRef: {name: {{ $root.Release.Name }}-common}
        - configMapRef: {name: {{ $root.Release.Name }}-{{ $svcName }}}
      env:
        - name: QUARKUS_DATASOURCE_USERNAME
          valueFrom: {secretKeyRef: {name: {{ $root.Values.secrets.database.name }}, key: {{ $root.Values.secrets.database.usernameKey }}}}
        - name: QUARKUS_DATASOURCE_PASSWORD
          valueFrom: {secretKeyRef: {name: {{ $root.Values.secrets.database.name }}, key: {{ $root.Values.secrets.database.passwordKey }}}}
        - name: MARKETOPS_SERVICE_CLIENT_SECRET
          valueFrom: {secretKeyRef: {name: {{ $root.Values.secrets.serviceClients.name }}, key: {{ $svc.client }}}}
        - name: MARKETOPS_OUTBOX_ENABLED
          value: {{ if and (eq .component "api") $svc.outbox }}"true"{{ else }}"false"{{ end }}
        {{- range $type, $w := $root.Values.workers }}
        {{- if and (ne (default "deployment" $w.kind) "embedded") (eq $w.service $svcName) }}
        - name: {{ include "marketops.switchEnv" $w.switch }}
          value: {{ eq $type $.workerType | ternary "true" "false" | quote }}
        {{- end }}
        {{- end }}
        {{- if eq $svcName "batch-operation-service" }}
        - name: MARKETOPS_BATCH_ROUTER_ENABLED
          value: {{ if and $worker $worker.batchOperations }}"true"{{ else }}"false"{{ end }}
        {{- if and $worker $worker.batchOperations }}
        - name: MP_MESSAGING_INCOMING_BATCH_CREATED_GROUP_ID
          value: batch-router-{{ .component }}
        {{- end }}
        {{- end }}
      resources:
        requests: {cpu: {{ .resources.cpu | quote }}, memory: {{ .resources.memory | quote }}}
        limits: {cpu: {{ .resources.cpu | quote }}, memory: {{ .resources.memory | quote }}}
      startupProbe:
        httpGet: {path: /q/health/started, port: http}
        periodSeconds: 2
        failureThreshold: 90
      readinessProbe:
        httpGet: {path: /q/health/ready, port: http}
        periodSeconds: 5
        failureThreshold: 3
      livenessProbe:
        httpGet: {path: /q/health/live, port: http}
        periodSeconds: 10
        failureThreshold: 3
      lifecycle:
        # Let endpoints and the load balancer drop the pod before the JVM stops taking requests.
        preStop: {sleep: {seconds: 5}}
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities: {drop: [ALL]}
      volumeMounts:
        - {name: tmp, mountPath: /tmp}
        {{- if and $svc.fileStore $svc.fileStore.enabled }}
        - {name: files, mountPath: /data/files}
        {{- end }}
        {{- if and $svc.staticFiles $svc.staticFiles.enabled }}
        - {name: static-files, mountPath: /data/static/config}
        {{- end }}
  volumes:
    - name: tmp
      emptyDir: {sizeLimit: 1Gi}
    {{- if and $svc.fileStore $svc.fileStore.enabled }}
    - name: files
      persistentVolumeClaim: {claimName: {{ $root.Release.Name }}-{{ $svcName }}-files}
    {{- end }}
    {{- if and $svc.staticFiles $svc.staticFiles.enabled }}
    - name: static-files
      persistentVolumeClaim: {claimName: {{ $root.Release.Name }}-{{ $svcName }}-static}
    {{- end }}
{{- end -}}
