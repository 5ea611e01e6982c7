// The Replayer: drives a replica of the exchange's deterministic core (ExchangeCore: order
// entry with its pre-trade checks, the ITCH feed, the registry) with journal records,
// exactly as ccx-exchange does on start, and tells observers about each
// record before and after it is applied. After every record it knows which categories the
// record touched and their indicative auction price before and after it, which is what the
// alerts and the investigation report measure an order's effect by.
//
//   Replayer r(market, participants);
//   OrderHistory history;             // any number of ReplayObservers, not owned
//   r.AddObserver(&history);
//   ASSIGN_OR_RETURN(ReplaySummary s, ReplayJournal(path, &r));
//
// Single-threaded; no clock; allocation only where the core or an observer allocates.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "gateway/core/exchange_core.h"
#include "gateway/core/order_entry.h"
#include "gateway/journal/journal.h"
#include "settlement/ledger_op.h"

namespace ccx::surveillance {

class Replayer;

/// Told about every record. Both calls see the same Replayer; BeforeRecord sees the state
/// after the previous record, AfterRecord the state after this one (with its events in
/// replayer.core().applied_events()).
class ReplayObserver {
 public:
  virtual ~ReplayObserver() = default;
  virtual void BeforeRecord(const Replayer& replayer, const JournalRecord& record) {
    (void)replayer;
    (void)record;
  }
  virtual void AfterRecord(const Replayer& replayer, const JournalRecord& record) = 0;
};

/// The decoded input of the record being applied (valid from BeforeRecord to AfterRecord).
struct DecodedInput {
  InputKind kind = InputKind::kClock;
  bool ouch_valid = false;          ///< kOuch whose message decodes
  ParticipantId participant = 0;    ///< kOuch: the sender
  ouch::Inbound ouch;               ///< kOuch: the message
  Command admin;                    ///< kAdmin: the operator command
  settlement::LedgerOp ledger;      ///< kLedger: the registry operation
  CoreSettings settings;            ///< kSettings: the exchange's output-shaping options
};

struct ReplayOptions {
  /// Keep the indicative price of every touched category before/after each record (a
  /// PriceBook per touched category per record). Off for a bare --verify.
  bool track_indicative = true;
  /// What the exchange's core ran with: the [settlement] table (pre-trade checks) and the
  /// NOII interval (ccx-exchange --noii-interval-ms; journals that carry a kSettings record
  /// override it from that record on). The replay is only faithful with the same values
  /// (see CoreOptionsFromConfig).
  CoreOptions core;
};

/// The CoreOptions ccx-exchange derives from its configuration file at `config_path` and
/// `--noii-interval-ms`. Errors are the configuration loader's.
absl::StatusOr<CoreOptions> CoreOptionsFromConfig(const std::string& config_path, const MarketConfig& market,
                                                  const ParticipantRegistry& participants,
                                                  int64_t noii_interval_ms);

class Replayer {
 public:
  /// A replica of the core for `market` and `participants` (the configuration the exchange
  /// ran with: participant ids in the journal are indexes into it).
  Replayer(MarketConfig market, ParticipantRegistry participants, ReplayOptions options = {});

  /// Observers are called in the order added; not owned, must outlive the replay.
  void AddObserver(ReplayObserver* observer) { observers_.push_back(observer); }

  /// Applies one record (records must come in journal order). DataLoss naming the record
  /// when the core refuses it (an input kind it does not know, or a malformed payload).
  absl::Status Apply(const JournalRecord& record);

  const OrderEntry& core() const { return *core_; }
  const Engine& engine() const { return core_->engine(); }
  const MarketConfig& market() const { return core_->engine().config(); }
  const ParticipantRegistry& participants() const { return core_->participants(); }
  /// The whole replica (order entry, ITCH feed, registry).
  const ExchangeCore& exchange() const { return *exchange_; }
  /// The rebuilt ITCH feed.
  const FeedBuilder* feed() const { return &exchange_->feed(); }
  /// The username of participant `p` ("#p" when out of range).
  std::string Username(ParticipantId p) const;
  /// The code of category `c` ("-" for kNoCategory, "#c" when out of range).
  std::string CategoryCode(CategoryId c) const;

  /// The input being applied / just applied.
  const DecodedInput& input() const { return input_; }
  /// Records applied so far.
  uint64_t records() const { return records_; }
  /// Engine events of all records so far.
  uint64_t events() const { return events_; }

  /// Categories whose book, phase or base price the last record changed (ascending).
  const std::vector<CategoryId>& touched() const { return touched_; }
  /// The indicative auction of `c` after the last record (tracked categories only).
  const Clearing& indicative(CategoryId c) const { return after_[c]; }
  /// The indicative auction of `c` before the last record (equal to indicative(c) when the
  /// record did not touch `c`).
  const Clearing& indicative_before(CategoryId c) const { return before_[c]; }
  bool tracks_indicative() const { return options_.track_indicative; }

 private:
  void Decode(const JournalRecord& record);

  ReplayOptions options_;
  std::unique_ptr<ExchangeCore> exchange_;
  const OrderEntry* core_ = nullptr;
  std::vector<ReplayObserver*> observers_;
  DecodedInput input_;
  uint64_t records_ = 0;
  uint64_t events_ = 0;
  std::vector<CategoryId> touched_;
  std::vector<uint8_t> touched_flag_;
  std::vector<Clearing> before_;
  std::vector<Clearing> after_;
};

/// What a replay of a journal file went through.
struct ReplaySummary {
  std::string path;
  uint64_t records = 0;          ///< records applied by this call
  uint64_t first_sequence = 0;   ///< of the first applied record (0 if none)
  uint64_t last_sequence = 0;    ///< of the last applied record (0 if none)
  int64_t first_time = 0;        ///< timestamp of the first applied record
  int64_t last_time = 0;         ///< timestamp of the last applied record
  bool stopped = false;          ///< `stop` ended the replay before the end of the journal
  std::optional<TailDamage> torn_tail;  ///< the journal ends in a partial record (allowed)
};

struct JournalOptions {
  /// Replay up to a torn tail (a partial last record, as in a copy of a journal that was
  /// being written) instead of failing.
  bool allow_torn_tail = false;
};

/// Replays the journal file at `path` into `replayer`, from its first record. `stop`
/// (optional) is asked before each record; true ends the replay with that record not
/// applied. Errors (all name the file): NotFound; not a journal; mid-file corruption
/// (DataLoss, from JournalReader); a torn tail unless allowed (DataLoss "truncated");
/// a record the core refuses (DataLoss).
absl::StatusOr<ReplaySummary> ReplayJournal(
    const std::string& path, Replayer* replayer, const JournalOptions& options = {},
    const std::function<bool(const JournalRecord&)>& stop = nullptr);

/// `data_dir`/journal/ccx.journal, or `data_dir` itself when it names a file.
std::string JournalPathFor(const std::string& data_dir);

}  // namespace ccx::surveillance
