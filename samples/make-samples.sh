#!/usr/bin/env bash
# Regenerates samples/portrait.png and samples/speech.wav. Both are made here from scratch (no source material),
# so the outputs are CC0. Needs python3 (standard library only) and espeak-ng (scripts/install-deps.sh espeak-ng).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

python3 "$here/draw_portrait.py" "$here/portrait.png"

# en-us at 160 words per minute gives about 10 s; espeak-ng writes 22.05 kHz mono 16-bit PCM.
espeak-ng -v en-us -s 160 -w "$here/speech.wav" \
  "Hello, and welcome to the render farm. This voice comes from a speech synthesizer, so that every test has words to follow. Watch the lips move as I speak."

echo "wrote $here/portrait.png and $here/speech.wav"
