// A blocking SoupBinTCP/OUCH client for the command-line tools and the end-to-end tests:
// connect, log in, send OUCH messages, receive packets with a timeout, and describe what
// was received in one line (text or JSON). POSIX sockets; one connection per object.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gateway/protocol/ouch.h"
#include "gateway/protocol/soupbin.h"

namespace ccx {

/// One received packet (payload copied).
struct ReceivedPacket {
  char type = 0;
  std::vector<uint8_t> payload;
  uint64_t sequence = 0;  ///< for `S` packets: its SoupBinTCP sequence number
};

class OuchClient {
 public:
  OuchClient() = default;
  ~OuchClient();
  OuchClient(const OuchClient&) = delete;
  OuchClient& operator=(const OuchClient&) = delete;

  /// Connects to host:port (TCP, Nagle off).
  absl::Status Connect(const std::string& host, uint16_t port);
  /// Sends a login and waits for the answer: OK with the accepted session and next
  /// sequence number, or an error saying "login rejected: A/S" (or what else happened).
  absl::StatusOr<soup::LoginAccepted> Login(const std::string& user, const std::string& password,
                                            const std::string& session = "", uint64_t seq = 0);
  /// Sends raw bytes (for hostile-input tests).
  absl::Status SendRaw(const void* data, size_t size);
  /// Sends one OUCH message in a `U` packet.
  absl::Status Send(const ouch::Inbound& message);
  absl::Status Heartbeat();
  absl::Status Logout();
  /// The next packet, or nullopt after `timeout_ms` without one; an error once the server
  /// closed the connection (after every packet it sent was returned).
  absl::StatusOr<std::optional<ReceivedPacket>> Receive(int timeout_ms);
  void Close();

  /// The socket, for callers that poll many clients at once.
  int fd() const { return fd_; }
  /// Packets already read and framed but not yet returned by Receive().
  bool has_pending() const { return !pending_.empty(); }
  /// Sequence number the next `S` packet will carry.
  uint64_t next_sequence() const { return next_seq_; }
  /// The session name of the login.
  const std::string& session() const { return session_; }

 private:
  absl::Status WriteAll(const uint8_t* data, size_t size);
  int fd_ = -1;
  soup::SoupBinParser parser_{soup::Direction::kFromServer};
  std::vector<uint8_t> buf_;
  size_t buf_used_ = 0;
  bool eof_ = false;
  uint64_t next_seq_ = 1;
  std::string session_;
  std::vector<ReceivedPacket> pending_;
};

/// One line describing a received packet, e.g.
/// "seq=3 A accepted token=T1 B 100 JCRE @ 3000 ref=17 tif=99999 state=L".
std::string DescribePacket(const ReceivedPacket& p);
/// The same as a JSON object on one line.
std::string DescribePacketJson(const ReceivedPacket& p);

/// Builds an enter-order message (price in yen).
ouch::EnterOrder MakeEnter(const std::string& token, char side, uint32_t qty,
                           const std::string& category, uint32_t price_yen, bool auction_tif);

}  // namespace ccx
