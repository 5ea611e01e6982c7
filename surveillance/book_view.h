// BookView: what one category's market looked like at a moment of a replay, as
// surveillance may see it — price levels, every resting order with its owner, the
// indicative auction price and volume, the base price and band, the phase.
#pragma once

#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "surveillance/order_history.h"
#include "surveillance/replayer.h"

namespace ccx::surveillance {

struct BookOrder {
  OrderRef ref = 0;
  ParticipantId participant = 0;
  std::string username;
  Side side = Side::kBuy;
  Price price = 0;
  Qty qty = 0;              ///< open quantity
  Tif tif = Tif::kDay;
  Timestamp entered = 0;    ///< 0 when unknown (no OrderHistory)
  std::string token;
};

struct BookLevel {
  Price price = 0;
  Volume buy_qty = 0;
  Volume sell_qty = 0;
  uint32_t buy_orders = 0;
  uint32_t sell_orders = 0;
};

struct BookView {
  CategoryId category = 0;
  std::string code;
  Timestamp as_of = 0;           ///< time of the last record applied (0 if none)
  uint64_t as_of_sequence = 0;   ///< its sequence number
  Phase phase = Phase::kClosed;
  bool halted = false;
  Price base_price = 0;
  Band band;
  Clearing indicative;
  std::vector<BookLevel> levels;  ///< highest price first
  std::vector<BookOrder> buys;    ///< price-time priority
  std::vector<BookOrder> sells;   ///< price-time priority
};

/// A snapshot of category `c` in the replayer's current state. `history` (optional)
/// supplies each order's entry time and token. O(orders of the category).
BookView SnapshotBook(const Replayer& replayer, CategoryId c, const OrderHistory* history,
                      uint64_t as_of_sequence);

/// "acceptance", "intermission", "closed", "not trading", "halted".
std::string_view PhaseName(Phase p);

/// A readable multi-line rendering (`offset_minutes`: local time of the market).
std::string FormatBookText(const BookView& view, int32_t offset_minutes);
/// The same as JSON (times as local "YYYY-MM-DDTHH:MM:SS.mmm" strings).
nlohmann::json BookToJson(const BookView& view, int32_t offset_minutes);
/// The indicative auction as JSON: {"price": P|null, "volume", "surplus", "side": "B"|"S"|"N"}.
nlohmann::json IndicativeToJson(const Clearing& c);

}  // namespace ccx::surveillance
