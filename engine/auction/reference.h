// The slow, obviously correct twin of Pricer + Allocator, used by randomized tests.
// It evaluates MARKET_RULES §5 literally at every price of the band and hands out the TSE
// allocation one unit at a time. Never used by the exchange itself.
#pragma once

#include <vector>

#include "engine/auction/auction_types.h"

namespace ccx {

/// An order as the reference sees it; `ref` gives arrival order (smaller = earlier).
struct RefOrder {
  OrderRef ref = 0;
  ParticipantId participant = 0;
  Side side = Side::kBuy;
  Price price = 0;
  Qty qty = 0;
};

struct RefOutcome {
  Clearing clearing;
  std::vector<Execution> executions;  ///< in allocation order (see allocator.h)
  std::vector<Trade> trades;
};

/// Price determination by brute force over every tick of `band`.
Clearing ReferencePrice(const std::vector<RefOrder>& orders, Price base, Band band, Price tick);

/// Price determination and allocation, numbering executions from `first_match`.
RefOutcome ReferenceAuction(const std::vector<RefOrder>& orders, Price base, Band band,
                            Price tick, AllocationRule rule, Qty unit, MatchNumber first_match);

}  // namespace ccx
