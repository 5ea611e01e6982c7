#include "tools/mm/quoter.h"

#include <algorithm>
#include <cmath>

namespace ccx::bots {

Band BandFor(const CategoryConfig& category, int64_t base) {
  return ComputeBand(static_cast<Price>(std::max<int64_t>(base, category.tick)),
                     category.band_percent, category.tick, category.floor, category.ceiling);
}

int64_t MaxSpread(const QuoteParams& params, int64_t base) {
  if (params.max_spread_yen > 0) return params.max_spread_yen;
  return static_cast<int64_t>(std::floor(static_cast<double>(base) * params.max_spread_pct / 100.0 + 1e-9));
}

int64_t FairValue(const MarketView& view, const QuoteParams& params) {
  const int64_t anchor = view.last_clearing > 0 ? view.last_clearing : view.base;
  if (view.indicative <= 0) return anchor;
  const double max_pull = params.fv_max_pull_pct / 100.0 * static_cast<double>(anchor);
  const double pull =
      std::clamp(static_cast<double>(view.indicative - anchor), -max_pull, max_pull);
  return anchor + static_cast<int64_t>(std::llround(params.fv_weight * pull));
}

Quote ComputeQuote(const MarketView& view, const QuoteParams& params, int64_t inventory,
                   int64_t cash_yen, int64_t credits) {
  Quote q;
  const int64_t tick = std::max<int64_t>(view.tick, 1);
  const double base = static_cast<double>(view.base);
  q.fair = FairValue(view, params);
  // Width on the tick grid, never above the obligation's maximum, at least one tick.
  int64_t width = static_cast<int64_t>(std::floor(params.spread_pct / 100.0 * base));
  width = std::min(width, MaxSpread(params, view.base)) / tick * tick;
  width = std::max(width, tick);
  const double half = static_cast<double>(width) / 2.0;
  const double ratio =
      params.max_position > 0
          ? std::clamp(static_cast<double>(inventory) / static_cast<double>(params.max_position), -1.0, 1.0)
          : 0.0;
  const double mid = static_cast<double>(q.fair) - params.skew * half * ratio;
  q.bid = static_cast<int64_t>(std::floor((mid - half) / static_cast<double>(tick))) * tick;
  q.ask = q.bid + width;
  // Inside the band: clamping only narrows the quote.
  const int64_t low = view.band.lower, high = view.band.upper;
  q.bid = std::clamp(q.bid, low, high);
  q.ask = std::clamp(q.ask, low, high);
  if (q.ask <= q.bid) {
    if (q.bid + tick <= high) {
      q.ask = q.bid + tick;
    } else {
      q.bid = q.ask - tick;
    }
  }
  q.bid_size = params.size;
  q.ask_size = params.size;
  if (params.max_position > 0 && inventory >= params.max_position) q.bid_size = 0;
  if (params.max_position > 0 && -inventory >= params.max_position) q.ask_size = 0;
  if (q.bid < low || q.bid <= 0) q.bid_size = 0;
  if (q.ask > high) q.ask_size = 0;
  if (q.bid_size > 0) {
    const int64_t affordable = q.bid > 0 ? std::max<int64_t>(cash_yen, 0) / q.bid : 0;
    q.bid_size = static_cast<uint32_t>(std::min<int64_t>(q.bid_size, affordable));
  }
  q.ask_size = static_cast<uint32_t>(std::min<int64_t>(q.ask_size, std::max<int64_t>(credits, 0)));
  return q;
}

bool NeedsReplace(int64_t price, uint32_t shares, int64_t want_price, uint32_t want_size,
                  int64_t threshold_yen, uint32_t min_size) {
  if (std::llabs(price - want_price) >= std::max<int64_t>(threshold_yen, 1)) return true;
  if (shares < std::min(want_size, min_size) || shares > want_size) return true;
  return 2 * static_cast<uint64_t>(shares) < want_size;
}

}  // namespace ccx::bots
