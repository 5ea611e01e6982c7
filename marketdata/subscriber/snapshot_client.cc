#include "marketdata/subscriber/snapshot_client.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "fmt/format.h"

namespace ccx::md {

absl::StatusOr<SnapshotClient> SnapshotClient::Connect(const sockaddr_in& server, int timeout_ms,
                                                       const std::string& username) {
  absl::StatusOr<Fd> fd = ConnectTcp(server, timeout_ms);
  if (!fd.ok()) return fd.status();
  uint8_t login[soup::kLoginRequestPacket];
  soup::LoginRequest request;
  request.username = std::string_view(username).substr(0, soup::kUsernameSize);
  request.password = "";
  request.session = "";
  request.sequence = 0;
  const size_t n = soup::EncodeLoginRequest(request, login);
  // A fresh connection's send buffer takes 49 bytes at once.
  if (::send(fd->get(), login, n, MSG_NOSIGNAL) != static_cast<ssize_t>(n)) {
    return absl::UnavailableError(fmt::format("snapshot {}: sending the login failed: {}",
                                              FormatEndpoint(server), std::strerror(errno)));
  }
  SnapshotClient client(std::move(*fd));
  client.chunk_.resize(64 * 1024);
  return client;
}

absl::StatusOr<bool> SnapshotClient::OnPacket(const soup::Packet& p) {
  switch (p.type) {
    case soup::PacketType::kLoginAccepted: {
      soup::LoginAccepted accepted;
      if (soup::DecodeLoginAccepted(p.payload, &accepted) != soup::LoginStatus::kOk) {
        return absl::DataLossError("snapshot: malformed login accepted packet");
      }
      session_ = std::string(accepted.session);
      next_sequence_ = accepted.next_sequence;
      logged_in_ = true;
      return false;
    }
    case soup::PacketType::kLoginRejected:
      return absl::PermissionDeniedError(fmt::format(
          "snapshot: login rejected (reason '{}')",
          p.payload.empty() ? '?' : static_cast<char>(p.payload[0])));
    case soup::PacketType::kSequencedData:
      if (!logged_in_) return absl::DataLossError("snapshot: data before login accepted");
      messages_.emplace_back(p.payload.begin(), p.payload.end());
      return false;
    case soup::PacketType::kEndOfSession:
      if (!logged_in_) return absl::DataLossError("snapshot: end of session before login");
      complete_ = true;
      return true;
    case soup::PacketType::kDebug:
    case soup::PacketType::kServerHeartbeat:
    default:
      return false;
  }
}

absl::StatusOr<bool> SnapshotClient::Read() {
  if (complete_) return true;
  for (;;) {
    const ssize_t n = ::recv(fd_.get(), chunk_.data(), chunk_.size(), 0);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return false;
      return absl::UnavailableError(fmt::format("snapshot: recv: {}", std::strerror(errno)));
    }
    if (n == 0) {
      return absl::UnavailableError(fmt::format(
          "snapshot: the server closed the connection before the end ({} messages received)",
          messages_.size()));
    }
    parser_.Feed(std::span<const uint8_t>(chunk_.data(), static_cast<size_t>(n)));
    for (;;) {
      soup::Packet p;
      const soup::ParseStatus s = parser_.Next(&p);
      if (s == soup::ParseStatus::kNeedMore) break;
      if (s != soup::ParseStatus::kPacket) {
        return absl::DataLossError(fmt::format("snapshot: {}", parser_.ErrorText()));
      }
      absl::StatusOr<bool> done = OnPacket(p);
      if (!done.ok()) return done.status();
      if (*done) {
        uint8_t logout[soup::kHeaderSize];
        ::send(fd_.get(), logout, soup::EncodeLogoutRequest(logout), MSG_NOSIGNAL);
        fd_.reset();
        return true;
      }
    }
  }
}

}  // namespace ccx::md
