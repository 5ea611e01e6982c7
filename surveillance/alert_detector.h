// AlertDetector: watches a replay record by record and raises the alerts of
// docs/SURVEILLANCE.md for each auction, with thresholds from SurveillanceConfig.
//
// What it keeps, per category, for the acceptance phase that leads to the next auction:
//   - every resting order (owner, side, size, entry time, the indicative price just before
//     and just after its entry — the record's effect, Replayer::indicative_before/after);
//   - spoofing candidates: large orders the owner cancelled within the spoofing window;
//   - marking candidates: orders entered within the marking window that moved the price;
//   - each designated market maker's two-sided quote state during the quote-pull window.
// At the auction (the first auction event of the category in a record) it adds the
// executions and trades, and at the auction result it judges the five rules and writes
// the alerts, all at once, in a fixed order (rule, then participant). Everything is a
// function of the journal: the same journal always gives the same alerts.
#pragma once

#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "surveillance/alert.h"
#include "surveillance/config.h"
#include "surveillance/replayer.h"

namespace ccx::surveillance {

class AlertDetector : public ReplayObserver {
 public:
  /// `sink` (optional, not owned) receives each alert as it is completed; alerts() keeps
  /// them all as well.
  AlertDetector(SurveillanceConfig config, AlertSink* sink = nullptr);

  void BeforeRecord(const Replayer& replayer, const JournalRecord& record) override;
  void AfterRecord(const Replayer& replayer, const JournalRecord& record) override;

  const std::vector<Alert>& alerts() const { return alerts_; }
  /// The first error the sink returned since the last call (OK if none), cleared.
  absl::Status TakeStatus() { return std::exchange(status_, absl::OkStatus()); }
  const SurveillanceConfig& config() const { return config_; }

  /// The effect of one record on a category's indicative auction.
  struct Move {
    bool known = false;  ///< false when the record also ran an auction of the category
    Indicative before;
    Indicative after;
  };
  /// An order as evidence.
  struct OrderNote {
    OrderRef ref = 0;
    ParticipantId participant = 0;
    Side side = Side::kBuy;
    Price price = 0;
    Qty qty = 0;             ///< as entered
    Qty executed = 0;        ///< in the auction
    Timestamp entered = 0;
    Timestamp canceled = 0;  ///< 0 if not cancelled
    std::string token;
    Move entry;
    Move cancel;
  };

 private:
  struct PhaseState {
    bool active = false;
    uint8_t session = 0;
    Timestamp open = 0;
    Timestamp auction = 0;                     ///< scheduled time of the auction
    std::vector<OrderNote> spoof;              ///< cancelled large orders in the window
    absl::flat_hash_map<OrderRef, OrderNote> marking;  ///< window orders that moved it
    bool pull_window_started = false;
    std::vector<uint8_t> had_two_sided;        ///< by market maker (index into makers_[c])
    std::vector<std::vector<OrderNote>> pulls; ///< by market maker
  };
  struct AuctionState {  // filled between the first auction event and the result
    bool active = false;
    /// By market maker: its quotes (orders >= min_quote_qty) per side just before the uncross.
    std::vector<std::array<uint32_t, 2>> maker_quotes;
    absl::flat_hash_map<ParticipantId, std::array<Volume, 2>> traded;  ///< bought, sold
    std::vector<Event> executions;
    std::vector<Event> trades;
  };

  void OnPhase(const Replayer& r, const Event& e);
  void OnEntered(const Replayer& r, const JournalRecord& rec, const Event& e, const Move& m);
  void OnCanceled(const Replayer& r, const Event& e, const Move& m, bool by_owner);
  void OnExecuted(const Event& e);
  void BeginAuction(CategoryId c);
  void FinishAuction(const Replayer& r, const Event& result);
  void Emit(Alert alert);
  // Market-maker quote state.
  int MakerIndex(ParticipantId p, CategoryId c) const;
  bool TwoSided(ParticipantId p, CategoryId c) const;
  void CountQuote(ParticipantId p, CategoryId c, Side side, Qty before, Qty after);
  void NotePull(CategoryId c, ParticipantId p, const OrderNote& note, Timestamp t);

  // Alert building (alert_rules.cc).
  void JudgeSpoofing(const Replayer& r, const Event& result);
  void JudgeMarking(const Replayer& r, const Event& result);
  void JudgeWashTrades(const Replayer& r, const Event& result);
  void JudgeConcentration(const Replayer& r, const Event& result);
  void JudgeQuotePulls(const Replayer& r, const Event& result);
  Alert MakeAlert(const Replayer& r, const Event& result, AlertKind kind, ParticipantId p) const;
  nlohmann::json OrderJson(const Replayer& r, const OrderNote& o) const;

  /// A resting order, compact: one slot per order reference in `live_`.
  struct Live {
    Timestamp entered = 0;
    Move entry;
    ParticipantId participant = 0;
    Price price = 0;
    Qty qty = 0;
    Qty open = 0;  ///< 0: the slot holds no resting order
    CategoryId category = 0;
    Side side = Side::kBuy;
    std::array<char, 14> token{};
  };
  Live* FindLive(OrderRef ref);
  void AddLive(OrderRef ref, const Live& live);
  void RemoveLive(OrderRef ref, Live* live);
  OrderNote NoteOf(OrderRef ref, const Live& live) const;

  SurveillanceConfig config_;
  AlertSink* sink_;
  std::vector<Alert> alerts_;
  absl::Status status_;
  bool initialized_ = false;
  size_t num_categories_ = 0;
  std::vector<std::vector<ParticipantId>> makers_;  ///< by category
  std::vector<int> maker_index_;                   ///< [p * categories + c] -> index or -1
  std::vector<std::array<uint32_t, 2>> quotes_;    ///< [p * categories + c]: quotes by side
  std::vector<Qty> min_quote_;                     ///< by category: the size of a quote
  // Resting orders by reference: order references are dense and increasing, so a vector
  // from `live_base_` replaces a hash map; it restarts empty whenever no order rests (every
  // day, after the last auction), so it never holds more than a day's orders.
  std::vector<Live> live_;
  OrderRef live_base_ = 1;
  uint64_t live_count_ = 0;
  std::vector<PhaseState> phases_;
  std::vector<AuctionState> auctions_;
  std::vector<uint8_t> auction_in_record_;         ///< by category, for the current record
};

}  // namespace ccx::surveillance
