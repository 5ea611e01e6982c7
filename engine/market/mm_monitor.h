// MarketMakerMonitor: measures how the designated market makers meet their obligations
// (MARKET_RULES §7, CategoryConfig::mm_obligation) from the engine's events. Per maker,
// category and acceptance phase: the time the phase was open (not halted), the time the
// maker had a compliant two-sided quote (a buy and a sell each ≥ min size, ask − bid ≤
// the maximum spread at the current base price), and, over the time it quoted two-sided
// at all, the time-weighted average spread and size (the smaller side at the best prices)
// and the worst spread. Pure and deterministic like the engine: time comes from the events,
// so a journal replay measures exactly the same.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/civil_time.h"
#include "engine/market/engine.h"

namespace ccx {

/// One maker in one category in one acceptance phase.
struct MmPhaseResult {
  uint8_t session = 0;           ///< acceptance phase index of the day (0 = morning)
  int64_t open_ns = 0;           ///< time the phase was open and not halted
  int64_t present_ns = 0;        ///< time with a compliant two-sided quote
  int64_t two_sided_ns = 0;      ///< time with any two-sided quote
  double avg_spread = 0;         ///< yen, time-weighted over two_sided_ns (0 if none)
  Price worst_spread = 0;        ///< yen, the widest two-sided spread seen
  double avg_size = 0;           ///< t-CO2, the smaller side at the best prices
  Price max_spread = 0;          ///< the obligation's spread limit (yen) at the phase's base
  bool compliant = false;        ///< presence ≥ the obligation's minimum
  double presence_pct() const {
    return open_ns > 0 ? 100.0 * static_cast<double>(present_ns) / static_cast<double>(open_ns) : 0;
  }
};

struct MmMakerResult {
  ParticipantId maker = 0;
  CategoryId category = 0;
  std::vector<MmPhaseResult> phases;  ///< the phases of the day so far, in order
  bool compliant() const {
    for (const auto& p : phases) {
      if (!p.compliant) return false;
    }
    return !phases.empty();
  }
};

/// A day's compliance (the phases completed so far).
struct MmDayReport {
  absl::CivilDay day;
  std::vector<MmMakerResult> makers;  ///< by category, then maker
  /// {"date": ..., "makers": [{"participant", "category", "compliant", "obligation": {...},
  /// "phases": [{"phase", "session", "seconds", "present_seconds", "presence_pct",
  /// "avg_spread", "worst_spread", "avg_size", "compliant"}]}]}
  std::string Json(const MarketConfig& config, const std::vector<std::string>& usernames) const;
  /// An HTML section (a table) for the daily report page.
  std::string Html(const MarketConfig& config, const std::vector<std::string>& usernames) const;
};

class MarketMakerMonitor {
 public:
  /// `makers[c]` are the designated makers of category c (ParticipantIds).
  MarketMakerMonitor(const MarketConfig& config, std::vector<std::vector<ParticipantId>> makers);

  /// Feeds the events of one applied input, in order; `engine` is the state afterwards.
  void OnEvents(std::span<const Event> events, const Engine& engine);

  /// The current day's results, refreshed whenever an acceptance phase closes (null before
  /// the first phase closed today). Immutable once handed out.
  std::shared_ptr<const MmDayReport> report() const { return report_; }
  bool any_makers() const { return any_; }

 private:
  struct MakerOrder {
    ParticipantId maker;
    CategoryId category;
    Side side;
    Price price;
    Qty qty;
  };
  struct Quote {  // one maker in one category, now
    bool two_sided = false;
    bool compliant = false;
    Price spread = 0;
    Qty size = 0;
  };
  struct Slot {  // one maker in one category
    ParticipantId maker;
    Quote quote;
    std::vector<OrderRef> orders;
    std::vector<MmPhaseResult> phases;
    int64_t spread_us = 0;  // Σ spread × µs, this phase
    int64_t size_us = 0;    // Σ size × µs, this phase
  };
  struct CategoryState {
    bool open = false;  // acceptance phase, not halted
    int session = -1;
    Timestamp since = 0;
    std::vector<Slot> slots;
  };

  Slot* SlotOf(ParticipantId p, CategoryId c);
  void Accrue(CategoryId c, Timestamp t);
  void Requote(CategoryId c, Slot& s, const Engine& engine);
  void OpenPhase(CategoryId c, int session, Timestamp t, const Engine& engine);
  void ClosePhase(CategoryId c, Timestamp t);
  void Publish();

  MarketConfig config_;
  std::vector<CategoryState> cats_;
  absl::flat_hash_map<OrderRef, MakerOrder> orders_;
  std::shared_ptr<const MmDayReport> report_;
  absl::CivilDay day_;
  Timestamp day_start_ = 0;  // [day_start_, next_day_) is day_
  Timestamp next_day_ = 0;
  bool any_ = false;
};

}  // namespace ccx
