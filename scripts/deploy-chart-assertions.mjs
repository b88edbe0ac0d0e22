#!/usr/bin/env node
// Behavioural checks on the chart's rendered output, beyond schema validity: the promises the chart
// makes to operators (GPU requests, grace period, read-only weights, no secrets in plain objects,
// KEDA wiring, dashboard metric names).
//
//   node scripts/deploy-chart-assertions.mjs --modules NODE_MODULES DEFAULT.yaml ALL_OPTIONS.yaml
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
const at = args.indexOf("--modules");
const modules = args[at + 1];
const [defaultFile, allFile] = args.filter((_, i) => i !== at && i !== at + 1);
if (!modules || !defaultFile || !allFile) {
  console.error("usage: deploy-chart-assertions.mjs --modules NODE_MODULES DEFAULT.yaml ALL_OPTIONS.yaml");
  process.exit(2);
}
const YAML = await import(pathToFileURL(join(modules, "yaml/dist/index.js")).href);

const METRICS = [
  "emofarm_renders_active", "emofarm_renders_completed_total", "emofarm_segment_queue_wait_seconds",
  "emofarm_segment_duration_seconds", "emofarm_clip_duration_seconds", "emofarm_frames_rendered_total",
  "emofarm_denoise_step_duration_seconds", "emofarm_gpu_memory_bytes", "emofarm_segment_failures_total",
  "emofarm_segment_retries_total", "emofarm_segment_retakes_total", 'rabbitmq_queue_messages_ready{queue="render-segment"}',
];
const SECRET_ENV = ["Rabbit__Password", "Redis__Configuration", "S3__AccessKey", "S3__SecretKey"];

let failures = 0, passes = 0;
function check(label, condition, detail = "") {
  if (condition) passes++;
  else {
    failures++;
    console.log(`FAIL ${label}${detail ? `: ${detail}` : ""}`);
  }
}

function load(file) {
  return YAML.parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJS()).filter(Boolean);
}
const find = (docs, kind, component) => docs.filter((d) => d.kind === kind
  && (!component || d.metadata?.labels?.["app.kubernetes.io/component"] === component));
const container = (deployment) => deployment.spec.template.spec.containers[0];
const envNames = (c) => (c.env ?? []).map((e) => e.name);

