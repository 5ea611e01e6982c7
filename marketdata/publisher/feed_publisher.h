// FeedPublisher: sends the exchange's ITCH feed as MoldUDP64 packets over UDP (multicast
// or unicast destinations), answers retransmission requests for the current (and the
// previous) session, and sends heartbeats and end-of-session packets. It runs on its own
// Asio thread and only *reads* the day logs the engine thread released (FeedBuilder), so a
// slow, absent or hostile subscriber changes nothing for the engine.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio.hpp>

#include "absl/status/statusor.h"
#include "marketdata/feed/feed_builder.h"

namespace ccx {

struct PublisherOptions {
  /// Feed destinations "ADDR:PORT": a multicast group (TTL 1) or unicast addresses.
  std::vector<std::string> destinations = {"239.255.42.1:30001"};
  std::string listen = "127.0.0.1";  ///< address of the retransmission server
  uint16_t retrans_port = 26402;     ///< 0 = any free port
  int heartbeat_ms = 1000;           ///< heartbeat after this long without data
  uint16_t max_retrans_messages = 2000;  ///< most messages answered per request
  /// After a restart: the session whose first `resume_after` messages (rebuilt from the
  /// journal) are not sent again live (retransmission serves them).
  std::string resume_session;
  uint64_t resume_after = 0;
};

class FeedPublisher {
 public:
  /// The current and previous day's feed, as released by the engine thread.
  using DaysFn = std::function<std::pair<std::shared_ptr<const FeedDay>, std::shared_ptr<const FeedDay>>()>;

  /// Binds the sockets on `io` (run by the caller's market-data thread). Errors name the
  /// address that could not be used.
  static absl::StatusOr<std::unique_ptr<FeedPublisher>> Create(boost::asio::io_context& io,
                                                               PublisherOptions options,
                                                               DaysFn days);
  ~FeedPublisher();

  /// Any thread: new messages may have been released; sends them soon on the io thread.
  void Notify();
  /// Any thread: sends what has been released now, on the calling thread (the exchange's
  /// gateway thread does this right after answering the orders it ran, which costs a few
  /// sendto calls instead of waking the market-data thread).
  void SendNow();
  /// Starts heartbeats and the retransmission server (call once, before running io).
  void Start();
  /// io thread: closes the sockets.
  void Stop();

  uint16_t retrans_port() const;

 private:
  FeedPublisher(boost::asio::io_context& io, PublisherOptions options, DaysFn days);
  absl::Status Open();
  void Pump();
  /// Sends the released messages of `day` after sent_; sent_ follows.
  void SendReleased(const FeedDay& day);
  void SendRange(const FeedDay& day, uint64_t first, uint64_t last,
                 const std::vector<boost::asio::ip::udp::endpoint>& to);
  void SendPacket(std::span<const uint8_t> packet, const std::vector<boost::asio::ip::udp::endpoint>& to);
  void ArmHeartbeat();
  void SendEndOfSession();
  static constexpr int kEndOfSessionRepeats = 5;
  void ReceiveRequest();

  boost::asio::io_context& io_;
  PublisherOptions opt_;
  DaysFn days_;
  boost::asio::ip::udp::socket out_;
  boost::asio::ip::udp::socket retrans_;
  boost::asio::steady_timer heartbeat_;
  std::vector<boost::asio::ip::udp::endpoint> dests_;
  std::shared_ptr<const FeedDay> day_;  // the session being sent
  uint64_t sent_ = 0;                   // messages of day_ sent
  std::shared_ptr<const FeedDay> ended_;  // the last session that ended
  int eos_repeats_ = 0;                   // end-of-session packets still to repeat
  std::atomic<bool> pump_posted_{false};
  std::chrono::steady_clock::time_point last_send_;
  std::array<uint8_t, 20> request_{};
  boost::asio::ip::udp::endpoint requester_;
  bool send_error_logged_ = false;
  bool stopped_ = false;
  std::mutex mu_;  // sending state: Pump and SendNow may run on different threads
};

}  // namespace ccx
