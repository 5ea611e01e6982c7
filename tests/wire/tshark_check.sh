#!/usr/bin/env bash
# Cross-checks the ccx_wire codecs against Wireshark's dissectors: builds a tiny generator
# against gateway/protocol and marketdata/protocol, writes a pcap of a SoupBinTCP/OUCH
# exchange (with one packet split across TCP segments and three in one segment) and
# MoldUDP64/ITCH packets, and compares what tshark decodes with what was encoded.
# Wireshark 4.0's nasdaq_itch dissector only knows ITCH 2/3/4.1, so ITCH 5.0 message
# bodies are checked by a struct-based decoder here, on the message blocks that tshark's
# moldudp64 dissector cut out. Prints "skipped" and exits 0 when tshark is missing.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CXX="${CXX:-g++}"
for tool in tshark python3 "$CXX"; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "tshark_check: skipped ($tool not found)"
    exit 0
  fi
done
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cat > "$WORK/gen.cc" <<'EOF'
// Prints the bytes of a session as hex lines: "c2s HEX", "s2c HEX" (TCP), "udp HEX", "req HEX".
#include <cstdio>
#include <span>

#include "gateway/protocol/ouch.h"
#include "gateway/protocol/soupbin.h"
#include "marketdata/protocol/itch.h"
#include "marketdata/protocol/moldudp64.h"

using namespace ccx;

static void Emit(const char* dir, std::span<const uint8_t> b) {
  std::printf("%s ", dir);
  for (uint8_t c : b) std::printf("%02x", c);
  std::printf("\n");
}

template <typename M>
static void Ouch(const char* dir, const M& m) {
  uint8_t buf[128];
  const size_t n = ouch::Encode(m, buf + soup::kHeaderSize);
  soup::EncodeHeader(dir[0] == 'c' ? soup::PacketType::kUnsequencedData
                                   : soup::PacketType::kSequencedData, n, buf);
  Emit(dir, std::span(buf, soup::kHeaderSize + n));
}

