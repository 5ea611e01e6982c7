// A small in-test market-data publisher on loopback: sends a day's ITCH messages as
// MoldUDP64 packets to a unicast port (the test decides when, in what order, and what to
// leave out), answers retransmission requests, and serves SoupBinTCP snapshots built by an
// ItchBook fed with everything published. The retransmission and snapshot services run on
// a background thread; publishing runs on the caller's thread.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gateway/protocol/soupbin.h"
#include "marketdata/book/itch_book.h"
#include "marketdata/protocol/moldudp64.h"
#include "marketdata/subscriber/net.h"

namespace ccx::mdtest {

class FakePublisher {
 public:
  using Bytes = std::vector<uint8_t>;

  FakePublisher() {
    sockaddr_in lo{};
    lo.sin_family = AF_INET;
    lo.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    out_ = std::move(*md::OpenUdp(lo));
    retrans_ = std::move(*md::OpenUdp(lo));
    retrans_port_ = ntohs(md::LocalAddress(retrans_.get())->sin_port);
    listener_ = md::Fd(socket(AF_INET, SOCK_STREAM, 0));
    const int one = 1;
    setsockopt(listener_.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    REQUIRE(bind(listener_.get(), reinterpret_cast<sockaddr*>(&lo), sizeof lo) == 0);
    REQUIRE(listen(listener_.get(), 8) == 0);
    snapshot_port_ = ntohs(md::LocalAddress(listener_.get())->sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~FakePublisher() {
    stop_ = true;
    thread_.join();
  }

  uint16_t retrans_port() const { return retrans_port_; }
  uint16_t snapshot_port() const { return snapshot_port_; }
  std::string retrans() const { return "127.0.0.1:" + std::to_string(retrans_port_); }
  std::string snapshot() const { return "127.0.0.1:" + std::to_string(snapshot_port_); }

  /// Where live packets go.
  void SendTo(uint16_t port) {
    dest_ = sockaddr_in{};
    dest_.sin_family = AF_INET;
    dest_.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    dest_.sin_port = htons(port);
  }
  /// Live packets go to multicast `group` ("a.b.c.d") on `port`, through the loopback
  /// interface (TTL 1, looped back to this host).
  void SendToGroup(const std::string& group, uint16_t port) {
    dest_ = sockaddr_in{};
    dest_.sin_family = AF_INET;
    REQUIRE(inet_pton(AF_INET, group.c_str(), &dest_.sin_addr) == 1);
    dest_.sin_port = htons(port);
    in_addr lo{};
    lo.s_addr = htonl(INADDR_LOOPBACK);
    const unsigned char ttl = 1, loop = 1;
    setsockopt(out_.get(), IPPROTO_IP, IP_MULTICAST_IF, &lo, sizeof lo);
    setsockopt(out_.get(), IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl);
    setsockopt(out_.get(), IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof loop);
  }
  /// Starts a new session (day): messages from 1.
  void NewSession(const std::string& name) {
    std::lock_guard<std::mutex> lock(mu_);
    session_ = name;
    messages_.clear();
    book_.Clear();
  }
  /// Adds messages to the day (published, so retransmission and snapshot know them) and
  /// returns the packets that would carry them live (up to `per_packet` messages each),
  /// without sending anything: the test sends, reorders or leaves out packets.
  std::vector<Bytes> Publish(const std::vector<Bytes>& msgs, size_t per_packet = 8) {
    std::lock_guard<std::mutex> lock(mu_);
    const uint64_t first = messages_.size() + 1;
    for (const Bytes& m : msgs) {
      messages_.push_back(m);
      REQUIRE(book_.ApplyBytes(m).ok());
    }
    return Packets(first, messages_.size(), per_packet);
  }
  /// Publishes and sends at once, in order.
  void PublishAndSend(const std::vector<Bytes>& msgs, size_t per_packet = 8) {
    for (const Bytes& p : Publish(msgs, per_packet)) Send(p);
  }
  void Send(const Bytes& packet) {
    REQUIRE(md::SendDatagram(out_.get(), packet, dest_).ok());
  }
  void SendHeartbeat() {
    Bytes p(mold::kHeaderSize);
    std::lock_guard<std::mutex> lock(mu_);
    mold::EncodeHeartbeat(mold::MakeSession(session_), messages_.size() + 1, p.data());
    REQUIRE(md::SendDatagram(out_.get(), p, dest_).ok());
  }
  void SendEndOfSession() {
    Bytes p(mold::kHeaderSize);
    std::lock_guard<std::mutex> lock(mu_);
    mold::EncodeEndOfSession(mold::MakeSession(session_), messages_.size() + 1, p.data());
    REQUIRE(md::SendDatagram(out_.get(), p, dest_).ok());
  }
  /// The next `n` retransmission requests go unanswered.
  void IgnoreRequests(int n) { ignore_ = n; }
  uint64_t requests() const { return requests_; }
  uint64_t snapshots() const { return snapshots_; }
  std::string StateText() {
    std::lock_guard<std::mutex> lock(mu_);
    return book_.StateText();
  }
  std::vector<Bytes> messages() {
    std::lock_guard<std::mutex> lock(mu_);
    return messages_;
  }

 private:
  // Packets for messages [first, last] (1-based, mu_ held).
  std::vector<Bytes> Packets(uint64_t first, uint64_t last, size_t per_packet) const {
    std::vector<Bytes> out;
    Bytes buf(mold::kMaxUdpPayload);
    mold::PacketBuilder b(buf);
    const mold::Session s = mold::MakeSession(session_);
    b.Start(s, first);
    for (uint64_t q = first; q <= last; ++q) {
      if (b.count() == per_packet || !b.Fits(messages_[q - 1].size())) {
        out.emplace_back(b.packet().begin(), b.packet().end());
        b.Start(s, q);
      }
      b.Add(messages_[q - 1]);
    }
    if (!b.empty()) out.emplace_back(b.packet().begin(), b.packet().end());
    return out;
  }

  void Serve() {
    std::vector<uint8_t> buf(65536);
    while (!stop_) {
      pollfd fds[2] = {{retrans_.get(), POLLIN, 0}, {listener_.get(), POLLIN, 0}};
      if (poll(fds, 2, 5) <= 0) continue;
      if (fds[0].revents & POLLIN) AnswerRequest(buf);
      if (fds[1].revents & POLLIN) ServeSnapshot();
    }
  }

  void AnswerRequest(std::vector<uint8_t>& buf) {
    sockaddr_in from{};
    auto n = md::ReceiveDatagram(retrans_.get(), buf, &from);
    mold::Request r;
    if (!n.ok() || *n == 0 ||
        mold::DecodeRequest(std::span<const uint8_t>(buf.data(), *n), &r) != mold::ParseStatus::kOk) {
      return;
    }
    ++requests_;
    if (ignore_ > 0) {
      --ignore_;
      return;
    }
    std::vector<Bytes> packets;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (mold::SessionView(r.session) != session_ || r.sequence == 0) return;
      const uint64_t last = std::min<uint64_t>(messages_.size(), r.sequence + r.count - 1);
      if (r.sequence > last) return;
      packets = Packets(r.sequence, std::min<uint64_t>(last, r.sequence + 499), 40);
    }
    for (const Bytes& p : packets) (void)md::SendDatagram(retrans_.get(), p, from);
  }

  void ServeSnapshot() {
    md::Fd conn(accept(listener_.get(), nullptr, nullptr));
    if (!conn.valid()) return;
    // Read the 49-byte login (blocking socket).
    uint8_t login[soup::kLoginRequestPacket];
    size_t got = 0;
    while (got < sizeof login) {
      const ssize_t n = recv(conn.get(), login + got, sizeof login - got, 0);
      if (n <= 0) return;
      got += static_cast<size_t>(n);
    }
    std::vector<uint8_t> out;
    {
      std::lock_guard<std::mutex> lock(mu_);
      uint8_t accepted[soup::kLoginAcceptedPacket];
      soup::LoginAccepted a;
      a.session = session_;
      a.next_sequence = messages_.size() + 1;
      out.insert(out.end(), accepted, accepted + soup::EncodeLoginAccepted(a, accepted));
      for (const Bytes& m : book_.Snapshot()) {
        uint8_t packet[soup::kHeaderSize + itch::kMaxMessageSize];
        const size_t n = soup::EncodeSequencedData(m, packet);
        out.insert(out.end(), packet, packet + n);
      }
      uint8_t z[soup::kHeaderSize];
      out.insert(out.end(), z, z + soup::EncodeEndOfSession(z));
    }
    for (size_t sent = 0; sent < out.size();) {
      const ssize_t n = send(conn.get(), out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<size_t>(n);
    }
    ++snapshots_;
  }

  md::Fd out_, retrans_, listener_;
  uint16_t retrans_port_ = 0, snapshot_port_ = 0;
  sockaddr_in dest_{};
  std::mutex mu_;
  std::string session_;
  std::vector<Bytes> messages_;
  md::ItchBook book_;
  std::atomic<int> ignore_{0};
  std::atomic<uint64_t> requests_{0}, snapshots_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace ccx::mdtest
