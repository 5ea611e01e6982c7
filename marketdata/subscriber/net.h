// Small POSIX socket helpers for the market-data subscriber (IPv4): address parsing, UDP
// sockets for the feed (multicast group or unicast port) and for retransmission requests,
// and a TCP client connection for the snapshot service. Sockets are non-blocking and
// close themselves (RAII). Errors are Status values that name the address and the call.
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace ccx::md {

/// "HOST:PORT" resolved to an IPv4 address (HOST a name or dotted quad; an empty HOST or
/// "*" is 0.0.0.0). InvalidArgument when malformed, NotFound when the name does not resolve.
absl::StatusOr<sockaddr_in> ResolveEndpoint(std::string_view host_port);

/// "a.b.c.d:port" of an address.
std::string FormatEndpoint(const sockaddr_in& address);

/// An owned file descriptor (closed on destruction), move-only.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(other.release()) {}
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd();
  int get() const { return fd_; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  bool valid() const { return fd_ >= 0; }
  void reset();

 private:
  int fd_ = -1;
};

/// A non-blocking UDP socket bound to `group`'s port that has joined the multicast group
/// `group` on the local interface `interface_address` (dotted quad; "0.0.0.0" lets the
/// kernel choose). SO_REUSEADDR/SO_REUSEPORT are set so several subscribers on one host
/// can join the same group.
absl::StatusOr<Fd> OpenMulticastReceiver(const sockaddr_in& group, std::string_view interface_address);

/// A non-blocking UDP socket bound to `address` (port 0: any free port).
absl::StatusOr<Fd> OpenUdp(const sockaddr_in& address);

/// The local address a socket is bound to.
absl::StatusOr<sockaddr_in> LocalAddress(int fd);

/// A TCP connection to `address`, established within `timeout_ms`, then non-blocking.
absl::StatusOr<Fd> ConnectTcp(const sockaddr_in& address, int timeout_ms);

/// Receives one datagram into `buffer` (make it 65,536 bytes so nothing is cut): its size,
/// 0 when nothing is waiting (EAGAIN), or an error. `from` (optional) receives the sender.
absl::StatusOr<size_t> ReceiveDatagram(int fd, std::span<uint8_t> buffer, sockaddr_in* from = nullptr);

/// Sends one datagram to `to`; an error if the kernel refuses it.
absl::Status SendDatagram(int fd, std::span<const uint8_t> data, const sockaddr_in& to);

/// Sets the kernel receive buffer (best effort; the kernel may cap it).
void SetReceiveBuffer(int fd, int bytes);

}  // namespace ccx::md
