#include "tools/mm/presence.h"

#include <algorithm>

namespace ccx::bots {

double PhaseRecord::compliant_fraction(uint64_t now_ns) const {
  const uint64_t len = length(now_ns);
  return len ? static_cast<double>(compliant_ns) / static_cast<double>(len) : 0.0;
}

void Presence::Advance(uint64_t ts) {
  if (ts <= last_) return;
  if (open_ && !phases_.empty()) {
    PhaseRecord& p = phases_.back();
    const uint64_t dt = ts - last_;
    if (state_.compliant) p.compliant_ns += dt;
    if (state_.two_sided) {
      p.two_sided_ns += dt;
      p.spread_yen_ns += static_cast<double>(state_.spread) * static_cast<double>(dt);
      p.size_ns += static_cast<double>(state_.min_size) * static_cast<double>(dt);
    }
  }
  last_ = ts;
}

void Presence::Open(uint64_t ts) {
  if (open_) Close(ts);
  // A new day's timestamps start again from midnight.
  if (ts < last_) last_ = ts;
  Advance(ts);
  PhaseRecord p;
  p.open_ns = ts;
  if (state_.two_sided) p.worst_spread = state_.spread;
  phases_.push_back(p);
  open_ = true;
}

void Presence::Close(uint64_t ts) {
  if (!open_) return;
  Advance(ts);
  phases_.back().close_ns = std::max(last_, phases_.back().open_ns);
  open_ = false;
}

void Presence::Update(uint64_t ts, const QuoteState& state) {
  Advance(ts);
  state_ = state;
  if (open_ && state.two_sided) {
    phases_.back().worst_spread = std::max(phases_.back().worst_spread, state.spread);
  }
}

}  // namespace ccx::bots