int main() {
  uint8_t buf[256];
  Emit("c2s", std::span(buf, soup::EncodeLoginRequest({"alice", "secret", "20250401", 1}, buf)));
  Emit("s2c", std::span(buf, soup::EncodeLoginAccepted({"20250401", 1}, buf)));
  ouch::EnterOrder o;
  o.token = ouch::MakeToken("TOK-0001");
  o.side = 'B';
  o.shares = 100;
  o.stock = ouch::MakeStock("JCR");
  o.price = 16550000;
  o.tif = 99999;
  o.firm = ouch::MakeFirm("FRM1");
  o.display = 'Y';
  o.capacity = 'A';
  o.intermarket_sweep = 'N';
  o.cross_type = 'N';
  o.customer_type = 'R';
  Ouch("c2s", o);
  ouch::Accepted a;
  a.timestamp = 34200123456789;
  a.token = o.token;
  a.shares = 100;
  a.stock = o.stock;
  a.price = 16550000;
  a.tif = 99999;
  a.firm = o.firm;
  a.display = 'Y';
  a.order_ref = 4242;
  a.capacity = 'A';
  a.intermarket_sweep = 'N';
  a.cross_type = 'N';
  Ouch("s2c", a);
  Ouch("c2s", ouch::ReplaceOrder{o.token, ouch::MakeToken("TOK-0002"), 200, 16560000, 0, 'Y',
                                 'N', 0});
  ouch::Replaced u;
  u.timestamp = 34200200000000;
  u.replacement_token = ouch::MakeToken("TOK-0002");
  u.shares = 200;
  u.stock = o.stock;
  u.price = 16560000;
  u.order_ref = 4243;
  u.previous_token = o.token;
  Ouch("s2c", u);
  Ouch("c2s", ouch::CancelOrder{ouch::MakeToken("TOK-0002"), 50});
  Ouch("s2c", ouch::Canceled{34200300000000, ouch::MakeToken("TOK-0002"), 150, 'U'});
  Ouch("s2c", ouch::Executed{41400000000000, ouch::MakeToken("TOK-0002"), 50, 16550000, 'I', 77});
  Ouch("s2c", ouch::Rejected{34200400000000, ouch::MakeToken("TOK-0003"), 'X'});
  Ouch("s2c", ouch::CancelReject{34200500000000, ouch::MakeToken("TOK-0009")});
  Ouch("s2c", ouch::SystemEvent{54000000000001, 'E'});
  Emit("c2s", std::span(buf, soup::EncodeClientHeartbeat(buf)));
  Emit("s2c", std::span(buf, soup::EncodeServerHeartbeat(buf)));
  Emit("s2c", std::span(buf, soup::EncodeDebug("bye", buf)));
  Emit("c2s", std::span(buf, soup::EncodeLogoutRequest(buf)));
  Emit("s2c", std::span(buf, soup::EncodeEndOfSession(buf)));

  uint8_t pkt[mold::kMaxUdpPayload];
  mold::PacketBuilder b(pkt);
  const mold::Session session = mold::MakeSession("20250401");
  b.Start(session, 1);
  const itch::Header h{1, 0, 34200000000000};
  const itch::Stock s = itch::MakeStock("JCR");
  const itch::Message msgs[] = {
      itch::SystemEvent{{0, 0, 30000000000000}, 'O'},
      itch::StockDirectory{h, s, 'N', 'N', 100, 'N', 'Z', {'Z', 'Z'}, 'P', 'N', 'N', ' ', 'N', 0,
                           'N'},
      itch::TradingAction{h, s, 'T', ' ', {' ', ' ', ' ', ' '}},
      itch::AddOrder{h, 4242, 'B', 100, s, 16550000},
      itch::OrderCancel{h, 4242, 10},
      itch::OrderReplace{h, 4242, 4243, 200, 16560000},
      itch::OrderExecuted{h, 4243, 50, 77},
      itch::OrderDelete{h, 4243},
      itch::CrossTrade{h, 50, s, 16550000, 77, 'I'},
      itch::Noii{h, 300, 20, 'B', s, 16500000, 16400000, 16550000, 'I', ' '},
  };
  for (const auto& m : msgs) {
    itch::Encode(m, b.Append(std::visit([](const auto& x) { return x.kSize; }, m)));
  }
  Emit("udp", b.packet());
  Emit("udp", std::span(pkt, mold::EncodeHeartbeat(session, 11, pkt)));
  Emit("udp", std::span(pkt, mold::EncodeEndOfSession(session, 11, pkt)));
  Emit("req", std::span(pkt, mold::EncodeRequest({session, 3, 2}, pkt)));
  return 0;
}
EOF
"$CXX" -std=c++20 -O1 -I"$ROOT" "$WORK/gen.cc" "$ROOT"/gateway/protocol/*.cc \
  "$ROOT"/marketdata/protocol/*.cc -lfmt -o "$WORK/gen"
"$WORK/gen" > "$WORK/bytes.txt"

python3 - "$WORK/bytes.txt" "$WORK/wire.pcap" <<'EOF'
import struct, sys

def csum(b):
    if len(b) % 2: b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff

def ip(src, dst, proto, payload):
    h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), 0, 0x4000, 64, proto, 0,
                    bytes(map(int, src.split('.'))), bytes(map(int, dst.split('.'))))
    return h[:10] + struct.pack('!H', csum(h)) + h[12:] + payload

def eth(payload, mcast=False):
    dst = bytes.fromhex('01005e7f2a01' if mcast else '020000000002')
    return dst + bytes.fromhex('020000000001') + b'\x08\x00' + payload

frames, seq = [], {'c': 1000, 's': 5000}
C, S = '10.0.0.1', '10.0.0.2'

def tcp(side, data, flags=0x18):
    sp, dp, src, dst, other = ((50000, 26400, C, S, 's') if side == 'c'
                               else (26400, 50000, S, C, 'c'))
    hdr = struct.pack('!HHIIBBHHH', sp, dp, seq[side], seq[other], 5 << 4, flags, 65535, 0, 0)
    frames.append(eth(ip(src, dst, 6, hdr + data)))
    seq[side] += len(data) + (1 if flags & 0x02 else 0)

def udp(src, dst, sp, dp, data, mcast=False):
    frames.append(eth(ip(src, dst, 17, struct.pack('!HHHH', sp, dp, 8 + len(data), 0) + data),
                      mcast))

tcp('c', b'', 0x02); tcp('s', b'', 0x12); tcp('c', b'', 0x10)
items = [(d, bytes.fromhex(h)) for d, h in (l.split() for l in open(sys.argv[1]))]
i = 0
while i < len(items):
    d, b = items[i]
    if d == 'c2s':
        tcp('c', b)
    elif d == 's2c' and b[2:4] == b'SA':  # the accepted message split over two segments
        tcp('s', b[:10]); tcp('s', b[10:])
    elif d == 's2c' and b[2:4] == b'SC':  # canceled, executed, rejected in one segment
        while items[i + 1][1][2:4] in (b'SE', b'SJ'):
            i += 1; b += items[i][1]
        tcp('s', b)
    elif d == 's2c':
        tcp('s', b)
    elif d == 'udp':
        udp(S, '239.255.42.1', 40000, 30001, b, mcast=True)
    elif d == 'req':
        udp(C, S, 40001, 30002, b)
    i += 1
with open(sys.argv[2], 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for n, fr in enumerate(frames):
        f.write(struct.pack('<IIII', 1700000000 + n, 0, len(fr), len(fr)) + fr)
EOF

TS=(tshark -r "$WORK/wire.pcap" -d tcp.port==26400,soupbintcp -d udp.port==30001,moldudp64
    -d udp.port==30002,moldudp64)
FIELDS=(-T fields -E separator='|')
fail=0
check() {  # check NAME EXPECTED_FILE ACTUAL_FILE
  if diff -a -u "$2" "$3" > "$WORK/diff.txt"; then
    echo "tshark_check: $1 ok"
  else
    echo "tshark_check: $1 MISMATCH"; cat "$WORK/diff.txt"; fail=1
  fi
}

"${TS[@]}" -Y soupbintcp "${FIELDS[@]}" -e soupbintcp.packet_length -e soupbintcp.packet_type \
  -e soupbintcp.username -e soupbintcp.password -e soupbintcp.session -e soupbintcp.text \
  2>/dev/null > "$WORK/soup.txt"
cat > "$WORK/soup.want" <<'EOF'
47|'L'|alice |secret    |  20250401|
31|'A'|||  20250401|
50|'U'||||
67|'S'||||
48|'U'||||
81|'S'||||
20|'U'||||
29,41,25|'S','S','S'||||
24|'S'||||
11|'S'||||
1|'R'||||
1|'H'||||
4|'+'||||bye
1|'O'||||
1|'Z'||||
EOF
check "soupbintcp packets" "$WORK/soup.want" "$WORK/soup.txt"

"${TS[@]}" -V 2>/dev/null | grep -E "^\s+(Requested|Next) sequence number:" | sed 's/^ *//' \
  > "$WORK/seq.txt"
