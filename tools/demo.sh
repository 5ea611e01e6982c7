#!/usr/bin/env bash
# `make demo`: a whole simulated trading day on ccx (docs/DEMO.md).
#
# Starts ccx-exchange with the shipped configuration and a fresh data directory on a
# simulated clock, the market makers of every J-Credit category (ccx-mm) and a crowd of
# simulated participants (ccx-crowd), all over the real wire protocols (SoupBinTCP/OUCH for
# orders, ITCH over MoldUDP64 by unicast for market data). The day runs from 08:00 to the
# 15:00 auction in well under a minute; the operator skips the lunch break with the
# simulated clock. Then the clock jumps to the T+5 settlement date, and the day is printed:
# per category the 11:30 and 15:00 prices and volumes and VWAP, the market makers'
# compliance, the orders and executions, the settlement totals, and where the report and
# the journal are. Exit status 0 only if the day traded (executions in at least five
# categories) and settled balanced.
#
# Usage: tools/demo.sh [BUILD_DIR]. Environment (all optional):
#   CCX_DEMO_SPEED      simulated seconds per real second (default 500)
#   CCX_DEMO_DATE       trading date, a Friday so GX credits trade too (default 2026-11-20)
#   CCX_DEMO_RATE       crowd orders, replaces and cancels per simulated minute (default 8)
#   CCX_DEMO_BOTS       simulated participants, PART01.. (default 10)
#   CCX_DEMO_MAKERS     market makers (default MM0001,MM0002,MM0003)
#   CCX_DEMO_SEED       the crowd's random seed (default 1)
#   CCX_DEMO_LUNCH      1 = let the lunch break run instead of skipping it (default 0)
#   CCX_DEMO_DIR        data directory to use (default: a new one under /tmp; kept)
#   CCX_DEMO_RESULT     also write the checked results as JSON to this file
set -euo pipefail

BUILD_DIR=${1:-build}
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR="$PWD/$BUILD_DIR" ;; esac
BIN="$BUILD_DIR/bin"
SPEED=${CCX_DEMO_SPEED:-500}
DATE=${CCX_DEMO_DATE:-2026-11-20}
RATE=${CCX_DEMO_RATE:-8}
BOTS=${CCX_DEMO_BOTS:-10}
MAKERS=${CCX_DEMO_MAKERS:-MM0001,MM0002,MM0003}
SEED=${CCX_DEMO_SEED:-1}
LUNCH=${CCX_DEMO_LUNCH:-0}
RESULT=${CCX_DEMO_RESULT:-}

for p in ccx-exchange ccx-mm ccx-crowd ccx-calendar ccx-registry; do
  [ -x "$BIN/$p" ] || { echo "demo: $BIN/$p is missing: build first (make build)" >&2; exit 2; }
done
command -v python3 >/dev/null || { echo "demo: python3 is needed" >&2; exit 2; }

DATA=${CCX_DEMO_DIR:-$(mktemp -d /tmp/ccx-demo.XXXXXX)}
mkdir -p "$DATA/demo"
LOGS="$DATA/demo"
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

