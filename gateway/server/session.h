// One SoupBinTCP connection of the exchange: reads and frames packets, queues writes.
// What the packets mean is the server's business (SessionHost); the session only moves
// bytes and remembers where its participant's outbound stream stands.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <utility>

#include <boost/asio.hpp>

#include "gateway/core/order_entry.h"
#include "gateway/protocol/soupbin.h"

namespace ccx {

class SoupSession;

/// What the server does with a session's packets.
class SessionHost {
 public:
  virtual ~SessionHost() = default;
  /// A complete packet arrived on `s`.
  virtual void OnPacket(SoupSession& s, const soup::Packet& p) = 0;
  /// The session has ended (peer closed, error, or Close()); called once.
  virtual void OnClosed(SoupSession& s) = 0;
  /// Called after each read's packets have been handled.
  virtual void OnReadDone() = 0;
};

class SoupSession : public std::enable_shared_from_this<SoupSession> {
 public:
  using Clock = std::chrono::steady_clock;

  SoupSession(SessionHost* host, boost::asio::ip::tcp::socket socket, uint64_t id);

  /// Starts reading.
  void Start();
  /// Queues raw bytes (one or more whole packets) for sending.
  void Send(const uint8_t* data, size_t size);
  /// Queues a `+` debug packet with `text`, then ends the session once it is written.
  void CloseWithDebug(std::string_view text);
  /// Queues an end-of-session `Z`, then ends the session once it is written.
  void EndOfSession();
  /// Ends the session now (pending output is dropped).
  void Close();

  uint64_t id() const { return id_; }
  bool open() const { return !closed_ && !closing_; }
  std::string peer() const { return peer_; }

  // State kept for the server.
  int participant = -1;        ///< logged-in participant, or -1
  bool login_pending = false;  ///< a login is being verified
  uint64_t next_seq = 1;       ///< next outbound sequence number to send
  std::shared_ptr<const DayStreams> day;  ///< the trading day (session) it is logged in to
  Clock::time_point last_rx;
  Clock::time_point last_tx;
  Clock::time_point opened;

 private:
  void DoRead();
  void DoWrite();
  void Finish();

  SessionHost* host_;
  boost::asio::ip::tcp::socket socket_;
  uint64_t id_;
  std::string peer_;
  soup::SoupBinParser parser_{soup::Direction::kFromClient};
  std::array<uint8_t, 16384> read_buf_{};
  std::vector<uint8_t> out_;
  std::vector<uint8_t> writing_;
  bool closing_ = false;  // close after the queued output is written
  bool closed_ = false;
};

}  // namespace ccx
