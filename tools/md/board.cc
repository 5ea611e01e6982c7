#include "tools/md/board.h"

#include <algorithm>
#include <iterator>

#include "fmt/format.h"
#include "marketdata/subscriber/message_text.h"

namespace ccx::mdtool {
namespace {

using nlohmann::json;

const char* StateName(char s) {
  switch (s) {
    case 'T': return "accepting orders";
    case 'Q': return "closed";
    case 'H': return "halted";
  }
  return "no trading action yet";
}

json Yen(uint32_t wire) {
  if (wire % itch::kPriceScale == 0) return json(wire / itch::kPriceScale);
  return json(static_cast<double>(wire) / itch::kPriceScale);
}

}  // namespace

std::string BoardText(const md::ItchBook& book, size_t index, int depth) {
  const md::CategoryState& c = book.category(index);
  std::string out;
  auto put = std::back_inserter(out);
  fmt::format_to(put, "{}  {}  (feed time {})\n", c.code, StateName(c.trading_state()),
                 md::FormatItchTime(book.last_timestamp()));
  if (c.noii) {
    const itch::Noii& n = *c.noii;
    if (n.reference_price == 0) {
      fmt::format_to(put, "indicative: no crossing");
    } else {
      fmt::format_to(put, "indicative: {} JPY x {} t", md::FormatYen(n.reference_price), n.paired_shares);
    }
    if (n.imbalance_shares > 0) {
      fmt::format_to(put, ", {} surplus {}", n.imbalance_direction == 'B' ? "buy" : "sell",
                     n.imbalance_shares);
    }
    fmt::format_to(put, "   base {} JPY   next auction {}\n", md::FormatYen(n.far_price),
                   n.cross_type == 'C' ? "closing (15:00)" : "11:30");
  } else {
    out += "indicative: (no NOII yet)\n";
  }
  const auto bids = book.Levels(index, 'B');
  const auto asks = book.Levels(index, 'S');
  const size_t n = static_cast<size_t>(std::max(depth, 0));
  fmt::format_to(put, "{:>18} | {:^11} | {:<18}\n", "BUY t (orders)", "PRICE", "SELL t (orders)");
  // Sells above the line, highest shown first; buys below, highest first.
  const size_t na = std::min(n, asks.size());
  for (size_t i = na; i-- > 0;) {
    fmt::format_to(put, "{:>18} | {:^11} | {:<18}\n", "", md::FormatYen(asks[i].price),
                   fmt::format("{} ({})", asks[i].shares, asks[i].orders));
  }
  fmt::format_to(put, "{:-^53}\n", "");
  for (size_t i = 0; i < std::min(n, bids.size()); ++i) {
    fmt::format_to(put, "{:>18} | {:^11} | {:<18}\n",
                   fmt::format("{} ({})", bids[i].shares, bids[i].orders),
                   md::FormatYen(bids[i].price), "");
  }
  fmt::format_to(put, "orders {}  levels {} buy / {} sell\n", c.order_count, bids.size(), asks.size());
  for (const itch::CrossTrade& q : c.crosses) {
    if (q.shares == 0) {
      fmt::format_to(put, "auction {}: no execution\n", q.cross_type == 'C' ? "15:00" : "11:30");
    } else {
      fmt::format_to(put, "auction {}: {} JPY x {} t\n", q.cross_type == 'C' ? "15:00" : "11:30",
                     md::FormatYen(q.cross_price), q.shares);
    }
  }
  return out;
}

json BoardJson(const md::ItchBook& book, size_t index, int depth) {
  const md::CategoryState& c = book.category(index);
  json j;
  j["stock"] = c.code;
  j["time"] = md::FormatItchTime(book.last_timestamp());
  j["state"] = std::string(1, c.trading_state());
  if (c.noii) {
    j["indicative_price"] = c.noii->reference_price == 0 ? json(nullptr) : Yen(c.noii->reference_price);
    j["indicative_volume"] = c.noii->paired_shares;
    j["surplus"] = c.noii->imbalance_shares;
    j["surplus_side"] = std::string(1, c.noii->imbalance_direction);
    j["base_price"] = Yen(c.noii->far_price);
    j["cross_type"] = std::string(1, c.noii->cross_type);
  }
  for (const char side : {'B', 'S'}) {
    json levels = json::array();
    const auto all = book.Levels(index, side);
    for (size_t i = 0; i < all.size() && i < static_cast<size_t>(std::max(depth, 0)); ++i) {
      levels.push_back({{"price", Yen(all[i].price)}, {"shares", all[i].shares}, {"orders", all[i].orders}});
    }
    j[side == 'B' ? "bids" : "asks"] = std::move(levels);
  }
  json auctions = json::array();
  for (const itch::CrossTrade& q : c.crosses) {
    auctions.push_back({{"cross_type", std::string(1, q.cross_type)},
                        {"price", q.shares == 0 ? json(nullptr) : Yen(q.cross_price)},
                        {"volume", q.shares}});
  }
  j["auctions"] = std::move(auctions);
  return j;
}

}  // namespace ccx::mdtool
