// Shared helpers of the settlement tests: the shipped market, ledger operations and trade
// events built in one line each.
#pragma once

#include <string>
#include <vector>

#include "engine/config/market_config.h"
#include "engine/market/events.h"
#include "engine/market/schedule.h"
#include "settlement/ledger_op.h"
#include "settlement/registry.h"

namespace ccx::settlement::testing {

inline std::string ShippedConfig() { return std::string(CCX_SOURCE_ROOT) + "/config/market.toml"; }

inline const MarketConfig& Market() {
  static const MarketConfig m = [] {
    auto c = LoadMarketConfig(ShippedConfig());
    if (!c.ok()) throw std::runtime_error(std::string(c.status().message()));
    return *c;
  }();
  return m;
}

inline std::vector<std::string> Users(int n) {
  std::vector<std::string> u;
  for (int i = 1; i <= n; ++i) u.push_back((i < 10 ? "PART0" : "PART") + std::to_string(i));
  return u;
}

inline CategoryId Cat(const std::string& code) {
  return static_cast<CategoryId>(Market().FindCategory(code));
}

inline LedgerOp DepositCredits(ParticipantId p, const std::string& cat, int64_t qty,
                               const std::string& project, uint64_t first, int32_t vintage = 2024) {
  LedgerOp op;
  op.type = LedgerOpType::kDepositCredits;
  op.participant = p;
  op.category = Cat(cat);
  op.quantity = qty;
  op.first_serial = first;
  op.last_serial = first + static_cast<uint64_t>(qty) - 1;
  op.vintage = vintage;
  SetField(op.program, Market().categories[op.category].program);
  SetField(op.project, project);
  SetField(op.actor, "test");
  return op;
}

inline LedgerOp Cash(LedgerOpType type, ParticipantId p, int64_t yen) {
  LedgerOp op;
  op.type = type;
  op.participant = p;
  op.amount_yen = yen;
  SetField(op.actor, "test");
  return op;
}

/// Withdraw or retire `qty` of `cat` (oldest first, or serials [first, last] of `project`).
inline LedgerOp Take(LedgerOpType type, ParticipantId p, const std::string& cat, int64_t qty,
                     const std::string& project = "", uint64_t first = 0) {
  LedgerOp op;
  op.type = type;
  op.participant = p;
  op.category = Cat(cat);
  op.quantity = qty;
  if (first != 0) {
    op.first_serial = first;
    op.last_serial = first + static_cast<uint64_t>(qty) - 1;
    SetField(op.project, project);
  }
  SetField(op.actor, "test");
  if (type == LedgerOpType::kRetire) SetField(op.reason, "offsetting FY2025 emissions");
  return op;
}

/// Local time `hh:mm` of `day` in Tokyo.
inline Timestamp At(absl::CivilDay day, int hh, int mm = 0) {
  return LocalToTimestamp(day, hh * 60 + mm, 540);
}

/// An engine kTrade event.
inline Event TradeEvent(absl::CivilDay day, ParticipantId buyer, ParticipantId seller,
                        const std::string& cat, Qty qty, Price price, MatchNumber match) {
  Event e;
  e.type = EventType::kTrade;
  e.time = At(day, 15);
  e.category = Cat(cat);
  e.participant = buyer;
  e.participant2 = seller;
  e.qty = qty;
  e.price = price;
  e.match = match;
  e.match2 = match + 1;
  e.ref = match * 10;
  e.ref2 = match * 10 + 1;
  return e;
}

}  // namespace ccx::settlement::testing
