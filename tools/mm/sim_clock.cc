#include "tools/mm/sim_clock.h"

#include <algorithm>
#include <vector>

namespace ccx::bots {

SimClock::SimClock(double speed) : fixed_(speed > 0), speed_(speed > 0 ? speed : 1.0) {}

void SimClock::Observe(uint64_t ts_ns, std::chrono::steady_clock::time_point real) {
  if (ts_ns == 0) return;
  if (!known_ || ts_ns + 3'600'000'000'000ULL < anchor_ts_) {
    // First sight, or an hour backwards: a new trading day.
    known_ = true;
    anchor_ts_ = sample_ts_ = ts_ns;
    anchor_real_ = sample_real_ = real;
    return;
  }
  if (ts_ns <= anchor_ts_) return;  // older news
  anchor_ts_ = ts_ns;
  anchor_real_ = real;
  if (fixed_) return;
  const double dreal = std::chrono::duration<double>(real - sample_real_).count();
  if (dreal < 0.25) return;
  rates_.push_back(static_cast<double>(ts_ns - sample_ts_) / 1e9 / dreal);
  if (rates_.size() > 5) rates_.pop_front();
  sample_ts_ = ts_ns;
  sample_real_ = real;
  std::vector<double> sorted(rates_.begin(), rates_.end());
  std::sort(sorted.begin(), sorted.end());
  speed_ = sorted[sorted.size() / 2];
}

uint64_t SimClock::Now(std::chrono::steady_clock::time_point real) const {
  if (!known_) return 0;
  const double dreal = std::chrono::duration<double>(real - anchor_real_).count();
  return anchor_ts_ + static_cast<uint64_t>(std::max(0.0, dreal) * speed_ * 1e9);
}

}  // namespace ccx::bots
