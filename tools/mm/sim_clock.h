// SimClock: the exchange's time as a bot can know it between messages. Every timestamp
// received (ns since midnight of the trading date, from OUCH or ITCH) re-anchors it; in
// between it runs on at the exchange's speed: given (--sim-speed), or estimated from the
// timestamps seen against the monotonic clock as the median of the last five rates measured
// over at least 250 ms each (so one jump of the operator's `clock` command, or a burst of
// old messages caught up, is not taken for speed). Timestamp 0 (the start-of-day messages)
// says nothing about the time. Used to pace a bot's orders in simulated time.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>

namespace ccx::bots {

class SimClock {
 public:
  /// `speed`: simulated seconds per real second; 0 = estimate it (starting from 1).
  explicit SimClock(double speed = 0);

  /// A timestamp seen now.
  void Observe(uint64_t ts_ns) { Observe(ts_ns, std::chrono::steady_clock::now()); }
  void Observe(uint64_t ts_ns, std::chrono::steady_clock::time_point real);
  /// The estimated exchange time now (0 before any observation).
  uint64_t Now() const { return Now(std::chrono::steady_clock::now()); }
  uint64_t Now(std::chrono::steady_clock::time_point real) const;
  double speed() const { return speed_; }
  bool known() const { return known_; }

 private:
  bool fixed_;
  double speed_;
  bool known_ = false;
  std::deque<double> rates_;  // the last measured rates, oldest first
  uint64_t anchor_ts_ = 0;
  std::chrono::steady_clock::time_point anchor_real_{};
  // The sample the next speed estimate is measured from.
  uint64_t sample_ts_ = 0;
  std::chrono::steady_clock::time_point sample_real_{};
};

}  // namespace ccx::bots
