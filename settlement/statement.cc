// Statement rendering with fmt into memory buffers (a day of 100,000 trades gives 200,000
// trade lines: a DOM library would cost more than the settlement itself).
#include "settlement/statement.h"

#include <iterator>

#include "engine/calendar/calendar.h"
#include "engine/market/schedule.h"
#include "fmt/format.h"

namespace ccx::settlement {

const char kStatementCsvHeader[] =
    "record,date,category,side,quantity,price,amount_yen,match,order_ref,program,project,"
    "vintage,first_serial,last_serial,note\n";

std::string JsonString(std::string_view text) {
  std::string out = "\"";
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      out += fmt::format("\\u{:04x}", c);
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

namespace {

std::string CsvField(std::string_view text) {
  if (text.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char ch : text) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

void RenderOne(const SettlementReport& r, const ParticipantSettlement& ps,
               const std::vector<uint32_t>& trades, const std::vector<uint32_t>& moves,
               const StatementNames& names, Statement* out) {
  const ParticipantId me = ps.participant;
  const std::string date = FormatIsoDate(r.date);
  fmt::memory_buffer j, c;
  auto J = std::back_inserter(j);
  auto C = std::back_inserter(c);
  fmt::format_to(C, "{}", kStatementCsvHeader);
  fmt::format_to(J, "{{\"participant\":{},\"settlement_date\":\"{}\",\"settled_at\":\"{}\",",
                 JsonString(names.usernames[me]), date,
                 FormatLocalDateTime(r.time, names.utc_offset_minutes));
  fmt::format_to(J, "\"trade_dates\":[");
  for (size_t i = 0; i < r.trade_dates.size(); ++i) {
    fmt::format_to(J, "{}\"{}\"", i ? "," : "", FormatIsoDate(r.trade_dates[i]));
  }
  fmt::format_to(J, "],\n\"credits\":[");
  for (size_t i = 0; i < ps.categories.size(); ++i) {
    const CategoryNet& n = ps.categories[i];
    const std::string& code = names.categories[n.category];
    fmt::format_to(J,
                   "{}{{\"category\":{},\"bought\":{},\"sold\":{},\"net\":{},\"received\":{},"
                   "\"delivered\":{}}}",
                   i ? "," : "", JsonString(code), n.bought, n.sold, n.bought - n.sold,
                   n.received, n.delivered);
    const bool in = n.bought >= n.sold;
    fmt::format_to(C, "credits,{},{},{},{},,,,,,,,,,bought {} sold {}\n", date, CsvField(code),
                   n.bought == n.sold ? "flat" : in ? "receive" : "deliver",
                   in ? n.received : n.delivered, n.bought, n.sold);
  }
  const int64_t net = ps.sales_yen - ps.purchases_yen;
  fmt::format_to(J,
                 "],\n\"cash\":{{\"purchases\":{},\"sales\":{},\"net\":{},\"paid\":{},"
                 "\"received\":{},\"balance_after\":{}}},\n",
                 ps.purchases_yen, ps.sales_yen, net, ps.paid_yen, ps.received_yen,
                 ps.balance_after);
  fmt::format_to(C, "cash,{},,{},,,{},,,,,,,,paid {} received {} balance after {}\n", date,
                 net > 0 ? "receive" : net < 0 ? "pay" : "flat", net, ps.paid_yen,
                 ps.received_yen, ps.balance_after);
  fmt::format_to(J, "\"blocks\":[");
  bool first = true;
  for (uint32_t mi : moves) {
    const BlockMove& m = r.moves[mi];
    const bool received = m.to == me;
    const std::string& code = names.categories[m.category];
    fmt::format_to(J,
                   "{}\n{{\"direction\":\"{}\",\"category\":{},\"program\":{},\"project\":{},"
                   "\"vintage\":{},\"first\":\"{}\",\"last\":\"{}\",\"quantity\":{}}}",
                   first ? "" : ",", received ? "received" : "delivered", JsonString(code),
                   JsonString(m.program), JsonString(m.project), m.vintage, m.first, m.last,
                   m.quantity());
    fmt::format_to(C, "block,{},{},{},{},,,,,{},{},{},{},{},\n", date, CsvField(code),
                   received ? "received" : "delivered", m.quantity(), CsvField(m.program),
                   CsvField(m.project), m.vintage, m.first, m.last);
    first = false;
  }
  fmt::format_to(J, "],\n\"fails\":[");
  first = true;
  for (const SettlementFail& f : r.fails) {
    if (f.participant != me) continue;
    const bool cash = f.category == SettlementFail::kNoCategoryId;
    const std::string code = cash ? "" : names.categories[f.category];
    fmt::format_to(J, "{}{{\"kind\":\"{}\",\"category\":{},\"shortfall\":{}}}", first ? "" : ",",
                   ToString(f.kind), cash ? "null" : JsonString(code), f.shortfall);
    fmt::format_to(C, "fail,{},{},,{},,{},,,,,,,,{}\n", date, CsvField(code),
                   cash ? 0 : f.shortfall, cash ? f.shortfall : 0, ToString(f.kind));
    first = false;
  }
  fmt::format_to(J, "],\n\"trades\":[");
  first = true;
  for (uint32_t ti : trades) {
    const TradeRecord& t = r.trades[ti];
    // A participant trading with itself appears on both sides: once per side.
    for (int side = 0; side < 2; ++side) {
      const bool buy = side == 0;
      if ((buy ? t.buyer : t.seller) != me) continue;
      const std::string td = FormatIsoDate(t.trade_date);
      const std::string& code = names.categories[t.category];
      const MatchNumber match = buy ? t.buy_match : t.sell_match;
      const OrderRef ref = buy ? t.buy_ref : t.sell_ref;
      fmt::format_to(J,
                     "{}\n{{\"trade_date\":\"{}\",\"category\":{},\"side\":\"{}\",\"quantity\":{},"
                     "\"price\":{},\"amount\":{},\"match\":{},\"order_ref\":{}}}",
                     first ? "" : ",", td, JsonString(code), buy ? "buy" : "sell", t.qty, t.price,
                     t.amount(), match, ref);
      fmt::format_to(C, "trade,{},{},{},{},{},{},{},{},,,,,,\n", td, CsvField(code),
                     buy ? "buy" : "sell", t.qty, t.price, t.amount(), match, ref);
      first = false;
    }
  }
  fmt::format_to(J, "]}}\n");
  out->participant = me;
  out->json.assign(j.data(), j.size());
  out->csv.assign(c.data(), c.size());
}

}  // namespace

std::string StatementRelativePath(absl::CivilDay date, const std::string& username) {
  return fmt::format("{}/{}", FormatIsoDate(date), username);
}

std::vector<Statement> RenderStatements(const SettlementReport& report,
                                        const StatementNames& names) {
  // Index trades and moves by participant once (O(trades + moves)).
  const size_t n = names.usernames.size();
  std::vector<std::vector<uint32_t>> trades(n), moves(n);
  for (uint32_t i = 0; i < report.trades.size(); ++i) {
    const TradeRecord& t = report.trades[i];
    trades[t.buyer].push_back(i);
    if (t.seller != t.buyer) trades[t.seller].push_back(i);
  }
  for (uint32_t i = 0; i < report.moves.size(); ++i) {
    const BlockMove& m = report.moves[i];
    moves[m.to].push_back(i);
    if (m.from != m.to) moves[m.from].push_back(i);
  }
  std::vector<Statement> out(report.participants.size());
  for (size_t i = 0; i < report.participants.size(); ++i) {
    const ParticipantId p = report.participants[i].participant;
    RenderOne(report, report.participants[i], trades[p], moves[p], names, &out[i]);
  }
  return out;
}

}  // namespace ccx::settlement
