#!/usr/bin/env node
// Offline stand-in for `kubeconform -strict`: validates rendered manifests against the Kubernetes,
// KEDA, prometheus-operator and cert-manager schemas that the kubernetes-models npm packages ship.
//
//   node scripts/deploy-validate-manifests.mjs --modules DIR [--self-test] FILE...
//
// DIR is the node_modules folder holding kubernetes-models, @kubernetes-models/{keda,prometheus-operator}
// and yaml. Two checks per document:
//  1. the package's compiled JSON-schema validator (types, enums, required fields, formats);
//  2. unknown fields, which those validators let through: the allowed field names are read from the
//     packages' TypeScript declarations, so a misspelt key such as `terminationGracePeriodSecond`
//     fails here as it would under kubeconform -strict or kubectl's strict field validation.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
const modulesAt = args.indexOf("--modules");
if (modulesAt < 0 || !args[modulesAt + 1]) {
  console.error("usage: deploy-validate-manifests.mjs --modules NODE_MODULES [--self-test] FILE...");
  process.exit(2);
}
const modules = args[modulesAt + 1];
const selfTest = args.includes("--self-test");
const files = args.filter((a, i) => i !== modulesAt && i !== modulesAt + 1 && a !== "--self-test");

const YAML = await import(pathToFileURL(join(modules, "yaml/dist/index.js")).href);
// Where each API group's models live; the core group ("v1") has no group folder.
const packages = ["kubernetes-models", "@kubernetes-models/keda", "@kubernetes-models/prometheus-operator", "@kubernetes-models/cert-manager"];

// ---- field names from the .d.ts declarations -------------------------------------------------
const interfaces = new Map(); // type name -> { props: Map<name, typeNode> }
const byKind = new Map(); // "apiVersion/kind" -> interface
const aliases = new Map(); // type name -> the type name it stands for

function* declarationFiles(dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (entry === "node_modules") continue;
    if (statSync(path).isDirectory()) yield* declarationFiles(path);
    else if (entry.endsWith(".d.ts")) yield path;
  }
}

// A tiny parser for the subset of TypeScript the generated declarations use.
function parseType(text) {
  let i = 0;
  const ws = () => { while (/\s/.test(text[i] ?? "")) i++; };
  const union = () => {
    const members = [single()];
    ws();
    while (text[i] === "|") { i++; members.push(single()); ws(); }
    return members.find((m) => m.kind !== "leaf") ?? members[0];
  };
  const single = () => {
    ws();
    let node;
    if (text[i] === "{") node = objectType();
    else if (text[i] === "(") { i++; node = union(); ws(); i++; }
    else if (text[i] === '"' || text[i] === "'") {
      const q = text[i++];
      while (text[i] !== q) i++;
      i++;
      node = { kind: "leaf" };
    } else {
      const m = /^[\w.$]+/.exec(text.slice(i));
      if (!m) throw new Error(`cannot parse type at: ${text.slice(i, i + 40)}`);
      i += m[0].length;
      ws();
      if (m[0] === "Array" && text[i] === "<") {
        i++;
        const item = union();
        ws();
        i++; // ">"
        node = { kind: "array", item };
      } else if (/^I[A-Z]/.test(m[0])) node = { kind: "ref", name: m[0] };
      else node = { kind: "leaf" };
    }
    ws();
    while (text.startsWith("[]", i)) { i += 2; node = { kind: "array", item: node }; ws(); }
    return node;
  };
  const objectType = () => {
    i++; // "{"
    const props = new Map();
    let map = null;
    for (;;) {
      ws();
      if (text[i] === "}") { i++; break; }
      if (text[i] === "[") {
        i = text.indexOf("]", i) + 1;
        ws();
        i++; // ":"
        map = union();
      } else {
        const m = /^"([^"]*)"\??\s*:/.exec(text.slice(i)) ?? /^([\w$]+)\??\s*:/.exec(text.slice(i));
        if (!m) throw new Error(`cannot parse member at: ${text.slice(i, i + 40)}`);
        i += m[0].length;
        props.set(m[1], union());
      }
      ws();
      if (text[i] === ";" || text[i] === ",") i++;
    }
    return map ? { kind: "map", value: map } : { kind: "object", props };
  };
  const node = union();
  return node;
}

function loadDeclarations(root) {
  for (const file of declarationFiles(root)) {
    const src = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
    const local = new Map();
    for (const m of src.matchAll(/export interface (\w+)(?:<[^>]*>)?(\s+extends\s+[\w<>, ]+)?\s*\{/g)) {
      let depth = 0, end = m.index + m[0].length - 1;
      do {
        if (src[end] === "{") depth++;
        else if (src[end] === "}") depth--;
        end++;
      } while (depth > 0);
      const node = parseType(src.slice(m.index + m[0].length - 1, end));
      if (node.kind !== "object") continue;
      if (m[2]?.includes("TypeMeta")) {
        node.props.set("apiVersion", { kind: "leaf" });
        node.props.set("kind", { kind: "leaf" });
      }
      local.set(m[1], node);
      if (!interfaces.has(m[1])) interfaces.set(m[1], node);
      const body = src.slice(m.index, end);
      const api = /"apiVersion":\s*"([^"]+)";/.exec(body), kind = /"kind":\s*"([^"]+)";/.exec(body);
      if (api && kind) byKind.set(`${api[1]}/${kind[1]}`, node);
    }
    // `export type { IContainer as IIoK8sApiCoreV1Container, ... }`: the long names are what fields reference.
    for (const m of src.matchAll(/export type \{([^}]*)\}/g)) {
      for (const pair of m[1].split(",")) {
        const [from, to] = pair.split(" as ").map((s) => s.trim());
        if (!to) continue;
        if (local.has(from)) interfaces.set(to, local.get(from));
        else aliases.set(to, from);
      }
    }
    // `export type IAuthSecretTargetRef = IComGithub...AuthTargetRef;`: one type reused under another name.
    for (const m of src.matchAll(/export type (I\w+) = (I\w+);/g)) aliases.set(m[1], m[2]);
  }
}

