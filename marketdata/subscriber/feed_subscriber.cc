#include "marketdata/subscriber/feed_subscriber.h"

#include <arpa/inet.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "fmt/format.h"

namespace ccx::md {
namespace {

using Clock = FeedSequencer::Clock;

constexpr size_t kMaxDatagram = 65536;
// Packets taken from one socket per Poll before looking at the others.
constexpr int kMaxBurst = 4096;
// Live packets kept while the snapshot downloads; beyond this they become a gap that the
// retransmission server fills.
constexpr size_t kMaxHeld = 1 << 18;

FeedSequencer::Options SequencerOptions(const FeedSubscriberOptions& o) {
  FeedSequencer::Options s;
  s.can_request = !o.retrans.empty();
  s.request_timeout = std::chrono::milliseconds(std::max(1, o.request_timeout_ms));
  s.max_request_count = o.max_request_count;
  return s;
}

}  // namespace

FeedSubscriber::FeedSubscriber(const FeedSubscriberOptions& options, FeedHandler handler)
    : options_(options),
      handler_(std::move(handler)),
      sequencer_(SequencerOptions(options),
                 FeedSequencer::Callbacks{
                     .on_session =
                         [this](std::string_view s) {
                           if (handler_.on_session) handler_.on_session(s);
                         },
                     .on_message = [this](uint64_t seq,
                                          std::span<const uint8_t> b) { Deliver(seq, b, false); },
                     .on_end_of_session =
                         [this](std::string_view s) {
                           if (handler_.on_end_of_session) handler_.on_end_of_session(s);
                         },
                     .on_lost =
                         [this](uint64_t first, uint64_t count) {
                           Warn(fmt::format("messages {} to {} lost (no retransmission server)",
                                            first, first + count - 1));
                         },
                 }),
      buffer_(kMaxDatagram) {}

FeedSubscriber::~FeedSubscriber() = default;

absl::StatusOr<std::unique_ptr<FeedSubscriber>> FeedSubscriber::Open(
    const FeedSubscriberOptions& options, FeedHandler handler) {
  if (options.group.empty() == options.listen.empty()) {
    return absl::InvalidArgumentError(
        "give exactly one of a multicast group (--group ADDR:PORT) or a unicast address "
        "(--listen ADDR:PORT)");
  }
  if (options.drop_every < 0) return absl::InvalidArgumentError("drop_every must be >= 0");
  std::unique_ptr<FeedSubscriber> sub(new FeedSubscriber(options, std::move(handler)));
  const bool multicast = !options.group.empty();
  absl::StatusOr<sockaddr_in> feed = ResolveEndpoint(multicast ? options.group : options.listen);
  if (!feed.ok()) return feed.status();
  absl::StatusOr<Fd> fd = multicast ? OpenMulticastReceiver(*feed, options.interface_address)
                                    : OpenUdp(*feed);
  if (!fd.ok()) return fd.status();
  sub->feed_ = std::move(*fd);
  SetReceiveBuffer(sub->feed_.get(), 8 << 20);
  absl::StatusOr<sockaddr_in> bound = LocalAddress(sub->feed_.get());
  if (!bound.ok()) return bound.status();
  sub->feed_port_ = ntohs(bound->sin_port);

  if (!options.retrans.empty()) {
    absl::StatusOr<sockaddr_in> server = ResolveEndpoint(options.retrans);
    if (!server.ok()) return server.status();
    sub->retrans_server_ = *server;
    sockaddr_in any{};
    any.sin_family = AF_INET;
    absl::StatusOr<Fd> rfd = OpenUdp(any);
    if (!rfd.ok()) return rfd.status();
    sub->requests_ = std::move(*rfd);
    SetReceiveBuffer(sub->requests_.get(), 8 << 20);
    absl::StatusOr<sockaddr_in> rb = LocalAddress(sub->requests_.get());
    if (!rb.ok()) return rb.status();
    sub->request_port_ = ntohs(rb->sin_port);
  }

  if (!options.snapshot.empty()) {
    absl::StatusOr<sockaddr_in> server = ResolveEndpoint(options.snapshot);
    if (!server.ok()) return server.status();
    absl::StatusOr<SnapshotClient> client = SnapshotClient::Connect(*server, options.connect_timeout_ms);
    if (!client.ok()) return client.status();
    sub->snapshot_ = std::make_unique<SnapshotClient>(std::move(*client));
  }
  return sub;
}

void FeedSubscriber::Warn(const std::string& text) {
  if (handler_.on_warning) handler_.on_warning(text);
}

void FeedSubscriber::Deliver(uint64_t sequence, std::span<const uint8_t> bytes, bool snapshot) {
  itch::Message m;
  const itch::DecodeStatus s = itch::DecodeMessage(bytes, &m);
  // (Not `cond ? *session : ""`: that would make a temporary std::string to view.)
  std::string_view session;
  if (sequencer_.session()) session = *sequencer_.session();
  if (s != itch::DecodeStatus::kOk) {
    Warn(fmt::format("message {}: cannot decode ({} bytes): {}", sequence, bytes.size(),
                     itch::ToString(s)));
  } else if (options_.keep_book) {
    if (absl::Status a = book_.Apply(m); !a.ok()) {
      ++stats_.book_errors;
      Warn(fmt::format("message {}: {}", sequence, std::string(a.message())));
    }
  }
  if (handler_.on_message) {
    handler_.on_message(FeedMessage{session, sequence, snapshot, bytes,
                                    s == itch::DecodeStatus::kOk ? &m : nullptr});
  }
}

void FeedSubscriber::OnDatagram(std::span<const uint8_t> packet, bool retransmission) {
  mold::Header header;
  const mold::ParseStatus s = mold::ParsePacket(packet, &header);
  if (s != mold::ParseStatus::kOk) {
    ++stats_.bad_packets;
    Warn(fmt::format("ignored a {}-byte datagram: {}", packet.size(), mold::ToString(s)));
    return;
  }
  if (header.heartbeat()) ++stats_.heartbeats;
  sequencer_.OnPacket(header, packet, retransmission, Clock::now());
}

absl::Status FeedSubscriber::Drain(int fd, bool retransmission) {
  for (int i = 0; i < kMaxBurst; ++i) {
    absl::StatusOr<size_t> n = ReceiveDatagram(fd, buffer_);
    if (!n.ok()) return n.status();
    if (*n == 0) break;
    const std::span<const uint8_t> packet(buffer_.data(), *n);
    if (retransmission) {
      ++stats_.retrans_packets;
      if (!snapshot_) OnDatagram(packet, true);
      continue;
    }
    ++stats_.packets;
    if (options_.drop_every > 0 && stats_.packets % static_cast<uint64_t>(options_.drop_every) == 0) {
      ++stats_.dropped;
      continue;
    }
    if (snapshot_) {
      if (held_.size() < kMaxHeld) held_.emplace_back(packet.begin(), packet.end());
      continue;
    }
    OnDatagram(packet, false);
  }
  return absl::OkStatus();
}

absl::Status FeedSubscriber::ReadSnapshot() {
  absl::StatusOr<bool> done = snapshot_->Read();
  if (!done.ok()) {
    snapshot_.reset();
    return done.status();
  }
  if (!*done) return absl::OkStatus();
  // The snapshot is state: it replaces the book (its first message, `S` 'O', clears it),
  // then the live feed continues from the announced sequence number.
  std::unique_ptr<SnapshotClient> snap = std::move(snapshot_);
  sequencer_.Start(snap->session(), snap->next_sequence());
  for (const std::vector<uint8_t>& m : snap->messages()) {
    ++stats_.snapshot_messages;
    Deliver(0, m, true);
  }
  if (handler_.on_snapshot) handler_.on_snapshot(snap->session(), snap->next_sequence());
  std::vector<std::vector<uint8_t>> held = std::move(held_);
  held_.clear();
  for (const std::vector<uint8_t>& p : held) OnDatagram(p, false);
  return absl::OkStatus();
}

absl::Status FeedSubscriber::SendRequests() {
  if (!retrans_server_ || snapshot_) return absl::OkStatus();
  for (const mold::Request& r : sequencer_.DueRequests(Clock::now())) {
    uint8_t packet[mold::kRequestSize];
    mold::EncodeRequest(r, packet);
    if (absl::Status s = SendDatagram(requests_.get(), packet, *retrans_server_); !s.ok()) {
      Warn(fmt::format("retransmission request: {}", std::string(s.message())));
    }
  }
  return absl::OkStatus();
}

absl::Status FeedSubscriber::Poll(int timeout_ms) {
  if (!retrans_server_ && !snapshot_) sequencer_.DueRequests(Clock::now());  // give up old gaps
  // Wake in time for a due retransmission request.
  // (time_point::min() means "now": compare before subtracting, which would overflow.)
  const Clock::time_point deadline = sequencer_.NextDeadline(), now = Clock::now();
  if (!snapshot_ && deadline <= now) {
    timeout_ms = 0;
  } else if (!snapshot_ && deadline != Clock::time_point::max()) {
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    timeout_ms = static_cast<int>(std::clamp<int64_t>(wait.count() + 1, 0, timeout_ms));
  }
  pollfd fds[3];
  nfds_t n = 0;
  fds[n++] = pollfd{feed_.get(), POLLIN, 0};
  const int requests_at = requests_.valid() ? static_cast<int>(n) : -1;
  if (requests_.valid()) fds[n++] = pollfd{requests_.get(), POLLIN, 0};
  const int snapshot_at = snapshot_ ? static_cast<int>(n) : -1;
  if (snapshot_) fds[n++] = pollfd{snapshot_->fd(), POLLIN, 0};
  const int ready = ::poll(fds, n, timeout_ms);
  if (ready < 0 && errno != EINTR) {
    return absl::UnavailableError(fmt::format("poll: {}", std::strerror(errno)));
  }
  if (ready > 0) {
    if (snapshot_at >= 0 && (fds[snapshot_at].revents & (POLLIN | POLLHUP | POLLERR))) {
      if (absl::Status s = ReadSnapshot(); !s.ok()) return s;
    }
    if (fds[0].revents & POLLIN) {
      if (absl::Status s = Drain(feed_.get(), false); !s.ok()) return s;
    }
    if (requests_at >= 0 && (fds[requests_at].revents & POLLIN)) {
      if (absl::Status s = Drain(requests_.get(), true); !s.ok()) return s;
    }
  }
  if (!retrans_server_ && !snapshot_) sequencer_.DueRequests(Clock::now());
  return SendRequests();
}

FeedStats FeedSubscriber::stats() const {
  FeedStats s = stats_;
  s.sequencer = sequencer_.stats();
  return s;
}

}  // namespace ccx::md
