#!/usr/bin/env bash
# The main job: boot the built-in default machine and run every demo scenario.
# Extra arguments go to `sharpnt demo` (e.g. a scenario name, --seed N, --dump FILE).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh || { echo "could not install the demo's dependencies (dosfstools, mtools)"; exit 1; }
dotnet build src/SharpNT.Cli -c Release -v quiet -nologo >/dev/null
exec dotnet src/SharpNT.Cli/bin/Release/net10.0/sharpnt.dll demo "$@"
