#!/usr/bin/env bash
# Installs the system dependencies, builds the solution in Release and runs every test project. The test
# fixtures start RabbitMQ, Redis and Swift themselves. Ends with one line: "N passed, N failed[, N skipped]".
# Extra arguments go to `dotnet test`, e.g. `scripts/test.sh --filter-class '*ServiceFixtureTests'`.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/install-deps.sh
# The face-analysis models and their JavaScript reference (npm, into .cache/face-api; the parity tests run both).
bash scripts/install-face-api.sh >/dev/null

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build EmoFarm.sln -c Release
# The house style is enforced, not suggested: a formatting difference fails the run like a test.
dotnet format EmoFarm.sln --verify-no-changes --no-restore

results="$root/.artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"
log="$results/dotnet-test.log"

# A test host that dies in native code (exit 139) leaves no TRX and no stack. The runtime then writes a mini dump and a
# crash report beside the results, and the crashing thread's frames are printed below.
export DOTNET_DbgEnableMiniDump=1 DOTNET_DbgMiniDumpType=1 DOTNET_EnableCrashReport=1
export DOTNET_DbgMiniDumpName="$results/crash-%e-%p.dmp"

# global.json selects Microsoft.Testing.Platform, so `dotnet test` runs each test project's own executable;
# xunit.v3's reporter writes one TRX per test project, which is where the counts below come from.
set +e
dotnet test --solution EmoFarm.sln -c Release --no-build \
  --results-directory "$results" --report-xunit-trx --no-ansi --progress off "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e

counters="$(cat "$results"/*.trx 2>/dev/null | grep -o '<Counters [^>]*>' || true)"
sum() {
  printf '%s\n' "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9][0-9]*' | awk '{ s += $1 } END { print s + 0 }'
}
passed=$(sum passed)
failed=$(($(sum failed) + $(sum error) + $(sum timeout) + $(sum aborted)))
skipped=$(sum notExecuted)

if ((rc != 0 && failed == 0)); then
  # No test failed, yet the run did: a test host crashed, hit a timeout or ran no tests. Count each such
  # module as a failure so the closing line never reads as a clean run.
  bad=$(sed -n '/^Test run summary/,$p' "$log" | grep -E '\.dll \(' | grep -cv ' passed (' || true)
  echo "dotnet test exited with code $rc: ${bad} test module(s) crashed, timed out or ran no tests (see above)"
  failed=$((bad > 0 ? bad : 1))
fi

for report in "$results"/*.crashreport.json; do
  [[ -e "$report" ]] || continue
  echo "crash report $report:"
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).payload;
    const crashed = (r.threads || []).find(t => String(t.crashed) === "true") || { native_thread_id: "?", stack_frames: [] };
    console.log("process", r.process_name, "crashed on thread", crashed.native_thread_id);
    for (const f of crashed.stack_frames.slice(0, 40))
      console.log("  ", f.native_module || f.filename || "?", f.unmanaged_name || f.method_name || f.native_address);
  ' "$report" || head -c 4000 "$report"
done

summary="$passed passed, $failed failed"
if ((skipped > 0)); then
  summary+=", $skipped skipped"
fi
echo "$summary"

if ((rc != 0 || failed > 0)); then
  exit 1
fi
