// The exchange's clock: wall time, or a simulated clock that starts at a given Tokyo time
// and runs at a given speed (simulated seconds per real second; 0 = frozen, moved only by
// the operator's `clock` command). Never goes backwards. Lives outside the engine, which
// only ever sees timestamps inside commands.
#pragma once

#include <chrono>
#include <ctime>

#include "engine/core/types.h"

namespace ccx {

class ExchangeClock {
 public:
  /// Wall-clock time (CLOCK_REALTIME), made monotonic.
  static ExchangeClock Wall() { return ExchangeClock(false, 0, 1.0); }
  /// Simulated time starting at `start`, advancing `speed` simulated seconds per second.
  static ExchangeClock Sim(Timestamp start, double speed) { return ExchangeClock(true, start, speed); }

  bool simulated() const { return sim_; }
  double speed() const { return speed_; }

  /// The current time; never less than any earlier answer.
  Timestamp Now() {
    Timestamp t;
    if (sim_) {
      const double real = static_cast<double>(Steady() - base_steady_);
      t = base_sim_ + static_cast<Timestamp>(real * speed_);
    } else {
      timespec ts;
      clock_gettime(CLOCK_REALTIME, &ts);
      t = static_cast<Timestamp>(ts.tv_sec) * kNanosPerSecond + ts.tv_nsec;
    }
    if (t < last_) t = last_;
    last_ = t;
    return t;
  }

  /// Simulated clock only: continue from `t` (ignored if it is in the past).
  void JumpTo(Timestamp t) {
    if (!sim_ || t <= Now()) return;
    base_sim_ = t;
    base_steady_ = Steady();
    last_ = t;
  }

 private:
  ExchangeClock(bool sim, Timestamp start, double speed)
      : sim_(sim), speed_(speed), base_sim_(start), base_steady_(Steady()) {}
  static Timestamp Steady() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }

  bool sim_;
  double speed_;
  Timestamp base_sim_;
  Timestamp base_steady_;
  Timestamp last_ = 0;
};

}  // namespace ccx