printf 'Requested sequence number: 1\nNext sequence number: 1\n' > "$WORK/seq.want"
check "soupbintcp login sequence numbers" "$WORK/seq.want" "$WORK/seq.txt"

"${TS[@]}" -Y ouch "${FIELDS[@]}" -e ouch.packet_type -e ouch.timestamp -e ouch.order_token \
  -e ouch.existing_order_token -e ouch.replacement_order_token -e ouch.previous_order_token \
  -e ouch.buy_sell_indicator -e ouch.shares -e ouch.stock -e ouch.price -e ouch.tif \
  -e ouch.firm -e ouch.order_reference_number -e ouch.order_state -e ouch.decrement_shares \
  -e ouch.cancel_reason -e ouch.executed_shares -e ouch.execution_price -e ouch.liquidity_flag \
  -e ouch.match_number -e ouch.reject_reason -e ouch.event_code 2>/dev/null > "$WORK/ouch.txt"
cat > "$WORK/ouch.want" <<'EOF'
'O'||TOK-0001      ||||'B'|100|JCR     |16550000|99999|FRM1||||||||||
'A'|9:30:00.123456789|TOK-0001      ||||'B'|100|JCR     |16550000|99999|FRM1|4242|'L'||||||||
'U'|||TOK-0001      |TOK-0002      |||200||16560000|0|||||||||||
'U'|9:30:00.200000000|||TOK-0002      |TOK-0001      |'B'|200|JCR     |16560000|0|    |4243|'L'||||||||
'X'||TOK-0002      |||||50||||||||||||||
'C','E','J'|9:30:00.300000000,11:30:00.000000000,9:30:00.400000000|TOK-0002      ,TOK-0002      ,TOK-0003      ||||||||||||150|'U'|50|16550000|'I'|77|'X'|
'I'|9:30:00.500000000|TOK-0009      |||||||||||||||||||
'S'|15:00:00.000000001||||||||||||||||||||'E'
EOF
check "ouch messages" "$WORK/ouch.want" "$WORK/ouch.txt"

