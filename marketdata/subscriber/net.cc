#include "marketdata/subscriber/net.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "fmt/format.h"

namespace ccx::md {
namespace {

absl::Status Errno(std::string_view what) {
  return absl::UnavailableError(fmt::format("{}: {}", what, std::strerror(errno)));
}

absl::Status SetNonBlocking(int fd) {
  const int flags = fcntl(fd, F_GETFL, 0);
  if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) return Errno("fcntl(O_NONBLOCK)");
  return absl::OkStatus();
}

absl::StatusOr<Fd> UdpSocket() {
  Fd fd(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));  // not inherited by children
  if (!fd.valid()) return Errno("socket(UDP)");
  if (absl::Status s = SetNonBlocking(fd.get()); !s.ok()) return s;
  return fd;
}

}  // namespace

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    reset();
    fd_ = other.release();
  }
  return *this;
}

Fd::~Fd() { reset(); }

void Fd::reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

absl::StatusOr<sockaddr_in> ResolveEndpoint(std::string_view host_port) {
  const size_t colon = host_port.rfind(':');
  if (colon == std::string_view::npos) {
    return absl::InvalidArgumentError(
        fmt::format("'{}' is not HOST:PORT (no colon)", host_port));
  }
  std::string host(host_port.substr(0, colon));
  const std::string port_text(host_port.substr(colon + 1));
  char* end = nullptr;
  const long port = std::strtol(port_text.c_str(), &end, 10);
  if (port_text.empty() || *end != '\0' || port < 0 || port > 65535) {
    return absl::InvalidArgumentError(
        fmt::format("'{}': port '{}' is not a number from 0 to 65535", host_port, port_text));
  }
  if (host.empty() || host == "*") host = "0.0.0.0";
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, host.c_str(), &a.sin_addr) == 1) return a;
  addrinfo hints{};
  hints.ai_family = AF_INET;
  addrinfo* found = nullptr;
  const int rc = getaddrinfo(host.c_str(), nullptr, &hints, &found);
  if (rc != 0 || found == nullptr) {
    return absl::NotFoundError(
        fmt::format("'{}': cannot resolve host '{}': {}", host_port, host, gai_strerror(rc)));
  }
  a.sin_addr = reinterpret_cast<const sockaddr_in*>(found->ai_addr)->sin_addr;
  freeaddrinfo(found);
  return a;
}

std::string FormatEndpoint(const sockaddr_in& address) {
  char text[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &address.sin_addr, text, sizeof text);
  return fmt::format("{}:{}", text, ntohs(address.sin_port));
}

absl::StatusOr<Fd> OpenMulticastReceiver(const sockaddr_in& group,
                                         std::string_view interface_address) {
  if ((ntohl(group.sin_addr.s_addr) >> 28) != 0xE) {
    return absl::InvalidArgumentError(
        fmt::format("{} is not a multicast group (224.0.0.0/4)", FormatEndpoint(group)));
  }
  absl::StatusOr<Fd> fd = UdpSocket();
  if (!fd.ok()) return fd.status();
  const int one = 1;
  setsockopt(fd->get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  setsockopt(fd->get(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  // Bound to the group address, the socket receives only that group's datagrams.
  if (bind(fd->get(), reinterpret_cast<const sockaddr*>(&group), sizeof group) != 0) {
    return Errno(fmt::format("bind {}", FormatEndpoint(group)));
  }
  ip_mreq mreq{};
  mreq.imr_multiaddr = group.sin_addr;
  const std::string iface(interface_address.empty() ? "0.0.0.0" : interface_address);
  if (inet_pton(AF_INET, iface.c_str(), &mreq.imr_interface) != 1) {
    return absl::InvalidArgumentError(
        fmt::format("interface '{}' is not an IPv4 address", interface_address));
  }
  if (setsockopt(fd->get(), IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof mreq) != 0) {
    return Errno(fmt::format("join multicast group {} on {}", FormatEndpoint(group), iface));
  }
  return fd;
}

absl::StatusOr<Fd> OpenUdp(const sockaddr_in& address) {
  absl::StatusOr<Fd> fd = UdpSocket();
  if (!fd.ok()) return fd.status();
  if (bind(fd->get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    return Errno(fmt::format("bind {}", FormatEndpoint(address)));
  }
  return fd;
}

absl::StatusOr<sockaddr_in> LocalAddress(int fd) {
  sockaddr_in a{};
  socklen_t len = sizeof a;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) return Errno("getsockname");
  return a;
}

absl::StatusOr<Fd> ConnectTcp(const sockaddr_in& address, int timeout_ms) {
  Fd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return Errno("socket(TCP)");
  if (absl::Status s = SetNonBlocking(fd.get()); !s.ok()) return s;
  const std::string where = FormatEndpoint(address);
  if (connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    if (errno != EINPROGRESS) return Errno(fmt::format("connect {}", where));
    pollfd p{fd.get(), POLLOUT, 0};
    const int n = poll(&p, 1, timeout_ms);
    if (n == 0) {
      return absl::DeadlineExceededError(
          fmt::format("connect {}: no answer within {} ms", where, timeout_ms));
    }
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len);
    if (n < 0 || err != 0) {
      errno = n < 0 ? errno : err;
      return Errno(fmt::format("connect {}", where));
    }
  }
  const int one = 1;
  setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

absl::StatusOr<size_t> ReceiveDatagram(int fd, std::span<uint8_t> buffer, sockaddr_in* from) {
  sockaddr_in sender{};
  socklen_t len = sizeof sender;
  const ssize_t n = recvfrom(fd, buffer.data(), buffer.size(), 0,
                             reinterpret_cast<sockaddr*>(&sender), &len);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return size_t{0};
    // A refused earlier send (ICMP port unreachable) surfaces here on Linux: not fatal.
    if (errno == ECONNREFUSED) return size_t{0};
    return Errno("recvfrom");
  }
  if (from != nullptr) *from = sender;
  return static_cast<size_t>(n);
}

absl::Status SendDatagram(int fd, std::span<const uint8_t> data, const sockaddr_in& to) {
  const ssize_t n = sendto(fd, data.data(), data.size(), 0,
                           reinterpret_cast<const sockaddr*>(&to), sizeof to);
  if (n < 0) return Errno(fmt::format("sendto {}", FormatEndpoint(to)));
  return absl::OkStatus();
}

void SetReceiveBuffer(int fd, int bytes) {
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
}

}  // namespace ccx::md