// Aliases can chain across files, so resolve them once every declaration is loaded.
function resolveAliases() {
  for (const [name] of aliases) {
    let target = name;
    for (let hops = 0; hops < 10 && !interfaces.has(target) && aliases.has(target); hops++) target = aliases.get(target);
    if (interfaces.has(target) && !interfaces.has(name)) interfaces.set(name, interfaces.get(target));
  }
}

function unknownFields(value, node, path, out) {
  if (value === null || value === undefined || node === undefined) return;
  if (node.kind === "ref") return unknownFields(value, interfaces.get(node.name), path, out);
  if (node.kind === "array" && Array.isArray(value)) {
    value.forEach((v, k) => unknownFields(v, node.item, `${path}[${k}]`, out));
  } else if (node.kind === "map" && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) unknownFields(v, node.value, `${path}.${k}`, out);
  } else if (node.kind === "object" && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (!node.props.has(k)) out.push(`${path}.${k}: unknown field`);
      else unknownFields(v, node.props.get(k), `${path}.${k}`, out);
    }
  }
}

for (const pkg of packages) loadDeclarations(join(modules, pkg));
loadDeclarations(join(modules, "@kubernetes-models/apimachinery"));
resolveAliases();

// ---- schema validation -------------------------------------------------------------------------
async function modelClass(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  for (const pkg of packages) {
    const index = join(modules, pkg, group, version, "index.js");
    try {
      statSync(index);
    } catch {
      continue;
    }
    const mod = await import(pathToFileURL(index).href);
    if (mod[kind]) return mod[kind];
  }
  return undefined;
}

async function validate(doc) {
  const errors = [];
  const Model = await modelClass(doc.apiVersion ?? "", doc.kind ?? "");
  if (!Model) return [`no schema for ${doc.apiVersion} ${doc.kind}`];
  try {
    new Model(doc).validate();
  } catch (e) {
    const details = e.errors ?? e.details;
    if (Array.isArray(details)) {
      for (const d of details) errors.push(`${d.instancePath || "/"}: ${d.message ?? d.keyword}`);
    } else errors.push(String(e.message ?? e));
  }
  const root = byKind.get(`${doc.apiVersion}/${doc.kind}`);
  if (!root) errors.push(`no field list for ${doc.apiVersion} ${doc.kind}`);
  else unknownFields(doc, root, "", errors);
  return errors;
}

let failed = 0, checked = 0;

if (selfTest) {
  // Proves both checks can fail: a misspelt field and a wrongly typed one must each be reported.
  const base = {
    apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "self-test" },
    spec: { selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { a: "b" } },
      spec: { containers: [{ name: "c", image: "i", ports: [{ containerPort: 8080 }] }] } } },
  };
  const good = await validate(base);
  const typo = structuredClone(base);
  typo.spec.template.spec.terminationGracePeriodSecond = 300;
  const badType = structuredClone(base);
  badType.spec.template.spec.containers[0].ports[0].containerPort = "http";
  const typoErrors = await validate(typo), typeErrors = await validate(badType);
  const ok = good.length === 0 && typoErrors.some((e) => e.includes("terminationGracePeriodSecond"))
    && typeErrors.some((e) => e.includes("containerPort"));
  console.log(ok ? "self-test: ok (a valid Deployment passes; a misspelt and a mistyped field fail)"
    : `self-test: FAILED\n  valid: ${good.join("; ")}\n  typo: ${typoErrors.join("; ")}\n  type: ${typeErrors.join("; ")}`);
  if (!ok) failed++;
}

for (const file of files) {
  const docs = YAML.parseAllDocuments(readFileSync(file, "utf8"));
  for (const parsed of docs) {
    if (parsed.errors.length) {
      failed++;
      console.log(`FAIL ${file}: YAML: ${parsed.errors.map((e) => e.message).join("; ")}`);
      continue;
    }
    const doc = parsed.toJS();
    if (doc === null || doc === undefined) continue;
    checked++;
    const name = `${doc.kind ?? "?"}/${doc.metadata?.name ?? "?"}`;
    const errors = await validate(doc);
    if (errors.length) {
      failed++;
      console.log(`FAIL ${file}: ${name}`);
      for (const e of errors) console.log(`       ${e}`);
    } else console.log(`ok   ${file}: ${name} (${doc.apiVersion})`);
  }
}
console.log(`manifests: ${checked} checked, ${failed} invalid`);
process.exit(failed ? 1 : 0);
