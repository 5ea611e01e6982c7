// SnapshotServer: the market-data snapshot service (PROTOCOL.md §4). A late joiner connects
// over TCP and logs in with SoupBinTCP (market data is public: any username and password
// are accepted); the login-accepted sequence number is the MoldUDP64 sequence number of the
// first feed message the snapshot does not cover; then the current state follows as ITCH
// messages, one per `S` packet, then `Z`, and the server closes the connection. Runs on
// the market-data thread; the state comes from a provider called on that thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>  // before Boost.Asio, whose awaitable.hpp needs std::exchange
#include <vector>

#include <boost/asio.hpp>

#include "absl/status/statusor.h"

namespace ccx {

/// The state a snapshot serves.
struct SnapshotData {
  std::string session;                      ///< MoldUDP64 session ("YYYYMMDD"); empty = none yet
  uint64_t next_sequence = 1;               ///< first feed message not covered
  std::vector<std::vector<uint8_t>> messages;  ///< ITCH messages
};

class SnapshotServer {
 public:
  using Provider = std::function<SnapshotData()>;

  /// Listens on `listen`:`port` (0 = any free port).
  static absl::StatusOr<std::unique_ptr<SnapshotServer>> Create(boost::asio::io_context& io,
                                                                const std::string& listen,
                                                                uint16_t port, Provider provider);
  /// Starts accepting (io thread).
  void Start();
  /// Closes the listening socket (io thread).
  void Stop();
  uint16_t port() const;
  uint64_t snapshots_served() const { return served_; }

 private:
  SnapshotServer(boost::asio::io_context& io, Provider provider);
  void Accept();

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  Provider provider_;
  uint64_t served_ = 0;
  bool stopped_ = false;
};

}  // namespace ccx