function common(label, docs) {
  const [orch] = find(docs, "Deployment", "orchestrator");
  const [worker] = find(docs, "Deployment", "worker");
  check(`${label}: one orchestrator and one worker Deployment`, orch && worker);
  if (!orch || !worker) return {};
  check(`${label}: renders no Secret`, find(docs, "Secret").length === 0);
  // Explicit namespaces keep `helm template | kubectl apply -f -` from landing in the current context's.
  const namespaces = new Set(docs.map((d) => d.metadata?.namespace));
  check(`${label}: every object names the release namespace`, namespaces.size === 1 && !namespaces.has(undefined),
    [...namespaces].join(", "));

  const w = container(worker), o = container(orch);
  check(`${label}: worker requests and limits one GPU`,
    String(w.resources?.limits?.["nvidia.com/gpu"]) === "1" && String(w.resources?.requests?.["nvidia.com/gpu"]) === "1");
  check(`${label}: worker grace period >= 300 s`, worker.spec.template.spec.terminationGracePeriodSeconds >= 300);
  check(`${label}: worker probes /healthz/ready and /healthz/live on 9090`,
    w.readinessProbe?.httpGet?.path === "/healthz/ready" && w.livenessProbe?.httpGet?.path === "/healthz/live"
    && w.ports.some((p) => p.name === "metrics" && p.containerPort === 9090));
  const tls = (o.env ?? []).some((e) => e.name === "Kestrel__Endpoints__Grpc__Url" && e.value?.startsWith("https://"));
  if (tls) {
    // The kubelet's gRPC probe speaks no TLS: with a certificate mounted, the probes go to /healthz over HTTP.
    check(`${label}: with TLS the orchestrator probes /healthz/live and /healthz/ready on the metrics port`,
      o.livenessProbe?.httpGet?.path === "/healthz/live" && o.readinessProbe?.httpGet?.path === "/healthz/ready"
      && o.readinessProbe?.httpGet?.port === "metrics" && !o.livenessProbe?.grpc);
  } else {
    check(`${label}: orchestrator uses native gRPC probes, readiness on emofarm.v1.RenderService`,
      o.livenessProbe?.grpc?.port === 8080 && o.readinessProbe?.grpc?.service === "emofarm.v1.RenderService");
  }
  for (const [name, c] of [["orchestrator", o], ["worker", w]]) {
    const env = c.env ?? [];
    check(`${label}: ${name} reads every credential from a secretKeyRef`,
      SECRET_ENV.every((n) => env.some((e) => e.name === n && e.valueFrom?.secretKeyRef?.name && e.valueFrom.secretKeyRef.key)),
      `env has ${envNames(c).join(", ")}`);
    check(`${label}: ${name} runs as non-root with a read-only root filesystem`,
      c.securityContext?.readOnlyRootFilesystem === true && c.securityContext?.allowPrivilegeEscalation === false);
  }
  for (const d of [orch, worker]) {
    check(`${label}: ${d.metadata.name} pod runs as non-root`, d.spec.template.spec.securityContext?.runAsNonRoot === true);
  }

  const [config] = find(docs, "ConfigMap").filter((c) => c.data?.Rabbit__Host !== undefined);
  check(`${label}: settings ConfigMap exists`, config);
  if (config) {
    check(`${label}: settings ConfigMap holds no credential`, !SECRET_ENV.some((k) => k in config.data),
      Object.keys(config.data).join(", "));
    for (const d of [orch, worker]) {
      check(`${label}: ${d.metadata.name} loads the settings ConfigMap`,
        container(d).envFrom?.some((e) => e.configMapRef?.name === config.metadata.name));
    }
  }

  const dashboard = find(docs, "ConfigMap").find((c) => c.metadata.labels?.grafana_dashboard === "1");
  check(`${label}: Grafana dashboard ConfigMap labelled grafana_dashboard: "1"`, dashboard);
  if (dashboard) {
    const [json] = Object.values(dashboard.data);
    let parsed;
    try { parsed = JSON.parse(json); } catch (e) { check(`${label}: dashboard JSON parses`, false, e.message); }
    if (parsed) {
      const exprs = parsed.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)).join("\n");
      for (const m of METRICS) check(`${label}: dashboard queries ${m}`, exprs.includes(m));
      const ids = parsed.panels.map((p) => p.id);
      check(`${label}: dashboard panel ids are unique`, new Set(ids).size === ids.length);
      check(`${label}: every dashboard graph has a query and the templated data source`, parsed.panels
        .filter((p) => p.type !== "row")
        .every((p) => p.targets?.length && p.targets.every((t) => t.expr) && p.datasource?.uid === "${datasource}"));
      // Grafana stacks overlapping panels unpredictably; the grid must tile cleanly.
      const cells = new Set();
      let overlap = false;
      for (const { gridPos: g } of parsed.panels) {
        for (let x = g.x; x < g.x + g.w; x++) for (let y = g.y; y < g.y + g.h; y++) {
          if (cells.has(`${x},${y}`)) overlap = true;
          cells.add(`${x},${y}`);
        }
      }
      check(`${label}: dashboard panels do not overlap and fit 24 columns`,
        !overlap && parsed.panels.every((p) => p.gridPos.x + p.gridPos.w <= 24));
    }
  }

  const pdb = find(docs, "PodDisruptionBudget")[0];
  check(`${label}: worker PodDisruptionBudget selects the worker pods`, pdb
    && Object.entries(pdb.spec.selector.matchLabels).every(([k, v]) => worker.spec.template.metadata.labels[k] === v));
  return { orch, worker, config };
}

// ---- defaults: PVC weights, no KEDA, no monitors ----
{
  const docs = load(defaultFile);
  const { worker, config } = common("default", docs);
  if (worker) {
    const spec = worker.spec.template.spec;
    const vol = spec.volumes.find((v) => v.persistentVolumeClaim);
    const mount = spec.containers[0].volumeMounts.find((m) => m.name === vol?.name);
    check("default: weights PVC mounted read-only", vol?.persistentVolumeClaim.readOnly === true && mount?.readOnly === true);
    check("default: Model__Weights is the PVC mount path", config?.data.Model__Weights === mount?.mountPath);
    check("default: quality retakes off", config?.data.Quality__Retakes === "0");
    check("default: worker replicas set when KEDA is off", Number.isInteger(worker.spec.replicas));
    check("default: worker tolerates the nvidia.com/gpu taint", spec.tolerations?.some((t) => t.key === "nvidia.com/gpu"));
    check("default: the API asks for credentials", config?.data.Auth__Open === "false");
    check("default: tenants have quotas", Number(config?.data.Quotas__Default__MaxActiveRenders) > 0
      && Number(config?.data.Quotas__Default__CreatesPerMinute) > 0);
  }
  check("default: no Certificate (TLS off by default)", find(docs, "Certificate").length === 0);
  for (const kind of ["ScaledObject", "TriggerAuthentication", "ServiceMonitor", "PodMonitor"]) {
    check(`default: no ${kind} (off by default)`, find(docs, kind).length === 0);
  }
}

