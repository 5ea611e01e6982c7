#include "marketdata/publisher/feed_publisher.h"

#include <cstdio>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "marketdata/protocol/moldudp64.h"

namespace ccx {

namespace asio = boost::asio;
using udp = asio::ip::udp;

namespace {

absl::StatusOr<udp::endpoint> ParseEndpoint(const std::string& text) {
  const auto colon = text.rfind(':');
  uint32_t port = 0;
  if (colon == std::string::npos || !absl::SimpleAtoi(text.substr(colon + 1), &port) || port == 0 ||
      port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("--md-dest ", text, ": expected ADDR:PORT"));
  }
  boost::system::error_code ec;
  const auto addr = asio::ip::make_address(text.substr(0, colon), ec);
  if (ec) return absl::InvalidArgumentError(absl::StrCat("--md-dest ", text, ": ", ec.message()));
  return udp::endpoint(addr, static_cast<uint16_t>(port));
}

}  // namespace

FeedPublisher::FeedPublisher(asio::io_context& io, PublisherOptions options, DaysFn days)
    : io_(io), opt_(std::move(options)), days_(std::move(days)),
      out_(io), retrans_(io), heartbeat_(io) {}

FeedPublisher::~FeedPublisher() = default;

absl::StatusOr<std::unique_ptr<FeedPublisher>> FeedPublisher::Create(asio::io_context& io,
                                                                     PublisherOptions options,
                                                                     DaysFn days) {
  std::unique_ptr<FeedPublisher> p(new FeedPublisher(io, std::move(options), std::move(days)));
  if (auto st = p->Open(); !st.ok()) return st;
  return p;
}

absl::Status FeedPublisher::Open() {
  boost::system::error_code ec;
  for (const std::string& d : opt_.destinations) {
    auto ep = ParseEndpoint(d);
    if (!ep.ok()) return ep.status();
    dests_.push_back(*ep);
  }
  out_.open(udp::v4(), ec);
  if (ec) return absl::UnavailableError(absl::StrCat("market data socket: ", ec.message()));
  out_.set_option(asio::ip::multicast::hops(1), ec);
  out_.set_option(asio::ip::multicast::enable_loopback(true), ec);
  out_.non_blocking(true, ec);
  const auto listen = asio::ip::make_address(opt_.listen, ec);
  if (ec) return absl::InvalidArgumentError(absl::StrCat("--listen ", opt_.listen, ": ", ec.message()));
  retrans_.open(udp::v4(), ec);
  retrans_.set_option(asio::socket_base::reuse_address(true), ec);
  retrans_.bind(udp::endpoint(listen, opt_.retrans_port), ec);
  if (ec) {
    return absl::UnavailableError(absl::StrCat("cannot bind the retransmission server to ", opt_.listen,
                                               ":", opt_.retrans_port, ": ", ec.message()));
  }
  last_send_ = std::chrono::steady_clock::now();
  return absl::OkStatus();
}

uint16_t FeedPublisher::retrans_port() const {
  boost::system::error_code ec;
  return retrans_.local_endpoint(ec).port();
}

void FeedPublisher::Start() {
  ReceiveRequest();
  ArmHeartbeat();
  Notify();
}

void FeedPublisher::Stop() {
  std::lock_guard<std::mutex> l(mu_);
  stopped_ = true;
  boost::system::error_code ec;
  heartbeat_.cancel();
  retrans_.close(ec);
  out_.close(ec);
}

void FeedPublisher::Notify() {
  if (pump_posted_.exchange(true)) return;
  asio::post(io_, [this] {
    pump_posted_.store(false);
    std::lock_guard<std::mutex> l(mu_);
    Pump();
  });
}

void FeedPublisher::SendNow() {
  std::lock_guard<std::mutex> l(mu_);
  Pump();
}

void FeedPublisher::SendPacket(std::span<const uint8_t> packet, const std::vector<udp::endpoint>& to) {
  for (const auto& ep : to) {
    boost::system::error_code ec;
    out_.send_to(asio::buffer(packet.data(), packet.size()), ep, 0, ec);
    if (ec && !send_error_logged_) {
      send_error_logged_ = true;  // e.g. no multicast route: say so once, keep going
      std::fprintf(stderr, "ccx-exchange: market data: send to %s:%u failed: %s\n",
                   ep.address().to_string().c_str(), ep.port(), ec.message().c_str());
    }
  }
  last_send_ = std::chrono::steady_clock::now();
}

