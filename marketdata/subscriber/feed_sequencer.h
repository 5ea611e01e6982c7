// FeedSequencer: the MoldUDP64 receive logic of a subscriber without any socket, so it is
// deterministic and testable alone. It takes downstream packets (live or retransmitted)
// in whatever order they arrive and delivers their messages strictly in sequence, once
// each; it buffers out-of-order messages, detects gaps (from later data, heartbeats and
// the end-of-session packet), says which retransmission requests to send and when to send
// them again, and follows session changes (a new trading day starts again at 1).
//
// Sessions: the first live packet's session is adopted (expecting sequence 1 unless
// Start() set another point, e.g. after a snapshot). A live packet of a different session
// that has not been seen before starts that new session (the old one is finished and its
// late packets are ignored); retransmitted packets only count for the current session.
//
// Time is a parameter (steady clock), never read inside.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "marketdata/protocol/moldudp64.h"

namespace ccx::md {

class FeedSequencer {
 public:
  using Clock = std::chrono::steady_clock;

  struct Options {
    /// True when a retransmission server can be asked; otherwise a gap is given up (its
    /// messages reported lost and skipped) once it is `request_timeout` old.
    bool can_request = true;
    /// How long a request is left to be answered before its messages are asked again.
    Clock::duration request_timeout = std::chrono::milliseconds(100);
    /// Most messages asked in one request (servers cap their answers too).
    uint16_t max_request_count = 1000;
    /// Most requests unanswered at once.
    size_t max_outstanding = 4;
    /// Most out-of-order messages buffered; beyond it later messages are not kept (they
    /// become part of a gap and are asked for again).
    size_t max_buffered = 1 << 20;
  };

  struct Callbacks {
    /// A new session was adopted (the first packet, or a new trading day).
    std::function<void(std::string_view session)> on_session;
    /// The next message in sequence (`bytes` valid during the call only).
    std::function<void(uint64_t sequence, std::span<const uint8_t> bytes)> on_message;
    /// Every message of the session was delivered and its end-of-session packet seen.
    std::function<void(std::string_view session)> on_end_of_session;
    /// Messages [first, first + count) were given up (no retransmission server).
    std::function<void(uint64_t first, uint64_t count)> on_lost;
  };

  struct Stats {
    uint64_t messages = 0;     ///< delivered
    uint64_t duplicates = 0;   ///< received again after delivery or while buffered
    uint64_t buffered_peak = 0;
    uint64_t gaps = 0;         ///< times the next expected message was found missing
    uint64_t requests = 0;     ///< retransmission requests handed out
    uint64_t lost = 0;         ///< messages given up
    uint64_t stale = 0;        ///< packets of a finished or foreign session ignored
  };

  FeedSequencer(Options options, Callbacks callbacks);

  /// Starts (or restarts) at `session`, expecting `next_sequence` next: what a snapshot
  /// announced. Messages before it are treated as already delivered.
  void Start(std::string_view session, uint64_t next_sequence);

  /// Takes one downstream packet (already checked by mold::ParsePacket; `header` is its
  /// header). `retransmission` is true for packets from the retransmission server.
  /// Delivers whatever became deliverable through the callbacks.
  void OnPacket(const mold::Header& header, std::span<const uint8_t> packet, bool retransmission,
                Clock::time_point now);

  /// The retransmission requests to send now (possibly none); each is recorded as sent
  /// at `now`. With can_request false, gives up gaps that are too old instead.
  std::vector<mold::Request> DueRequests(Clock::time_point now);

  /// When DueRequests may next have something to do (time_point::max() if never).
  Clock::time_point NextDeadline() const;

  const std::optional<std::string>& session() const { return session_; }
  /// The next sequence number to deliver.
  uint64_t expected() const { return expected_; }
  /// One past the highest sequence number known to exist in the session.
  uint64_t known_next() const { return known_next_; }
  /// True once the end of the current session was delivered.
  bool ended() const { return ended_; }
  size_t buffered() const { return pending_.size(); }
  /// True while messages are known to be missing.
  bool has_gap() const { return expected_ < known_next_; }
  const Stats& stats() const { return stats_; }

 private:
  struct Outstanding {
    uint64_t first = 0;
    uint64_t end = 0;  // one past the last requested
    Clock::time_point sent;
  };

  void Adopt(std::string_view session, uint64_t next);
  void Store(uint64_t sequence, std::span<const uint8_t> bytes);
  void Deliver(uint64_t sequence, std::span<const uint8_t> bytes);
  void Drain();
  void CheckEnd();
  // The first missing sequence number >= from (below known_next_), or 0 if none.
  uint64_t NextMissing(uint64_t from) const;
  // Gives up the first gap (no retransmission server).
  void SkipGap();

  Options options_;
  Callbacks cb_;
  std::optional<std::string> session_;
  std::set<std::string> finished_;
  uint64_t expected_ = 1;
  uint64_t known_next_ = 1;
  std::optional<uint64_t> end_sequence_;
  bool ended_ = false;
  std::map<uint64_t, std::vector<uint8_t>> pending_;
  std::vector<Outstanding> outstanding_;
  // Every missing message in [expected_, scanned_to_) is inside an outstanding request:
  // DueRequests continues from here, so buffered runs are walked once per timeout.
  uint64_t scanned_to_ = 1;
  std::optional<Clock::time_point> gap_since_;  // when the current stall was first seen
  Stats stats_;
};

}  // namespace ccx::md
