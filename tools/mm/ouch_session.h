// OuchSession: one participant's order-entry session for the trading bots (ccx-mm,
// ccx-crowd) on top of the blocking OuchClient: connect and log in, replay the day's
// messages from sequence 1 at every (re)connection so the owner can rebuild its orders,
// client heartbeats once a second, decoded OUCH messages handed to a callback, order
// tokens unique for the day (a prefix and a counter continued past every token the replay
// shows), and reconnection with back-off when the exchange goes away.
//
// Single-threaded and non-blocking apart from Connect(): the owner calls Pump() often.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "gateway/protocol/ouch.h"
#include "tools/lib/ouch_client.h"

namespace ccx::bots {

struct OuchSessionOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 26400;
  std::string user;
  std::string password;
  /// Tokens are `prefix` + a decimal counter (at most 14 characters in all).
  std::string token_prefix = "T";
  /// Give up reconnecting after this long without a session (then Pump() fails).
  std::chrono::milliseconds reconnect_timeout{30000};
};

/// What the session reports to its owner. Each callback may be empty.
struct OuchSessionHandler {
  /// A new connection is about to replay the day from sequence 1: forget every order.
  std::function<void()> on_reset;
  /// One sequenced OUCH message (replayed or live).
  std::function<void(const ouch::Outbound&)> on_message;
  /// The server ended the session (`Z`): the trading day is over for this login.
  std::function<void()> on_end_of_session;
};

class OuchSession {
 public:
  OuchSession(OuchSessionOptions options, OuchSessionHandler handler);

  /// Connects and logs in, replaying the day from sequence 1 (the replayed messages are
  /// dispatched before it returns: it waits for 100 ms of quiet). Errors say what failed:
  /// "cannot connect to ...", "login rejected: A" (bad user or password), "login
  /// rejected: S" (already logged in elsewhere, or another day's session).
  absl::Status Connect();
  /// Reads and dispatches everything that arrived, sends a heartbeat when due, and
  /// reconnects (with back-off) after a lost connection. An error only when reconnecting
  /// failed for longer than reconnect_timeout or the login was refused.
  absl::Status Pump();
  /// Sends one OUCH message; false (nothing sent) while disconnected.
  bool Send(const ouch::Inbound& message);

  /// A fresh token for this day: prefix + counter.
  std::string NextToken();
  bool connected() const { return connected_; }
  /// The socket (for poll); -1 while disconnected.
  int fd() const { return connected_ ? client_->fd() : -1; }
  bool has_pending() const { return connected_ && client_->has_pending(); }
  const std::string& user() const { return options_.user; }
  /// Number of reconnections after the first connection.
  int reconnects() const { return reconnects_; }
  /// The session (trading date YYYYMMDD, space padded) of the current login.
  const std::string& session() const { return session_; }
  void Logout();

 private:
  void Dispatch(const ReceivedPacket& p);
  void NoteToken(std::string_view token);
  void Lost(std::string_view why);

  OuchSessionOptions options_;
  OuchSessionHandler handler_;
  std::unique_ptr<OuchClient> client_;  // a fresh client per connection
  std::string session_;
  bool connected_ = false;
  bool ever_connected_ = false;
  int reconnects_ = 0;
  uint64_t token_counter_ = 0;
  std::chrono::steady_clock::time_point last_send_{};
  std::chrono::steady_clock::time_point lost_at_{};
  std::chrono::steady_clock::time_point next_attempt_{};
  std::chrono::milliseconds backoff_{200};
  std::string lost_reason_;
};

}  // namespace ccx::bots
