#!/usr/bin/env bash
# Renders the bundled sample (samples/portrait.png + samples/speech.wav) to out/sample.mp4 with the tiny model
# on random weights. Arguments are passed to `emofarm render`; an option given there replaces the default, e.g.
#   scripts/render-sample.sh --weights /path/to/weights --config sd15
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/install-deps.sh ffmpeg nodejs npm
# The face nets frame the portrait and quality-check the frames; the script prints their folder last.
face_models="$(bash scripts/install-face-api.sh | tail -n 1)"

given() {
  local option=$1 arg
  shift
  for arg in "$@"; do
    [[ "$arg" == "$option" || "$arg" == "$option="* ]] && return 0
  done
  return 1
}

defaults=()
given --image "$@" || defaults+=(--image samples/portrait.png)
given --audio "$@" || defaults+=(--audio samples/speech.wav)
given --out "$@" || defaults+=(--out out/sample.mp4)
if ! given --config "$@"; then
  # The tiny model on a CPU: a small frame and few steps keep the demo to a minute or two on 2 cores.
  defaults+=(--config tiny)
  given --width "$@" || defaults+=(--width 128)
  given --height "$@" || defaults+=(--height 128)
  given --steps "$@" || defaults+=(--steps 4)
fi
given --face-models "$@" || defaults+=(--face-models "$face_models")
# MediaPipe's face mesh, installed beside face-api: Hallo's face and lip masks are drawn from its landmarks.
given --face-mesh "$@" || defaults+=(--face-mesh "$(dirname "$(dirname "$face_models")")/human-models/models")
# The bundled portrait is a drawing, which a detector trained on photographs scores barely above its threshold;
# its face box is given rather than left to chance. A photograph needs no box.
if [[ " $* " != *" --image "* ]] && ! given --face-box "$@"; then
  defaults+=(--face-box "144,177,216,212")
fi
# Real weights replace the random ones.
given --weights "$@" || given --random-weights "$@" || defaults+=(--random-weights)

mkdir -p out
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
dotnet run --project src/EmoFarm.Cli -c Release -- render "${defaults[@]}" "$@"
