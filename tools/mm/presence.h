// Presence: how long, in exchange time, a market maker's quote in one category met the
// obligations (MARKET_RULES §7) during each acceptance phase, as the bot itself sees it from
// its own orders: a buy and a sell resting at once, each at least the minimum size, spread
// at most the maximum. Also the time-weighted spread and size while two-sided.
//
// Times are exchange timestamps, ns since midnight of the trading date; updates may come
// slightly out of order from two channels (order entry and market data): a time earlier
// than the last one counts as the last one.
#pragma once

#include <cstdint>
#include <vector>

namespace ccx::bots {

struct PhaseRecord {
  uint64_t open_ns = 0;
  uint64_t close_ns = 0;        ///< 0 while the phase is open
  uint64_t compliant_ns = 0;    ///< time with a quote meeting the obligations
  uint64_t two_sided_ns = 0;    ///< time with both sides resting (any size or spread)
  double spread_yen_ns = 0;     ///< Σ spread × time while two-sided
  double size_ns = 0;           ///< Σ min(bid size, ask size) × time while two-sided
  int64_t worst_spread = 0;     ///< widest spread seen while two-sided (yen)

  uint64_t length(uint64_t now_ns) const { return (close_ns ? close_ns : now_ns) - open_ns; }
  /// Compliant share of the phase so far, 0..1.
  double compliant_fraction(uint64_t now_ns) const;
  double average_spread() const { return two_sided_ns ? spread_yen_ns / static_cast<double>(two_sided_ns) : 0; }
  double average_size() const { return two_sided_ns ? size_ns / static_cast<double>(two_sided_ns) : 0; }
};

/// What the quote looks like from some moment on.
struct QuoteState {
  bool two_sided = false;
  bool compliant = false;
  int64_t spread = 0;    ///< yen (two-sided only)
  uint32_t min_size = 0;  ///< smaller of the two sides' open shares (two-sided only)
};

class Presence {
 public:
  /// An acceptance phase opens at `ts` (a second Open closes the previous phase first).
  void Open(uint64_t ts);
  /// The open phase closes at `ts`; nothing is counted until the next Open.
  void Close(uint64_t ts);
  /// The quote is `state` from `ts` on.
  void Update(uint64_t ts, const QuoteState& state);
  bool open() const { return open_; }
  const std::vector<PhaseRecord>& phases() const { return phases_; }
  /// Latest time seen.
  uint64_t now() const { return last_; }

 private:
  void Advance(uint64_t ts);
  std::vector<PhaseRecord> phases_;
  QuoteState state_;
  uint64_t last_ = 0;
  bool open_ = false;
};

}  // namespace ccx::bots