"${TS[@]}" -Y moldudp64 "${FIELDS[@]}" -e moldudp64.session -e moldudp64.sequence \
  -e moldudp64.count -e moldudp64.msglen 2>/dev/null > "$WORK/mold.txt"
cat > "$WORK/mold.want" <<'EOF'
  20250401|1|10|12,39,25,36,23,35,31,19,40,50
  20250401|11|0|
  20250401|11|65535|
  20250401|3|2|
EOF
check "moldudp64 packets" "$WORK/mold.want" "$WORK/mold.txt"

"${TS[@]}" -Y "_ws.malformed || _ws.expert.severity >= 6291456" 2>/dev/null > "$WORK/bad.txt"
: > "$WORK/bad.want"
check "no malformed packets or expert warnings" "$WORK/bad.want" "$WORK/bad.txt"

# ITCH 5.0 bodies of the message blocks tshark cut out, against the Nasdaq layouts.
"${TS[@]}" -Y "moldudp64.count == 10" "${FIELDS[@]}" -e moldudp64.msgdata 2>/dev/null |
  python3 -c '
import struct, sys
F = {"S": ">cHH6sc", "R": ">cHH6s8sccIcc2scccccIc", "H": ">cHH6s8scc4s",
     "A": ">cHH6sQcI8sI", "X": ">cHH6sQI", "D": ">cHH6sQ", "U": ">cHH6sQQII",
     "E": ">cHH6sQIQ", "Q": ">cHH6sQ8sIQc", "I": ">cHH6sQQc8sIIIcc"}
for hexmsg in sys.stdin.read().strip().split(","):
    b = bytes.fromhex(hexmsg)
    t = chr(b[0])
    v = struct.unpack(F[t], b)
    ts = int.from_bytes(v[3], "big")
    rest = tuple(x.decode() if isinstance(x, bytes) else x for x in v[4:])
    print(t, v[1], v[2], ts, *rest, sep="|")
' > "$WORK/itch.txt"
cat > "$WORK/itch.want" <<'EOF'
S|0|0|30000000000000|O
R|1|0|34200000000000|JCR     |N|N|100|N|Z|ZZ|P|N|N| |N|0|N
H|1|0|34200000000000|JCR     |T| |    
A|1|0|34200000000000|4242|B|100|JCR     |16550000
X|1|0|34200000000000|4242|10
U|1|0|34200000000000|4242|4243|200|16560000
E|1|0|34200000000000|4243|50|77
D|1|0|34200000000000|4243
Q|1|0|34200000000000|50|JCR     |16550000|77|I
I|1|0|34200000000000|300|20|B|JCR     |16500000|16400000|16550000|I| 
EOF
check "itch 5.0 message bodies" "$WORK/itch.want" "$WORK/itch.txt"

exit "$fail"
