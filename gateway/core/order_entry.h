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
#include <span>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/civil_time.h"
#include "engine/market/engine.h"
#include "gateway/core/participants.h"
#include "gateway/protocol/ouch.h"

namespace ccx {

/// Journal record types of the exchange's inputs.
enum class InputKind : uint16_t {
  kOuch = 16,  ///< payload: OuchInput (a participant's inbound OUCH message)
  kClock = 17, ///< no payload: time passes (only journaled when a transition is due)
  kAdmin = 18, ///< payload: an engine Command (halt, resume, reference price, suspend)
};

/// Payload of a kOuch record: who sent it and the raw OUCH message (type byte first).
struct OuchInput {
  uint32_t participant = 0;
  uint8_t length = 0;
  uint8_t message[ouch::kMaxMessageSize] = {};
};

/// The outbound `S` messages of one participant for the current trading day. Message n
/// (SoupBinTCP sequence number n, from 1) is kept in fixed 1 MiB chunks that never move, so
/// appending never copies what is already there (no latency spike when a stream grows).
class OutboundStream {
 public:
  static constexpr uint32_t kChunk = 1u << 20;
  uint64_t size() const { return index_.size(); }
  std::span<const uint8_t> message(uint64_t seq) const {
    const Where w = index_[seq - 1];
    return {chunks_[w.chunk]->data() + w.offset, w.length};
  }
  /// Room for a message of `n` bytes (n <= 255) at the end; returns where to write it.
  uint8_t* Append(uint32_t n) {
    if (chunks_.empty() || used_ + n > kChunk) {
      chunks_.push_back(std::make_unique<std::array<uint8_t, kChunk>>());
      used_ = 0;
    }
    uint8_t* at = chunks_.back()->data() + used_;
    index_.push_back(Where{static_cast<uint32_t>(chunks_.size() - 1), used_, static_cast<uint8_t>(n)});
    used_ += n;
    return at;
  }

 private:
  struct Where {
    uint32_t chunk;
    uint32_t offset;
    uint8_t length;
  };
  std::vector<std::unique_ptr<std::array<uint8_t, kChunk>>> chunks_;
  std::vector<Where> index_;
  uint32_t used_ = 0;
};

class OrderEntry {
 public:
  OrderEntry(MarketConfig market, ParticipantRegistry participants);

  /// Applies one sequenced input stamped `time` (ns since the Unix epoch). Inputs must be
  /// given in journal order; a malformed payload is ignored with a false return (the gateway
  /// never journals one).
  bool Apply(InputKind kind, Timestamp time, std::span<const uint8_t> payload);

  /// True when a scheduled transition is due at or before `time` (the server then journals
  /// and applies a kClock input).
  bool ClockDue(Timestamp time) const;

  /// The trading date whose streams are current (the SoupBinTCP session name).
  absl::CivilDay trading_date() const { return day_; }
  bool started() const { return started_; }
  /// "YYYYMMDD" of the trading date.
  std::string SessionName() const;
  const OutboundStream& stream(ParticipantId p) const { return streams_[p]; }
  /// The previous trading day's stream (its last message is the end-of-day event), kept
  /// so that a session still open across the day change receives it before it ends.
  const OutboundStream& previous_stream(ParticipantId p) const { return previous_[p]; }
  /// Participants whose streams grew since the last call (cleared by the call).
  std::vector<ParticipantId> TakeDirty();

  /// Every engine event of the last Apply, in order (what the books, the market data, the
  /// registry and surveillance derive from). Valid until the next Apply.
  const std::vector<Event>& applied_events() const { return applied_; }

  const Engine& engine() const { return engine_; }
  const ParticipantRegistry& participants() const { return reg_; }
  /// The last input's time.
  Timestamp now() const { return now_; }

 private:
  using TokenKey = std::array<char, 14>;
  struct OrderInfo {
    OrderRef ref = 0;
    CategoryId category = 0;
    bool live = false;
    ouch::EnterOrder entered;  // fields echoed in Accepted/Replaced
  };
  struct ParticipantState {
    absl::flat_hash_map<TokenKey, OrderInfo> orders;  // by token, for the trading day
    int64_t rate_second = -1;
    uint32_t rate_count = 0;
  };
  struct Pending {  // the command being processed, for the direct reply
    ParticipantId who = 0;
    TokenKey token{};
    TokenKey previous{};
    ouch::EnterOrder entered;
  };

  void OnOuch(Timestamp t, const OuchInput& in);
  void OnEnter(Timestamp t, ParticipantId who, const ouch::EnterOrder& m);
  void OnReplace(Timestamp t, ParticipantId who, const ouch::ReplaceOrder& m);
  void OnCancel(Timestamp t, ParticipantId who, const ouch::CancelOrder& m);
  bool RateLimited(Timestamp t, ParticipantId who);
  void RunEngine(const Command& c);
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
  std::vector<OutboundStream> streams_;
  std::vector<OutboundStream> previous_;
  std::vector<ParticipantState> state_;
  absl::flat_hash_map<OrderRef, std::pair<ParticipantId, TokenKey>> by_ref_;
  std::vector<uint8_t> dirty_flag_;
  std::vector<ParticipantId> dirty_;
  Pending pending_;
  bool started_ = false;
  bool end_of_day_sent_ = false;
  absl::CivilDay day_;
  Timestamp now_ = 0;
};

}  // namespace ccx
