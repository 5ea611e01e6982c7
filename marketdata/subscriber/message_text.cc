#include "marketdata/subscriber/message_text.h"

#include "fmt/format.h"
#include "marketdata/book/itch_book.h"

namespace ccx::md {
namespace {

using nlohmann::json;

std::string Stock(const itch::Stock& s) { return std::string(itch::StockView(s)); }

json YenJson(uint32_t wire) {
  if (wire % itch::kPriceScale == 0) return json(wire / itch::kPriceScale);
  return json(static_cast<double>(wire) / itch::kPriceScale);
}

const char* SystemEventText(char code) {
  switch (code) {
    case 'O': return "start of messages";
    case 'S': return "start of system hours";
    case 'Q': return "start of market hours";
    case 'M': return "end of market hours";
    case 'E': return "end of system hours";
    case 'C': return "end of messages";
  }
  return "unknown";
}

const char* StateText(char state) {
  switch (state) {
    case 'T': return "accepting";
    case 'Q': return "closed";
    case 'H': return "halted";
  }
  return "unknown";
}

const char* SideText(char side) { return side == 'B' ? "buy" : side == 'S' ? "sell" : "?"; }

std::string Text(const itch::SystemEvent& m) {
  return fmt::format("S {} ({})", m.event_code, SystemEventText(m.event_code));
}
std::string Text(const itch::StockDirectory& m) {
  return fmt::format("R {} locate {} round lot {}", Stock(m.stock), m.header.stock_locate,
                     m.round_lot_size);
}
std::string Text(const itch::TradingAction& m) {
  return fmt::format("H {} {} {} ({})", Stock(m.stock), m.trading_state,
                     StateText(m.trading_state), wire::AlphaView(m.reason));
}
std::string Text(const itch::AddOrder& m) {
  return fmt::format("A {} ref {} {} {} @ {}", Stock(m.stock), m.order_ref, SideText(m.side),
                     m.shares, FormatYen(m.price));
}
std::string Text(const itch::OrderCancel& m) {
  return fmt::format("X ref {} cancelled {}", m.order_ref, m.cancelled_shares);
}
std::string Text(const itch::OrderDelete& m) { return fmt::format("D ref {}", m.order_ref); }
std::string Text(const itch::OrderReplace& m) {
  return fmt::format("U ref {} -> {} {} @ {}", m.original_ref, m.new_ref, m.shares,
                     FormatYen(m.price));
}
std::string Text(const itch::OrderExecuted& m) {
  return fmt::format("E ref {} executed {} match {}", m.order_ref, m.executed_shares,
                     m.match_number);
}
std::string Text(const itch::CrossTrade& m) {
  if (m.shares == 0) return fmt::format("Q {} cross {} no execution", Stock(m.stock), m.cross_type);
  return fmt::format("Q {} cross {} {} @ {} match {}", Stock(m.stock), m.cross_type, m.shares,
                     FormatYen(m.cross_price), m.match_number);
}
std::string Text(const itch::Noii& m) {
  const std::string indicative =
      m.reference_price == 0 ? std::string("no crossing")
                             : fmt::format("{} x {}", FormatYen(m.reference_price), m.paired_shares);
  return fmt::format("I {} indicative {} imbalance {} {} base {} cross {}", Stock(m.stock),
                     indicative, m.imbalance_shares, m.imbalance_direction, FormatYen(m.far_price),
                     m.cross_type);
}

void Fields(const itch::SystemEvent& m, json& j) { j["event"] = std::string(1, m.event_code); }
void Fields(const itch::StockDirectory& m, json& j) {
  j["stock"] = Stock(m.stock);
  j["round_lot"] = m.round_lot_size;
  j["market_category"] = std::string(1, m.market_category);
}
void Fields(const itch::TradingAction& m, json& j) {
  j["stock"] = Stock(m.stock);
  j["state"] = std::string(1, m.trading_state);
  j["reason"] = std::string(wire::AlphaView(m.reason));
}
void Fields(const itch::AddOrder& m, json& j) {
  j["stock"] = Stock(m.stock);
  j["ref"] = m.order_ref;
  j["side"] = std::string(1, m.side);
  j["shares"] = m.shares;
  j["price"] = YenJson(m.price);
}
void Fields(const itch::OrderCancel& m, json& j) {
  j["ref"] = m.order_ref;
  j["cancelled"] = m.cancelled_shares;
}
void Fields(const itch::OrderDelete& m, json& j) { j["ref"] = m.order_ref; }
void Fields(const itch::OrderReplace& m, json& j) {
  j["ref"] = m.original_ref;
  j["new_ref"] = m.new_ref;
  j["shares"] = m.shares;
  j["price"] = YenJson(m.price);
}
void Fields(const itch::OrderExecuted& m, json& j) {
  j["ref"] = m.order_ref;
  j["executed"] = m.executed_shares;
  j["match"] = m.match_number;
}
void Fields(const itch::CrossTrade& m, json& j) {
  j["stock"] = Stock(m.stock);
  j["cross_type"] = std::string(1, m.cross_type);
  j["shares"] = m.shares;
  j["price"] = m.shares == 0 ? json(nullptr) : YenJson(m.cross_price);
  j["match"] = m.match_number;
}
void Fields(const itch::Noii& m, json& j) {
  j["stock"] = Stock(m.stock);
  j["paired"] = m.paired_shares;
  j["imbalance"] = m.imbalance_shares;
  j["direction"] = std::string(1, m.imbalance_direction);
  j["indicative_price"] = m.reference_price == 0 ? json(nullptr) : YenJson(m.reference_price);
  j["base_price"] = YenJson(m.far_price);
  j["near_price"] = YenJson(m.near_price);
  j["cross_type"] = std::string(1, m.cross_type);
}

}  // namespace

std::string FormatItchTime(uint64_t t) {
  const uint64_t s = t / 1'000'000'000;
  return fmt::format("{:02}:{:02}:{:02}.{:09}", s / 3600, s / 60 % 60, s % 60, t % 1'000'000'000);
}

std::string GroupThousands(uint64_t value) {
  const std::string digits = fmt::format("{}", value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string FormatYen(uint32_t wire) {
  const std::string out = GroupThousands(wire / itch::kPriceScale);
  const std::string exact = FormatWirePrice(wire);
  const size_t dot = exact.find('.');
  return dot == std::string::npos ? out : out + exact.substr(dot);
}

std::string DescribeMessage(const itch::Message& message) {
  return std::visit([](const auto& m) { return Text(m); }, message);
}

json MessageJson(const itch::Message& message) {
  return std::visit(
      [](const auto& m) {
        json j;
        j["type"] = std::string(1, std::decay_t<decltype(m)>::kType);
        j["time"] = FormatItchTime(m.header.timestamp);
        j["locate"] = m.header.stock_locate;
        Fields(m, j);
        return j;
      },
      message);
}

}  // namespace ccx::md
