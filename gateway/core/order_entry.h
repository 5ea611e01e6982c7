// The deterministic order-entry core of the exchange: the Engine plus everything that
// OUCH adds around it (order tokens per session and day, firms and permitted categories,
// the message-rate limit, price scaling) and the per-participant outbound message streams
// of the trading day. It is fed *sequenced inputs* — the very records of the journal — so
// replaying the journal rebuilds books, tokens and every participant's outbound stream
// byte for byte. No sockets, no clock, no threads.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/civil_time.h"
#include "engine/market/engine.h"
#include "gateway/core/participants.h"
#include "gateway/core/ref_table.h"
#include "gateway/core/token_table.h"
#include "gateway/ring/message_log.h"
#include "gateway/protocol/ouch.h"

namespace ccx {
namespace settlement {
class Registry;
}

/// Journal record types of the exchange's inputs.
enum class InputKind : uint16_t {
  kOuch = 16,  ///< payload: OuchInput (a participant's inbound OUCH message)
  kClock = 17, ///< no payload: time passes (only journaled when a transition is due)
  kAdmin = 18, ///< payload: an engine Command (halt, resume, reference price, suspend)
  kLedger = 19, ///< payload: settlement::LedgerOp (deposit, withdrawal, retirement)
  kSettings = 20, ///< payload: CoreSettings (options that shape the outputs, e.g. NOII interval)
};

/// Payload of a kOuch record: who sent it and the raw OUCH message (type byte first).
struct OuchInput {
  uint32_t participant = 0;
  uint8_t length = 0;
  uint8_t message[ouch::kMaxMessageSize] = {};
};

/// The outbound `S` messages of every participant for one trading day: message n of
/// participant p is SoupBinTCP sequence number n of p's session for that day. Shared with
/// the gateway thread, which sends what each log has released.
struct DayStreams {
  absl::CivilDay day;
  std::string session;  ///< "YYYYMMDD", the SoupBinTCP session name
  std::vector<std::unique_ptr<MessageLog>> streams;  ///< by ParticipantId
};

class OrderEntry {
 public:
  OrderEntry(MarketConfig market, ParticipantRegistry participants);

  /// Wires the pre-trade checks (MARKET_RULES §6) to `registry` (not owned; null = none):
  /// sells reserve credits (reject `u`), buys reserve limit × quantity yen (reject `n`);
  /// cancels, expiries and executions release them, trades become obligations. Call before
  /// the first Apply.
  void SetRegistry(settlement::Registry* registry) { registry_ = registry; }

  /// Applies one sequenced input stamped `time` (ns since the Unix epoch). Inputs must be
  /// given in journal order; a malformed payload is ignored with a false return (the gateway
  /// never journals one). A kLedger input only advances the schedule here (ExchangeCore
  /// applies its payload to the registry).
  bool Apply(InputKind kind, Timestamp time, std::span<const uint8_t> payload);

  /// True when a scheduled transition is due at or before `time` (the server then journals
  /// and applies a kClock input).
  bool ClockDue(Timestamp time) const;

  /// The trading date whose streams are current (the SoupBinTCP session name).
  absl::CivilDay trading_date() const { return day_; }
  bool started() const { return started_; }
  /// "YYYYMMDD" of the trading date.
  std::string SessionName() const;
  const MessageLog& stream(ParticipantId p) const { return *streams_->streams[p]; }
  /// The current day's streams (null before the first input). A new object each trading
  /// day; the previous day's (its last message is the end-of-day event) stays alive as
  /// long as someone holds it, e.g. a session still open across the day change.
  std::shared_ptr<const DayStreams> day_streams() const { return streams_; }
  std::shared_ptr<const DayStreams> previous_day_streams() const { return previous_; }
  /// Releases every message appended so far (current and previous day) to other threads:
  /// call once the journal holds the inputs that caused them.
  void Release();

  /// Every engine event of the last Apply, in order (what the books, the market data, the
  /// registry and surveillance derive from). Valid until the next Apply.
  const std::vector<Event>& applied_events() const { return applied_; }

  const Engine& engine() const { return engine_; }
  const ParticipantRegistry& participants() const { return reg_; }
  /// Changes the per-session message-rate limit from now on (a journaled setting).
  void set_max_messages_per_second(uint32_t max) { reg_.gateway.max_messages_per_second = max; }
  /// The last input's time.
  Timestamp now() const { return now_; }

 private:
  using TokenKey = std::array<char, 14>;
  struct OrderInfo {  // one token of the day (entered.token), accepted or not
    OrderRef ref = 0;
    CategoryId category = 0;
    bool live = false;
    ouch::EnterOrder entered;  // fields echoed in Accepted/Replaced
  };
  struct ParticipantState {
    TokenTable<uint32_t> orders{1 << 12};  // token → index in infos_, for the trading day
    int64_t rate_second = -1;
    uint32_t rate_count = 0;
  };
  struct Pending {  // the command being processed, for the direct reply
    ParticipantId who = 0;
    TokenKey token{};
    TokenKey previous{};
    uint32_t info = 0;           // infos_ index of `token` (enter, replace)
    uint32_t previous_info = 0;  // infos_ index of the replaced order
    ouch::EnterOrder entered;
  };
  /// A new order record for the day's token `m.token` of `who`; kDuplicate if the token
  /// was used today.
  static constexpr uint32_t kDuplicate = UINT32_MAX;
  uint32_t NewOrder(ParticipantId who, const ouch::EnterOrder& m, CategoryId category);

  void OnOuch(Timestamp t, const OuchInput& in);
  void OnEnter(Timestamp t, ParticipantId who, const ouch::EnterOrder& m);
  void OnReplace(Timestamp t, ParticipantId who, const ouch::ReplaceOrder& m);
  void OnCancel(Timestamp t, ParticipantId who, const ouch::CancelOrder& m);
  bool RateLimited(Timestamp t, ParticipantId who);
  void RunEngine(const Command& c);
  /// Pre-trade reservation for the enter/replace `c` of `who` (registry set); the reject
  /// reason when it fails.
  std::optional<RejectReason> Reserve(const Command& c, const Order* replaced);
  void Unreserve(const Command& c, const Order* replaced);
  /// Registry bookkeeping for an engine event (releases, executions, trades).
  void Settle(const Event& e);
  void Route(const Event& e);
  void EnsureDay(Timestamp t);
  void SendEndOfDay(Timestamp t);
  template <typename Msg>
  void Send(ParticipantId who, const Msg& m);
  /// Records the order of the pending command as live under `e.ref` and fills the fields
  /// that Accepted and Replaced share.
  template <typename Msg>
  Msg LiveOrder(const Event& e, Msg m);
  void Reject(Timestamp t, ParticipantId who, const TokenKey& token, RejectReason r);
  uint64_t OuchTime(Timestamp t) const;

  MarketConfig market_;
  ParticipantRegistry reg_;
  Engine engine_;
  std::vector<Event> events_;
  std::vector<Event> applied_;
  std::shared_ptr<DayStreams> streams_;
  std::shared_ptr<DayStreams> previous_;
  std::vector<ParticipantState> state_;
  RefTable by_ref_;  // the day's live orders by engine reference
  StableVector<OrderInfo> infos_;  // every token of the day, of every participant
  Pending pending_;
  settlement::Registry* registry_ = nullptr;
  bool started_ = false;
  bool end_of_day_sent_ = false;
  absl::CivilDay day_;
  Timestamp next_day_ = 0;  // local midnight after day_ (EnsureDay's fast path)
  Timestamp now_ = 0;
};

}  // namespace ccx
