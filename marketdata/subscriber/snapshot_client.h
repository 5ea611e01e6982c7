// SnapshotClient: fetches the market-data snapshot (docs/MARKETDATA.md) over SoupBinTCP:
// connect, log in (market data is public: any username is accepted), read the login
// accepted (session and the MoldUDP64 sequence number of the first feed message the
// snapshot does not cover), then one ITCH message per `S` packet until `Z`. Non-blocking:
// the owner polls fd() and calls Read() when it is readable.
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gateway/protocol/soupbin.h"
#include "marketdata/subscriber/net.h"

namespace ccx::md {

class SnapshotClient {
 public:
  /// Connects to `server` within `timeout_ms` and sends the login request (`username`, at
  /// most 6 characters). An error when the connection cannot be made.
  static absl::StatusOr<SnapshotClient> Connect(const sockaddr_in& server, int timeout_ms,
                                                const std::string& username = "ccxmd");

  /// The socket to poll for reading.
  int fd() const { return fd_.get(); }

  /// Reads whatever has arrived. Returns true once `Z` was received (complete: session(),
  /// next_sequence() and messages() are final and the connection is closed), false while
  /// more is expected, or an error (login rejected, protocol error, connection closed
  /// before `Z`).
  absl::StatusOr<bool> Read();

  bool complete() const { return complete_; }
  const std::string& session() const { return session_; }
  /// MoldUDP64 sequence number of the first feed message the snapshot does not cover.
  uint64_t next_sequence() const { return next_sequence_; }
  /// The state messages, one ITCH message each, in the order sent.
  std::vector<std::vector<uint8_t>>& messages() { return messages_; }

 private:
  explicit SnapshotClient(Fd fd) : fd_(std::move(fd)), parser_(soup::Direction::kFromServer) {}
  absl::StatusOr<bool> OnPacket(const soup::Packet& p);

  Fd fd_;
  soup::SoupBinParser parser_;
  std::vector<uint8_t> chunk_;
  bool logged_in_ = false;
  bool complete_ = false;
  std::string session_;
  uint64_t next_sequence_ = 0;
  std::vector<std::vector<uint8_t>> messages_;
};

}  // namespace ccx::md
