#include <algorithm>

#include "engine/auction/auction_types.h"

namespace ccx {

Band ComputeBand(Price base, int band_percent, Price tick, Price abs_floor, Price abs_ceiling) {
  const int64_t w = static_cast<int64_t>(base) * band_percent / 100;
  int64_t lower = std::max<int64_t>(static_cast<int64_t>(base) - w, tick);
  int64_t upper = static_cast<int64_t>(base) + w;
  if (abs_floor > 0) lower = std::max<int64_t>(lower, abs_floor);
  if (abs_ceiling > 0) upper = std::min<int64_t>(upper, abs_ceiling);
  // Round inwards to the tick grid.
  lower = (lower + tick - 1) / tick * tick;
  upper = upper / tick * tick;
  if (upper < lower) upper = lower;  // degenerate configuration: a one-tick band
  return Band{static_cast<Price>(lower), static_cast<Price>(upper)};
}

}  // namespace ccx
