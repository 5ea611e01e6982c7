#include "tools/lib/ouch_client.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "fmt/format.h"

namespace ccx {

OuchClient::~OuchClient() { Close(); }

void OuchClient::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

absl::Status OuchClient::Connect(const std::string& host, uint16_t port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  const std::string p = std::to_string(port);
  if (int rc = getaddrinfo(host.c_str(), p.c_str(), &hints, &res); rc != 0) {
    return absl::UnavailableError(fmt::format("{}: {}", host, gai_strerror(rc)));
  }
  int err = 0;
  for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
    fd_ = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd_ < 0) continue;
    if (::connect(fd_, ai->ai_addr, ai->ai_addrlen) == 0) break;
    err = errno;
    ::close(fd_);
    fd_ = -1;
  }
  freeaddrinfo(res);
  if (fd_ < 0) {
    return absl::UnavailableError(fmt::format("cannot connect to {}:{}: {}", host, port, std::strerror(err)));
  }
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  buf_.resize(65536);
  return absl::OkStatus();
}

absl::Status OuchClient::WriteAll(const uint8_t* data, size_t size) {
  while (size > 0) {
    const ssize_t n = ::send(fd_, data, size, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return absl::UnavailableError(fmt::format("send: {}", std::strerror(errno)));
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

absl::Status OuchClient::SendRaw(const void* data, size_t size) {
  return WriteAll(static_cast<const uint8_t*>(data), size);
}

absl::Status OuchClient::Send(const ouch::Inbound& message) {
  uint8_t msg[ouch::kMaxMessageSize];
  const size_t n = ouch::Encode(message, msg);
  uint8_t pkt[soup::kHeaderSize + ouch::kMaxMessageSize];
  return WriteAll(pkt, soup::EncodeUnsequencedData({msg, n}, pkt));
}

absl::Status OuchClient::Heartbeat() {
  uint8_t b[soup::kHeaderSize];
  return WriteAll(b, soup::EncodeClientHeartbeat(b));
}

absl::Status OuchClient::Logout() {
  uint8_t b[soup::kHeaderSize];
  return WriteAll(b, soup::EncodeLogoutRequest(b));
}

absl::StatusOr<soup::LoginAccepted> OuchClient::Login(const std::string& user,
                                                      const std::string& password,
                                                      const std::string& session, uint64_t seq) {
  uint8_t b[soup::kLoginRequestPacket];
  const size_t n = soup::EncodeLoginRequest(soup::LoginRequest{user, password, session, seq}, b);
  if (n == 0) return absl::InvalidArgumentError("username (6), password (10) or session (10) too long");
  if (auto st = WriteAll(b, n); !st.ok()) return st;
  for (;;) {
    auto r = Receive(10000);
    if (!r.ok()) return r.status();
    if (!r->has_value()) return absl::DeadlineExceededError("no answer to the login");
    const ReceivedPacket& p = **r;
    if (p.type == 'J') {
      return absl::PermissionDeniedError(fmt::format("login rejected: {}", static_cast<char>(p.payload.at(0))));
    }
    if (p.type == '+') {
      return absl::PermissionDeniedError("server: " + std::string(p.payload.begin(), p.payload.end()));
    }
    if (p.type == 'A') {
      soup::LoginAccepted a;
      soup::DecodeLoginAccepted(p.payload, &a);
      session_ = std::string(a.session);
      a.session = session_;
      return a;
    }
  }
}

absl::StatusOr<std::optional<ReceivedPacket>> OuchClient::Receive(int timeout_ms) {
  for (;;) {
    if (!pending_.empty()) {
      ReceivedPacket p = std::move(pending_.front());
      pending_.erase(pending_.begin());
      return std::optional<ReceivedPacket>(std::move(p));
    }
    if (eof_) return absl::UnavailableError("connection closed by the server");
    pollfd pfd{fd_, POLLIN, 0};
    const int rc = ::poll(&pfd, 1, timeout_ms);
    if (rc == 0) return std::optional<ReceivedPacket>();
    if (rc < 0 && errno == EINTR) continue;
    const ssize_t n = ::recv(fd_, buf_.data(), buf_.size(), 0);
    if (n <= 0) {
      eof_ = true;
      continue;
    }
    parser_.Feed({buf_.data(), static_cast<size_t>(n)});
    soup::Packet pk;
    for (;;) {
      const auto st = parser_.Next(&pk);
      if (st == soup::ParseStatus::kNeedMore) break;
      if (st != soup::ParseStatus::kPacket) return absl::DataLossError("bad framing from the server: " + parser_.ErrorText());
      ReceivedPacket rp;
      rp.type = static_cast<char>(pk.type);
      rp.payload.assign(pk.payload.begin(), pk.payload.end());
      if (rp.type == 'A') {  // login accepted: numbering starts here, even for packets
        soup::LoginAccepted a;  // that arrived in the same read
        if (soup::DecodeLoginAccepted(rp.payload, &a) == soup::LoginStatus::kOk) {
          next_seq_ = a.next_sequence;
        }
      }
      if (rp.type == 'S') rp.sequence = next_seq_++;
      pending_.push_back(std::move(rp));
    }
  }
}

ouch::EnterOrder MakeEnter(const std::string& token, char side, uint32_t qty,
                           const std::string& category, uint32_t price_yen, bool auction_tif) {
  ouch::EnterOrder o;
  o.token = ouch::MakeToken(token);
  o.side = side;
  o.shares = qty;
  o.stock = ouch::MakeStock(category);
  o.price = price_yen * ouch::kPriceScale;
  o.tif = auction_tif ? 0 : 99999;
  return o;
}

namespace {

std::string Yen(uint32_t wire) {
  return wire % ouch::kPriceScale == 0 ? std::to_string(wire / ouch::kPriceScale)
                                       : fmt::format("{:.4f}", wire / 10000.0);
}

std::string Tod(uint64_t ns) {
  const uint64_t s = ns / 1000000000;
  return fmt::format("{:02}:{:02}:{:02}.{:06}", s / 3600, s / 60 % 60, s % 60, ns / 1000 % 1000000);
}

}  // namespace

std::string DescribePacket(const ReceivedPacket& p) {
  switch (p.type) {
    case 'H': return "H heartbeat";
    case 'Z': return "Z end of session";
    case '+': return "+ debug: " + std::string(p.payload.begin(), p.payload.end());
    case 'J': return fmt::format("J login rejected: {}", p.payload.empty() ? '?' : static_cast<char>(p.payload[0]));
    case 'A': {
      soup::LoginAccepted a;
      soup::DecodeLoginAccepted(p.payload, &a);
      return fmt::format("A login accepted session={} next={}", a.session, a.next_sequence);
    }
    case 'S': break;
    default: return fmt::format("{} packet ({} bytes)", p.type, p.payload.size());
  }
  ouch::Outbound m;
  if (ouch::DecodeOutbound(p.payload, &m) != ouch::DecodeStatus::kOk) {
    return fmt::format("seq={} undecodable OUCH message ({} bytes)", p.sequence, p.payload.size());
  }
  const std::string seq = fmt::format("seq={} ", p.sequence);
  if (auto* x = std::get_if<ouch::SystemEvent>(&m)) {
    return seq + fmt::format("S system event {} {} at {}", x->event_code,
                             x->event_code == 'S' ? "start of day" : "end of day", Tod(x->timestamp));
  }
  if (auto* x = std::get_if<ouch::Accepted>(&m)) {
    return seq + fmt::format("A accepted token={} {} {} {} @ {} ref={} tif={} firm={} state={} at {}",
                             ouch::TokenView(x->token), x->side, x->shares, ouch::StockView(x->stock),
                             Yen(x->price), x->order_ref, x->tif, ouch::FirmView(x->firm),
                             x->order_state, Tod(x->timestamp));
  }
  if (auto* x = std::get_if<ouch::Replaced>(&m)) {
    return seq + fmt::format("U replaced token={} (was {}) {} {} {} @ {} ref={} at {}",
                             ouch::TokenView(x->replacement_token), ouch::TokenView(x->previous_token),
                             x->side, x->shares, ouch::StockView(x->stock), Yen(x->price),
                             x->order_ref, Tod(x->timestamp));
  }
  if (auto* x = std::get_if<ouch::Canceled>(&m)) {
    return seq + fmt::format("C canceled token={} decrement={} reason={} at {}", ouch::TokenView(x->token),
                             x->decrement_shares, x->reason, Tod(x->timestamp));
  }
  if (auto* x = std::get_if<ouch::Executed>(&m)) {
    return seq + fmt::format("E executed token={} qty={} price={} flag={} match={} at {}",
                             ouch::TokenView(x->token), x->executed_shares, Yen(x->execution_price),
                             x->liquidity_flag, x->match_number, Tod(x->timestamp));
  }
  if (auto* x = std::get_if<ouch::Rejected>(&m)) {
    return seq + fmt::format("J rejected token={} reason={} at {}", ouch::TokenView(x->token), x->reason,
                             Tod(x->timestamp));
  }
  if (auto* x = std::get_if<ouch::CancelReject>(&m)) {
    return seq + fmt::format("I cancel rejected token={} at {}", ouch::TokenView(x->token), Tod(x->timestamp));
  }
  return seq + "?";
}

std::string DescribePacketJson(const ReceivedPacket& p) {
  auto q = [](std::string_view s) {
    std::string o = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\') o += '\\';
      if (static_cast<unsigned char>(c) < 0x20) continue;
      o += c;
    }
    return o + "\"";
  };
  if (p.type != 'S') return fmt::format("{{\"packet\":{},\"text\":{}}}", q(std::string(1, p.type)), q(DescribePacket(p)));
  ouch::Outbound m;
  if (ouch::DecodeOutbound(p.payload, &m) != ouch::DecodeStatus::kOk) {
    return fmt::format("{{\"seq\":{},\"error\":\"undecodable\"}}", p.sequence);
  }
  std::string body;
  if (auto* x = std::get_if<ouch::SystemEvent>(&m)) body = fmt::format("\"type\":\"S\",\"event\":\"{}\",\"timestamp\":{}", x->event_code, x->timestamp);
  if (auto* x = std::get_if<ouch::Accepted>(&m)) {
    body = fmt::format("\"type\":\"A\",\"token\":{},\"side\":\"{}\",\"shares\":{},\"stock\":{},\"price\":{},\"tif\":{},\"ref\":{},\"state\":\"{}\",\"timestamp\":{}",
                       q(ouch::TokenView(x->token)), x->side, x->shares, q(ouch::StockView(x->stock)), x->price / ouch::kPriceScale, x->tif, x->order_ref, x->order_state, x->timestamp);
  }
  if (auto* x = std::get_if<ouch::Replaced>(&m)) {
    body = fmt::format("\"type\":\"U\",\"token\":{},\"previous\":{},\"side\":\"{}\",\"shares\":{},\"stock\":{},\"price\":{},\"ref\":{},\"timestamp\":{}",
                       q(ouch::TokenView(x->replacement_token)), q(ouch::TokenView(x->previous_token)), x->side, x->shares, q(ouch::StockView(x->stock)), x->price / ouch::kPriceScale, x->order_ref, x->timestamp);
  }
  if (auto* x = std::get_if<ouch::Canceled>(&m)) body = fmt::format("\"type\":\"C\",\"token\":{},\"decrement\":{},\"reason\":\"{}\",\"timestamp\":{}", q(ouch::TokenView(x->token)), x->decrement_shares, x->reason, x->timestamp);
  if (auto* x = std::get_if<ouch::Executed>(&m)) body = fmt::format("\"type\":\"E\",\"token\":{},\"qty\":{},\"price\":{},\"flag\":\"{}\",\"match\":{},\"timestamp\":{}", q(ouch::TokenView(x->token)), x->executed_shares, x->execution_price / ouch::kPriceScale, x->liquidity_flag, x->match_number, x->timestamp);
  if (auto* x = std::get_if<ouch::Rejected>(&m)) body = fmt::format("\"type\":\"J\",\"token\":{},\"reason\":\"{}\",\"timestamp\":{}", q(ouch::TokenView(x->token)), x->reason, x->timestamp);
  if (auto* x = std::get_if<ouch::CancelReject>(&m)) body = fmt::format("\"type\":\"I\",\"token\":{},\"timestamp\":{}", q(ouch::TokenView(x->token)), x->timestamp);
  return fmt::format("{{\"seq\":{},{}}}", p.sequence, body);
}

}  // namespace ccx