admin() { "$BIN/ccx-exchange" admin --data-dir "$DATA" "$@"; }
# The exchange's simulated time "YYYY-MM-DD HH:MM:SS" from `status`.
sim_time() { admin status 2>/dev/null | sed -n 's/.* time \([0-9-]*\)[T ]\([0-9:]*\).*/\1 \2/p'; }
# Waits until FILE contains TEXT (or TIMEOUT seconds pass); false on timeout.
wait_for() {
  local file=$1 text=$2 timeout=$3 i
  for ((i = 0; i < timeout * 10; i++)); do
    grep -q "$text" "$file" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

IFS=, read -r -a MM_USERS <<<"$MAKERS"
NSUB=$((${#MM_USERS[@]} + 1))
# One unicast market-data port per subscriber process (no multicast needed).
read -r -a MD_PORTS <<<"$(python3 - "$NSUB" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
)"
MD_DESTS=()
for p in "${MD_PORTS[@]}"; do MD_DESTS+=(--md-dest "127.0.0.1:$p"); done

SETTLE=$("$BIN/ccx-calendar" settlement-date "$DATE" | grep -o '[0-9]\{4\}-[0-9]\{2\}-[0-9]\{2\}' | tail -1)
echo "ccx demo: a whole simulated trading day, $DATE (Tokyo), settling on $SETTLE (T+5)"
echo "data directory: $DATA (kept)"
T0=$SECONDS

# The exchange starts at 06:00 simulated; once every bot is ready the operator moves the
# clock to just before the 08:00 opening.
"$BIN/ccx-exchange" --data-dir "$DATA" --order-port 0 --md-retrans-port 0 --snapshot-port 0 \
  --clock sim --sim-start "${DATE}T06:00:00" --sim-speed "$SPEED" --fsync none \
  --noii-interval-ms 5000 "${MD_DESTS[@]}" >"$LOGS/exchange.out" 2>"$LOGS/exchange.log" &
EX_PID=$!
PIDS+=($EX_PID)
wait_for "$LOGS/exchange.log" "snapshot 127.0.0.1:" 20 || {
  echo "demo: ccx-exchange did not start:" >&2; cat "$LOGS/exchange.log" >&2; exit 1; }
PORT=$(sed -n 's/.*listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$LOGS/exchange.log" | head -1)
RETRANS=$(sed -n 's/.*(retransmission 127.0.0.1:\([0-9]*\).*/\1/p' "$LOGS/exchange.log" | head -1)
echo "ccx-exchange: order entry 127.0.0.1:$PORT, retransmission :$RETRANS, feed to ${#MD_PORTS[@]} unicast ports, clock ${SPEED}x"

# The makers differ in style: spreads of 2, 3 and 4 % of the base price, 300, 200 and 500 t.
SPREADS=(2 3 4)
SIZES=(300 200 500)
k=0
for u in "${MM_USERS[@]}"; do
  pw=$(echo "$u" | tr 'A-Z' 'a-z')
  "$BIN/ccx-mm" --port "$PORT" --user "$u" --password "$pw" --md-listen "127.0.0.1:${MD_PORTS[$k]}" \
    --retrans "127.0.0.1:$RETRANS" --sim-speed "$SPEED" --summary-json "$LOGS/$u.json" \
    --spread "${SPREADS[$((k % 3))]}" --size "${SIZES[$((k % 3))]}" \
    >"$LOGS/$u.log" 2>"$LOGS/$u.err" &
  PIDS+=($!)
  k=$((k + 1))
done
"$BIN/ccx-crowd" --port "$PORT" --bots "$BOTS" --md-listen "127.0.0.1:${MD_PORTS[$k]}" \
  --retrans "127.0.0.1:$RETRANS" --sim-speed "$SPEED" --rate "$RATE" --seed "$SEED" \
  --summary-json "$LOGS/crowd.json" >"$LOGS/crowd.log" 2>"$LOGS/crowd.err" &
PIDS+=($!)
BOT_PIDS=("${PIDS[@]:1}")
for f in "${MM_USERS[@]}" crowd; do
  wait_for "$LOGS/$f.log" "ready" 30 || {
    echo "demo: $f did not start:" >&2; cat "$LOGS/$f.err" >&2; exit 1; }
done
echo "market makers ${MAKERS} and $BOTS simulated participants are logged in"
echo "operator: $(admin clock "${DATE}T07:59:50")"
echo

# The day: a line per simulated hour; the operator skips the lunch break.
last_hour=""
skipped=0
deadline=$((SECONDS + 60 + 30000 / SPEED))
while :; do
  alive=0
  for pid in "${BOT_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
  [ $alive = 1 ] || break
  if ! kill -0 "$EX_PID" 2>/dev/null; then
    echo "demo: ccx-exchange stopped:" >&2; tail -5 "$LOGS/exchange.log" >&2; exit 1
  fi
  if [ $SECONDS -gt $deadline ]; then echo "demo: the day did not end in time" >&2; exit 1; fi
  now=$(sim_time || true)
  hm=${now#* }
  hm=${hm:0:5}
  if [ -n "$hm" ] && [ "${hm:0:2}" != "$last_hour" ] && [[ "$hm" > "07:59" ]]; then
    last_hour=${hm:0:2}
    resting=$(admin status | grep -o 'orders=[0-9]*' | awk -F= '{n += $2} END {print n + 0}')
    printf '  %s  %s resting orders\n' "$hm" "$resting"
  fi
  if [ "$LUNCH" = 0 ] && [ $skipped = 0 ] && [[ "$hm" > "11:30" ]] && [[ "$hm" < "12:29" ]]; then
    skipped=1
    echo "  11:30  auction done; operator: lunch skipped, $(admin clock "${DATE}T12:29:50")"
  fi
  sleep 0.25
done
for pid in "${BOT_PIDS[@]}"; do wait "$pid" 2>/dev/null || echo "demo: a bot failed (see $LOGS)" >&2; done
echo "  15:00  closing auction done; day orders expired (market makers and crowd stopped)"
admin status >"$LOGS/status-after-close.txt"
: >"$LOGS/books-after-close.txt"
for c in $(grep -o '| [A-Z0-9]* phase' "$LOGS/status-after-close.txt" | awk '{print $2}'); do
  admin book "$c" >>"$LOGS/books-after-close.txt"
done
REPORT="$DATA/reports/$DATE.json"
wait_for_file() { local i; for ((i = 0; i < $2 * 10; i++)); do [ -s "$1" ] && return 0; sleep 0.1; done; return 1; }
wait_for_file "$REPORT" 20 || { echo "demo: no daily report $REPORT" >&2; exit 1; }
DAY_SECONDS=$((SECONDS - T0))

# Settlement: the operator runs the clock to the settlement date (the exchange settles
# everything due at the configured time of each business day).
echo "operator: $(admin clock "${SETTLE}T09:00:30")"
# The statements appear one by one: wait until their number stays the same for a moment.
count=0 same=0
for ((i = 0; i < 300 && same < 5; i++)); do
  n=$(ls "$DATA/settlement/$SETTLE/" 2>/dev/null | grep -c '\.json$' || true)
  if [ "$n" -gt 0 ] && [ "$n" = "$count" ]; then same=$((same + 1)); else same=0; fi
  count=$n
  sleep 0.1
done
for u in "${MM_USERS[@]}" $(seq -f 'PART%02g' 1 10); do
  echo "$u $(admin ledger-holdings "$u" | tr -d '\n')" >>"$LOGS/holdings-after-settlement.txt"
  echo "$u $(admin ledger-cash "$u" | tr -d '\n')" >>"$LOGS/cash-after-settlement.txt"
done
admin shutdown >/dev/null || true
echo

python3 - "$DATA" "$DATE" "$SETTLE" "$MAKERS" "$DAY_SECONDS" "$RESULT" "$ROOT/config/market.toml" "$BIN" <<'EOF'
import glob, json, os, re, sys

data, date, settle, makers, day_seconds, result_path, config_path, bin_dir = sys.argv[1:9]
makers = makers.split(",")
logs = os.path.join(data, "demo")


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def yen(v):
    return "-" if v is None else f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}"


def num(v):
    return f"{v:,}"


report = load(os.path.join(data, "reports", f"{date}.json")) or {"categories": []}
print(f"The day {date}: results per category (JPY per t-CO2, volumes in t-CO2)")
print(f"{'':6} {'11:30 price':>11} {'volume':>8} {'15:00 price':>11} {'volume':>8} {'VWAP':>10} {'day volume':>11}")
traded = []
day_volume = {}


def auction(a):
    if a is None:
        return ("-", "")
    if not a.get("executed"):
        return ("no exec.", "0")
    return (yen(a["price"]), num(a["volume"]))


for c in report["categories"]:
    m, cl = auction(c.get("morning")), auction(c.get("closing"))
    vol = c.get("volume") or 0
    day_volume[c["code"]] = vol
    if vol > 0:
        traded.append(c["code"])
    print(f"{c['code']:6} {m[0]:>11} {m[1]:>8} {cl[0]:>11} {cl[1]:>8} {yen(c.get('vwap')):>10} {num(vol):>11}")

# Market makers: the exchange's measurement (presence per acceptance phase), and what
# the makers did.
mm_report = load(os.path.join(data, "reports", f"mm-{date}.json"))
mm_entries = 0
mm_compliant = 0
print()
if mm_report and mm_report.get("makers"):
    entries = mm_report["makers"]
    mm_entries = len(entries)
    mm_compliant = sum(1 for e in entries if e.get("compliant"))
    ob = entries[0].get("obligation", {})
    spread = f"{ob['max_spread_yen']} yen" if ob.get("max_spread_yen") else f"{ob.get('max_spread_percent', 10)}% of base"
    print(f"Market makers' compliance, measured by the exchange: {mm_compliant} of {mm_entries} compliant")
    print(f"(obligation: buy and sell each >= {ob.get('min_size', 100)} t, spread <= {spread}, "
          f"present >= {ob.get('min_presence_percent', 80)}% of each phase; cells: % present per phase)")
    codes = []
    cell = {}
    for e in entries:
        if e["category"] not in codes:
            codes.append(e["category"])
        pres = "/".join(f"{p.get('presence_pct', 0):.0f}" for p in e.get("phases", []))
        cell[(e["participant"], e["category"])] = pres + ("" if e.get("compliant") else " NO")
    print(f"{'':8}" + "".join(f"{c:>10}" for c in codes))
    for maker in sorted({e["participant"] for e in entries}):
        print(f"{maker:8}" + "".join(f"{cell.get((maker, c), '-'):>10}" for c in codes))
else:
    print("Market makers' compliance: no report from the exchange (reports/mm-DATE.json)")
for u in makers:
    s = load(os.path.join(logs, f"{u}.json"))
    if not s:
        print(f"  {u}: no summary (see {logs}/{u}.err)")
        continue
    b = sum(c["bought"] for c in s["categories"])
    sd = sum(c["sold"] for c in s["categories"])
    print(f"  {u}: {s['orders']} orders, {s['replaces']} replaces, {s['executions']} executions "
          f"(bought {num(b)} t, sold {num(sd)} t)")

crowd = load(os.path.join(logs, "crowd.json")) or {}
mm_sums = [load(os.path.join(logs, f"{u}.json")) or {} for u in makers]
orders = crowd.get("orders", 0) + sum(s.get("orders", 0) for s in mm_sums)
replaces = crowd.get("replaces", 0) + sum(s.get("replaces", 0) for s in mm_sums)
cancels = crowd.get("cancels", 0) + sum(s.get("cancels", 0) for s in mm_sums)
fills = crowd.get("executions", 0) + sum(s.get("executions", 0) for s in mm_sums)
print()
print(f"Orders: {num(orders)} entered ({num(crowd.get('orders', 0))} by {len(crowd.get('bots', []))} participants, "
      f"{num(orders - crowd.get('orders', 0))} by {len(makers)} market makers), {num(replaces)} replaces, {num(cancels)} cancels")

# Books after the close: every category empty (DAY orders expired after 15:00).
books_empty = False
try:
    status = open(os.path.join(logs, "status-after-close.txt"), encoding="utf-8").read()
    counts = [int(x) for x in re.findall(r"orders=(\d+)", status)]
    books_empty = bool(counts) and all(x == 0 for x in counts)
except OSError:
    pass

# Settlement statements: every trade of the day settled; per category the credits bought
# equal those sold and the day's volume, the netted deliveries equal the receipts; cash
# paid equals cash received; nothing failed.
statements = [load(p) for p in sorted(glob.glob(os.path.join(data, "settlement", settle, "*.json")))]
statements = [s for s in statements if s]
bought, sold, received, delivered = {}, {}, {}, {}
cash = {"purchases": 0, "sales": 0, "paid": 0, "received": 0}
net_credits, net_cash = {}, {}
fails = 0
trades = 0
for s in statements:
    for c in s.get("credits", []):
        for d, k in ((bought, "bought"), (sold, "sold"), (received, "received"), (delivered, "delivered")):
            d[c["category"]] = d.get(c["category"], 0) + c[k]
        net_credits[(s["participant"], c["category"])] = c["received"] - c["delivered"]
    for k in cash:
        cash[k] += s["cash"][k]
    net_cash[s["participant"]] = s["cash"]["received"] - s["cash"]["paid"]
    fails += len(s.get("fails", []))
    trades += sum(1 for t in s.get("trades", []) if t["side"] == "buy")
cats = [c["code"] for c in report["categories"] if c["code"] in bought or c["code"] in sold]
balanced = (bool(statements) and fails == 0
            and all(bought.get(c, 0) == sold.get(c, 0) == day_volume.get(c, 0) for c in set(bought) | set(day_volume))
            and all(received.get(c, 0) == delivered.get(c, 0) for c in cats)
            and cash["purchases"] == cash["sales"] and cash["paid"] == cash["received"])

# The registry after settlement: every participant holds its deposit plus what it received
# net, and its cash deposit plus what it received net (the shipped demo deposits).
conserved = None
try:
    import tomllib
    with open(config_path, "rb") as f:
        cfg = tomllib.load(f)
    dep_credits, dep_cash = {}, {}
    for d in cfg.get("deposit", []):
        for u in d["participants"]:
            if "cash" in d:
                dep_cash[u] = dep_cash.get(u, 0) + d["cash"]
            if "category" in d:
                dep_credits[(u, d["category"])] = dep_credits.get((u, d["category"]), 0) + d["quantity"]
    conserved = True
    for line in open(os.path.join(logs, "holdings-after-settlement.txt"), encoding="utf-8"):
        user, js = line.split(" ", 1)
        for code, h in json.loads(js)["categories"].items():
            want = dep_credits.get((user, code), 0) + net_credits.get((user, code), 0)
            conserved = conserved and h["available"] + h["reserved"] == want
    for line in open(os.path.join(logs, "cash-after-settlement.txt"), encoding="utf-8"):
        user, js = line.split(" ", 1)
        conserved = conserved and json.loads(js)["balance"] == dep_cash.get(user, 0) + net_cash.get(user, 0)
except (ImportError, OSError, ValueError, KeyError):
    conserved = None
print(f"Executions: {num(fills)} order fills in {num(trades)} trades, in {len(traded)} categories ({', '.join(traded)})")
print()
print(f"Settlement on {settle} (T+5): {len(statements)} statements, {num(trades)} trades")
print(f"{'':6} {'bought t':>10} {'sold t':>10} {'delivered t':>12} {'received t':>12}  (netted per participant)")
for c in cats:
    print(f"{c:6} {num(bought.get(c, 0)):>10} {num(sold.get(c, 0)):>10} {num(delivered.get(c, 0)):>12} {num(received.get(c, 0)):>12}")
print(f"cash   {num(cash['purchases'])} yen of purchases = {num(cash['sales'])} yen of sales; "
      f"{num(cash['paid'])} yen paid = {num(cash['received'])} yen received (netted); fails {fails}")
print(("balanced" if balanced else "NOT BALANCED") + ": every t of the day's volume settled, deliveries equal receipts, payments equal receipts")
if conserved is not None:
    print(("registry consistent" if conserved else "REGISTRY INCONSISTENT") +
          ": every participant holds its deposits plus what it received net, in credits and cash")
    balanced = balanced and conserved
print()
print(f"Daily report: {os.path.join(data, 'reports', date + '.html')} (also .json, .csv)")
print(f"Journal:      {os.path.join(data, 'journal', 'ccx.journal')}")
alerts_dir = os.path.join(data, 'alerts')
alerts = sorted(f for f in os.listdir(alerts_dir) if f.endswith('.json')) if os.path.isdir(alerts_dir) else []
kinds = {}
for f in alerts:
    kind = f[:-5].split('-')[3] if f.count('-') >= 4 else 'alert'
    kinds[kind] = kinds.get(kind, 0) + 1
print(f"Surveillance: {len(alerts)} alerts raised live in {alerts_dir}/" +
      (" (" + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) + ")" if kinds else "") +
      f"; replay and check the day: {bin_dir}/ccx-replay --data-dir {data} --verify")
print(f"Statements:   {os.path.join(data, 'settlement', settle)}/USER.json; ledger {os.path.join(data, 'ledger.sqlite')}")
print(f"Logs:         {logs}/ (exchange, market makers, crowd); the day took {day_seconds} s of real time")
print(f"Look closer:  {bin_dir}/ccx-registry statements --data-dir {data} --participant {makers[0]} --date {settle}")

ok = len(traded) >= 5 and balanced
result = {"date": date, "settlement_date": settle, "categories_traded": traded, "orders": orders,
          "replaces": replaces, "cancels": cancels, "fills": fills, "trades": trades,
          "books_empty_after_close": books_empty, "mm_report_entries": mm_entries,
          "mm_compliant": mm_compliant, "registry_consistent": conserved,
          "statements": len(statements), "settlement_fails": fails, "settlement_balanced": balanced,
          "day_seconds": int(day_seconds), "ok": ok}
if result_path:
    with open(result_path, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)
if not ok:
    print("demo: FAILED: " + ("fewer than five categories traded" if len(traded) < 5 else "settlement not balanced"))
sys.exit(0 if ok else 1)
EOF
