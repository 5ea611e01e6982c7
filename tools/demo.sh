#!/usr/bin/env bash
# `make demo`: a whole simulated trading day. The full demo (market makers, participant
# bots, market data, settlement) arrives with the later issues; until then this runs what
# exists: the worked auctions, the calendar and a short session on ccx-exchange.
set -euo pipefail
BUILD_DIR=${1:-build}
BIN="$BUILD_DIR/bin"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
EXAMPLES="$ROOT/../shared/spec/examples"
echo "ccx demo — the whole simulated trading day with market makers and settlement comes with"
echo "later issues; this shows the engine's worked auctions, the calendar and a short session"
echo "on the real exchange server. The worked auction books of the specification:"
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

# A short session on the real exchange: start ccx-exchange on a frozen simulated clock,
# let two participants trade over SoupBinTCP/OUCH, run the 11:30 auction, kill -9 the
# server, restart it from the journal and replay a participant's day.
echo
echo "A morning on ccx-exchange (simulated clock, Friday 2026-11-20):"
DATA=$(mktemp -d)
PORT=${CCX_DEMO_PORT:-26490}
RUN=0
start_exchange() {
  RUN=$((RUN + 1))
  "$BIN/ccx-exchange" --data-dir "$DATA" --order-port "$PORT" --clock sim \
    --sim-start 2026-11-20T09:00:00 --sim-speed 0 --fsync batch 2>"$DATA/exchange-$RUN.log" &
  EX_PID=$!
  for _ in $(seq 50); do grep -q listening "$DATA/exchange-$RUN.log" 2>/dev/null && break; sleep 0.1; done
}
start_exchange
trap 'kill -9 $EX_PID 2>/dev/null || true; rm -rf "$DATA"' EXIT
C=("$BIN/ccx-client" --port "$PORT")
"${C[@]}" --user PART01 --password part01 buy JCRE 100 3010 --token BUY1 | sed 's/^/    PART01 /'
"${C[@]}" --user PART02 --password part02 sell JCRE 60 3000 --token SELL1 | sed 's/^/    PART02 /'
"${C[@]}" --user PART02 --password part02 sell JCRE 60 9000 --token SELL2 | sed 's/^/    PART02 /' || true
echo "    operator: $("$BIN/ccx-exchange" admin --data-dir "$DATA" clock 2026-11-20T11:30:00)"
{ kill -9 $EX_PID; wait $EX_PID; } 2>/dev/null || true
echo "    (server killed with kill -9 after the auction; restarting from the journal)"
start_exchange
"${C[@]}" --user PART01 --password part01 --from-seq 1 listen 0.5 | sed 's/^/    PART01 replay /'
grep replayed "$DATA/exchange-2.log" | sed 's/^/    /'
"$BIN/ccx-exchange" admin --data-dir "$DATA" status | tr '|' '\n' | sed 's/^ */    /' | head -3
