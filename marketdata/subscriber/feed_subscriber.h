// FeedSubscriber: joins the ccx market-data feed (MoldUDP64 over UDP, docs/MARKETDATA.md)
// and hands the ITCH messages to its owner strictly in sequence, once each, while keeping
// an ItchBook of the market. It fills gaps from the retransmission server (re-asking on
// timeout), buffers out-of-order packets, follows heartbeats, the end of session and the
// next day's new session, and can start from the TCP snapshot service (the snapshot's
// state messages are delivered flagged `snapshot`, then the live feed continues from the
// sequence number the snapshot announced, using packets buffered meanwhile).
//
// Single-threaded: the owner calls Poll() in a loop; every callback runs inside Poll().
// POSIX sockets and poll(2), IPv4.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "marketdata/book/itch_book.h"
#include "marketdata/protocol/itch.h"
#include "marketdata/subscriber/feed_sequencer.h"
#include "marketdata/subscriber/net.h"
#include "marketdata/subscriber/snapshot_client.h"

namespace ccx::md {

struct FeedSubscriberOptions {
  /// Multicast group "ADDR:PORT" to join (e.g. "239.255.42.1:30001"); or
  std::string group;
  /// unicast "ADDR:PORT" to listen on (port 0: any free port, see feed_port()).
  std::string listen;
  /// Local interface address for the multicast join ("0.0.0.0": the kernel's choice).
  std::string interface_address = "0.0.0.0";
  /// Retransmission server "HOST:PORT"; empty: gaps are reported lost and skipped.
  std::string retrans;
  /// Snapshot service "HOST:PORT"; empty: start from the feed (sequence 1 of the session,
  /// asking the retransmission server for what was missed when joining late).
  std::string snapshot;
  /// Test switch: drop every Nth received feed packet (0: none), to exercise recovery.
  int drop_every = 0;
  /// How long a retransmission request may stay unanswered before it is sent again.
  int request_timeout_ms = 100;
  /// Most messages asked in one retransmission request.
  uint16_t max_request_count = 1000;
  /// Time allowed to connect to the snapshot service.
  int connect_timeout_ms = 3000;
  /// Keep an ItchBook of every delivered message (book()); off for pure message relays.
  bool keep_book = true;
};

/// One delivered ITCH message. Views are valid during the callback only.
struct FeedMessage {
  std::string_view session;
  uint64_t sequence = 0;  ///< MoldUDP64 sequence number; 0 for snapshot messages
  bool snapshot = false;  ///< state from the snapshot service, not a new event
  std::span<const uint8_t> bytes;
  const itch::Message* message = nullptr;  ///< null when the bytes did not decode
};

struct FeedHandler {
  /// Each message in sequence, after it was applied to book() (when keep_book).
  std::function<void(const FeedMessage&)> on_message;
  /// A session (trading day) starts: the first one seen, or the next day's.
  std::function<void(std::string_view session)> on_session;
  /// The snapshot was delivered; the live feed continues from `next_sequence`.
  std::function<void(std::string_view session, uint64_t next_sequence)> on_snapshot;
  /// Every message of the session was delivered and its end-of-session packet seen.
  std::function<void(std::string_view session)> on_end_of_session;
  /// Something wrong but survivable: a malformed packet, an undecodable message, a
  /// message the book refused, messages lost without a retransmission server.
  std::function<void(const std::string& text)> on_warning;
};

struct FeedStats {
  uint64_t packets = 0;          ///< feed packets received (dropped ones included)
  uint64_t dropped = 0;          ///< dropped by the drop_every test switch
  uint64_t heartbeats = 0;
  uint64_t retrans_packets = 0;  ///< packets from the retransmission server
  uint64_t bad_packets = 0;      ///< not a MoldUDP64 packet
  uint64_t snapshot_messages = 0;
  uint64_t book_errors = 0;      ///< messages the ItchBook refused
  FeedSequencer::Stats sequencer;
};

class FeedSubscriber {
 public:
  /// Opens the sockets (and the snapshot connection, if configured). Errors name what
  /// could not be opened. `handler` callbacks may be empty.
  static absl::StatusOr<std::unique_ptr<FeedSubscriber>> Open(const FeedSubscriberOptions& options,
                                                              FeedHandler handler);
  ~FeedSubscriber();

  /// Waits up to `timeout_ms` for input, processes everything that arrived, sends due
  /// retransmission requests. Returns an error only for a failed snapshot or a broken
  /// socket (the subscriber is then unusable).
  absl::Status Poll(int timeout_ms);

  /// The book built from every delivered message (keep_book).
  const ItchBook& book() const { return book_; }
  /// The UDP port the feed socket is bound to.
  uint16_t feed_port() const { return feed_port_; }
  /// The UDP port retransmission answers come back to (0 without a server).
  uint16_t request_port() const { return request_port_; }
  bool snapshot_pending() const { return snapshot_ != nullptr; }
  const std::optional<std::string>& session() const { return sequencer_.session(); }
  /// The next sequence number to deliver.
  uint64_t expected() const { return sequencer_.expected(); }
  /// True once the current session's end was delivered.
  bool ended() const { return sequencer_.ended(); }
  /// True while messages are known to be missing.
  bool has_gap() const { return sequencer_.has_gap(); }
  FeedStats stats() const;

 private:
  FeedSubscriber(const FeedSubscriberOptions& options, FeedHandler handler);
  void Warn(const std::string& text);
  void OnDatagram(std::span<const uint8_t> packet, bool retransmission);
  void Deliver(uint64_t sequence, std::span<const uint8_t> bytes, bool snapshot);
  absl::Status ReadSnapshot();
  absl::Status SendRequests();
  // Reads every waiting datagram of one socket (up to a burst); an error if the socket broke.
  absl::Status Drain(int fd, bool retransmission);

  FeedSubscriberOptions options_;
  FeedHandler handler_;
  FeedSequencer sequencer_;
  ItchBook book_;
  Fd feed_;
  Fd requests_;
  std::optional<sockaddr_in> retrans_server_;
  std::unique_ptr<SnapshotClient> snapshot_;
  std::vector<std::vector<uint8_t>> held_;  // live packets received during the snapshot
  std::vector<uint8_t> buffer_;
  uint16_t feed_port_ = 0;
  uint16_t request_port_ = 0;
  FeedStats stats_;
};

}  // namespace ccx::md