void FeedPublisher::SendRange(const FeedDay& day, uint64_t first, uint64_t last,
                              const std::vector<udp::endpoint>& to) {
  std::array<uint8_t, mold::kMaxUdpPayload> buf;
  mold::PacketBuilder b(buf);
  const mold::Session session = mold::MakeSession(day.session);
  b.Start(session, first);
  for (uint64_t s = first; s <= last; ++s) {
    const auto msg = day.log.message(s);
    if (!b.Add(msg)) {
      SendPacket(b.packet(), to);
      b.Start(session, s);
      b.Add(msg);
    }
  }
  if (!b.empty()) SendPacket(b.packet(), to);
}

void FeedPublisher::SendReleased(const FeedDay& day) {
  const uint64_t end = day.log.released();
  if (end > sent_) SendRange(day, sent_ + 1, end, dests_);
  sent_ = std::max(sent_, end);
}

void FeedPublisher::Pump() {
  if (stopped_) return;
  auto [cur, prev] = days_();
  if (!cur) return;
  if (day_ != cur) {
    if (day_ && day_ == prev) {
      // The day ended: the rest of it, then end of session.
      SendReleased(*day_);
      ended_ = day_;
      eos_repeats_ = kEndOfSessionRepeats;
      SendEndOfSession();
    }
    day_ = cur;
    // A restarted exchange goes on from where its journal ended: subscribers get the
    // messages before that from the retransmission server. A new day starts at 1.
    sent_ = day_->session == opt_.resume_session ? std::min(opt_.resume_after, day_->log.released()) : 0;
  }
  SendReleased(*day_);
}

void FeedPublisher::SendEndOfSession() {
  // It is not a message, so retransmission cannot recover it: it goes out again with the
  // next few heartbeats, so that a subscriber that lost it still sees the day end.
  if (!ended_ || eos_repeats_ <= 0) return;
  --eos_repeats_;
  uint8_t z[mold::kHeaderSize];
  SendPacket({z, mold::EncodeEndOfSession(mold::MakeSession(ended_->session), ended_->log.released() + 1, z)},
             dests_);
}

void FeedPublisher::ArmHeartbeat() {
  heartbeat_.expires_after(std::chrono::milliseconds(std::max(10, opt_.heartbeat_ms / 4)));
  heartbeat_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_) return;
    std::unique_lock<std::mutex> l(mu_);
    Pump();
    if (day_ && std::chrono::steady_clock::now() - last_send_ >= std::chrono::milliseconds(opt_.heartbeat_ms)) {
      uint8_t h[mold::kHeaderSize];
      SendPacket({h, mold::EncodeHeartbeat(mold::MakeSession(day_->session), sent_ + 1, h)}, dests_);
      SendEndOfSession();
    }
    l.unlock();
    ArmHeartbeat();
  });
}

void FeedPublisher::ReceiveRequest() {
  retrans_.async_receive_from(asio::buffer(request_), requester_,
                              [this](boost::system::error_code ec, size_t n) {
    if (stopped_ || ec == asio::error::operation_aborted) return;
    mold::Request req;
    if (!ec && mold::DecodeRequest({request_.data(), n}, &req) == mold::ParseStatus::kOk) {
      std::lock_guard<std::mutex> l(mu_);
      auto [cur, prev] = days_();
      const std::string_view name = mold::SessionView(req.session);
      const FeedDay* day = nullptr;
      if (cur && name == cur->session) day = cur.get();
      if (prev && name == prev->session) day = prev.get();
      // Only what was already published live can be retransmitted.
      const uint64_t avail = day == nullptr ? 0 : (day == day_.get() ? sent_ : day->log.released());
      if (day != nullptr && req.sequence >= 1 && req.sequence <= avail && req.count > 0) {
        const uint64_t last = std::min<uint64_t>(avail, req.sequence + std::min(req.count, opt_.max_retrans_messages) - 1);
        SendRange(*day, req.sequence, last, {requester_});
      }
    }
    ReceiveRequest();
  });
}

}  // namespace ccx