// ---- every option on: bucket weights, KEDA, monitors ----
{
  const docs = load(allFile);
  const { orch, worker, config } = common("all-options", docs);
  if (worker) {
    check("all-options: worker replicas left to KEDA", worker.spec.replicas === undefined);
    check("all-options: no weights volume with bucket weights",
      !worker.spec.template.spec.volumes.some((v) => v.persistentVolumeClaim));
    check("all-options: Model__Weights is an s3:// prefix", config?.data.Model__Weights?.startsWith("s3://"));
    check("all-options: Quality__Retakes and thresholds come from values", config?.data.Quality__Retakes === "2" && config?.data.Quality__MinLipSync === "0.3");
    check("all-options: username read from the Secret, not the ConfigMap",
      !("Rabbit__Username" in (config?.data ?? {})) && envNames(container(worker)).includes("Rabbit__Username"));
  }
  const [so] = find(docs, "ScaledObject");
  const [ta] = find(docs, "TriggerAuthentication");
  check("all-options: ScaledObject targets the worker Deployment", so && worker && so.spec.scaleTargetRef.name === worker.metadata.name);
  check("all-options: ScaledObject scales to zero", so?.spec.minReplicaCount === 0);
  const trigger = so?.spec.triggers?.[0];
  check("all-options: trigger watches render-segment", trigger?.type === "rabbitmq" && trigger.metadata.queueName === "render-segment");
  check("all-options: trigger authenticates through the chart's TriggerAuthentication",
    ta && trigger?.authenticationRef?.name === ta.metadata.name && ta.spec.secretTargetRef?.[0]?.parameter === "host");
  const [sm] = find(docs, "ServiceMonitor");
  const [svc] = find(docs, "Service", "orchestrator");
  check("all-options: ServiceMonitor scrapes a port the Service exposes",
    sm && svc && svc.spec.ports.some((p) => p.name === sm.spec.endpoints[0].port));
  const [pm] = find(docs, "PodMonitor");
  check("all-options: PodMonitor scrapes a port the worker exposes",
    pm && worker && container(worker).ports.some((p) => p.name === pm.spec.podMetricsEndpoints[0].port));
  check("all-options: orchestrator image pinned by digest", orch && container(orch).image.includes("@sha256:"));
  if (orch) {
    const o = container(orch), env = o.env ?? [];
    check("all-options: operator key digests and token signing keys come from secretKeyRefs, in the orchestrator only",
      ["Auth__AdminKeySha256__0", "Auth__AdminKeySha256__1", "Auth__Jwt__SigningKeys__0"].every((n) =>
        env.some((e) => e.name === n && e.valueFrom?.secretKeyRef?.name && e.valueFrom.secretKeyRef.key))
      && !envNames(container(worker)).some((n) => n.startsWith("Auth__")), `env has ${envNames(o).join(", ")}`);
    check("all-options: no auth secret in the ConfigMap", !Object.keys(config?.data ?? {}).some((k) => k.startsWith("Auth__AdminKey") || k.startsWith("Auth__Jwt__SigningKeys")));
    check("all-options: token settings and per-tenant quotas reach the ConfigMap",
      config?.data.Auth__Jwt__Authority?.startsWith("https://") && config?.data.Auth__Jwt__TenantClaim === "org"
      && config?.data["Quotas__Tenants__studio-a__maxActiveRenders"] === "500");
    const [cert] = find(docs, "Certificate", "orchestrator");
    const tlsVolume = orch.spec.template.spec.volumes.find((v) => v.name === "tls");
    check("all-options: cert-manager Certificate issues the Secret the orchestrator mounts",
      cert && tlsVolume?.secret?.secretName === cert.spec.secretName && o.volumeMounts.some((m) => m.name === "tls" && m.readOnly));
    check("all-options: the Certificate covers the Service's in-cluster name and the extra names",
      cert && svc && cert.spec.dnsNames.includes(`${svc.metadata.name}.${svc.metadata.namespace}.svc`) && cert.spec.dnsNames.includes("render.example.com"));
    check("all-options: Kestrel serves the mounted certificate",
      env.some((e) => e.name === "Kestrel__Endpoints__Grpc__Certificate__Path" && e.value === "/etc/emofarm/tls/tls.crt"));
  }
}

console.log(`chart assertions: ${passes} held, ${failures} broken`);
process.exit(failures ? 1 : 0);
