#!/usr/bin/env bash
# `make demo`: a whole simulated trading day. The full demo (exchange server, market
# makers, participant bots, settlement) arrives with the later issues; until then this
# runs what exists: the worked auction examples through ccx-auction and the calendar.
set -euo pipefail
BUILD_DIR=${1:-build}
BIN="$BUILD_DIR/bin"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
EXAMPLES="$ROOT/../shared/spec/examples"
echo "ccx demo — the full simulated trading day is not yet available (needs the exchange"
echo "server, market data and settlement issues). Showing the engine on its own:"
echo
if [ -d "$EXAMPLES" ]; then
  for f in "$EXAMPLES"/*.json; do
    desc=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["description"])' "$f")
    out=$("$BIN/ccx-auction" < "$f")
    res=$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print("price", d["price"], "volume", d["volume"], "fills", d["fills"])' "$out")
    printf '%-28s %s\n    %s\n' "$(basename "$f")" "$res" "$desc"
  done
fi
echo
today=$(TZ=Asia/Tokyo date +%Y-%m-%d)
year=${today%%-*}
echo "Japanese holidays $year (ccx-calendar holidays $year):"
"$BIN/ccx-calendar" holidays "$year" | sed 's/^/    /'
