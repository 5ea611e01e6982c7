// FeedBuilder: the exchange's ITCH 5.0 feed, built deterministically from the engine's
// events (docs/MARKETDATA.md lists what is published and when). It runs on the engine
// thread right after each sequenced input is applied, so the feed of a day is a pure
// function of the journal: a restart or a surveillance replay rebuilds it byte for byte,
// and the retransmission server can answer from it. The publisher (marketdata/publisher)
// sends what each day's log has released.
//
// NOIIs (indicative auction price and volume) are conflated: at most one per category per
// `noii_interval`, and only when the content changed; one is always published when an
// acceptance phase opens and right after each auction. A category whose NOII is held back
// by the interval makes ClockDue() true once the interval has passed, and the exchange then
// journals a clock input, so the timing of every NOII is in the journal too.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "engine/market/engine.h"
#include "gateway/ring/message_log.h"
#include "marketdata/protocol/itch.h"

namespace ccx {

/// One trading day's feed: the MoldUDP64 session `session` ("YYYYMMDD"), messages from 1.
struct FeedDay {
  absl::CivilDay day;
  std::string session;
  MessageLog log;
};

class FeedBuilder {
 public:
  /// A feed for the market `config` (copied); `noii_interval_ns` ≥ 0 (0 = no conflation).
  FeedBuilder(const MarketConfig& config, int64_t noii_interval_ns);

  /// Appends the ITCH messages of one applied input (stamped `t`, ns since the epoch):
  /// `events` are the engine's events of that input and `engine` its state afterwards.
  void OnApplied(Timestamp t, std::span<const Event> events, const Engine& engine);

  int64_t noii_interval() const { return interval_; }
  /// Changes the NOII conflation interval from now on (a journaled setting).
  void set_noii_interval(int64_t ns) { interval_ = ns; }

  /// True when a held-back NOII may be published at `t`.
  bool ClockDue(Timestamp t) const;

  /// The current day's feed (null before the first event) and the previous day's.
  std::shared_ptr<const FeedDay> day() const { return day_; }
  std::shared_ptr<const FeedDay> previous_day() const { return previous_; }
  /// Releases everything appended so far to the publisher (after the journal sync).
  void Release();

 private:
  struct CategoryState {
    bool dirty = false;   // something changed since the last NOII
    bool force = false;   // publish at the next chance whatever the interval
    Timestamp last_time = 0;
    bool has_last = false;
    itch::Noii last;
  };

  void StartDay(absl::CivilDay d, Timestamp t);
  void EndDay(Timestamp t);
  void OnEvent(const Event& e);
  void MaybeNoii(CategoryId c, Timestamp t, const Engine& engine);
  void MaybeEndOfMarket(Timestamp t, const Engine& engine);
  char NextCrossType(CategoryId c, const Engine& engine) const;
  itch::Header Header(CategoryId c, Timestamp t) const;
  template <typename Msg>
  void Put(const Msg& m) {
    itch::Encode(m, day_->log.Append(Msg::kSize));
  }

  MarketConfig config_;
  int64_t interval_;
  std::vector<itch::Stock> stocks_;
  std::vector<CategoryState> cats_;
  std::shared_ptr<FeedDay> day_;
  std::shared_ptr<FeedDay> previous_;
  Timestamp next_day_ = 0;  // local midnight after the current day
  bool market_open_sent_ = false;   // S 'Q' sent today
  bool market_close_sent_ = false;  // S 'M' sent today
};

}  // namespace ccx
