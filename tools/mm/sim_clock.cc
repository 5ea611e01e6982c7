#include "tools/mm/sim_clock.h"

namespace ccx::bots {

SimClock::SimClock(double speed) : fixed_(speed > 0), speed_(speed > 0 ? speed : 1.0) {}

void SimClock::Observe(uint64_t ts_ns, std::chrono::steady_clock::time_point real) {
  if (!known_ || ts_ns < anchor_ts_ - std::min<uint64_t>(anchor_ts_, 3'600'000'000'000ULL)) {
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
  const double inst = static_cast<double>(ts_ns - sample_ts_) / 1e9 / dreal;
  sample_ts_ = ts_ns;
  sample_real_ = real;
  if (!estimated_) {
    speed_ = inst;
    estimated_ = true;
  } else if (inst < 10 * speed_) {  // faster than that: a jump of the clock, not its speed
    speed_ = 0.7 * speed_ + 0.3 * inst;
  }
}

uint64_t SimClock::Now(std::chrono::steady_clock::time_point real) const {
  if (!known_) return 0;
  const double dreal = std::chrono::duration<double>(real - anchor_real_).count();
  return anchor_ts_ + static_cast<uint64_t>(std::max(0.0, dreal) * speed_ * 1e9);
}

}  // namespace ccx::bots
