// ccx-load: load generator and latency meter for ccx-exchange. N SoupBinTCP/OUCH sessions,
// an offered rate, a duration and an order mix; order-to-acknowledgement round trip on a
// monotonic clock after warm-up, in a log-linear histogram. --pingpong measures a plain
// TCP echo of the same message size on the same machine: the floor to compare with.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "fmt/format.h"
#include "tools/lib/args.h"
#include "tools/lib/histogram.h"
#include "marketdata/protocol/itch.h"
#include "marketdata/protocol/moldudp64.h"
#include "tools/lib/ouch_client.h"

namespace {

using Steady = std::chrono::steady_clock;
int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Steady::now().time_since_epoch()).count();
}

struct Plan {
  std::string host;
  uint16_t port = 26400;
  int sessions = 10;
  double rate = 20000;
  double duration = 10;
  double warmup = 2;
  int enter = 50, replace = 25, cancel = 25;
  std::vector<std::pair<std::string, uint32_t>> categories;  // code, reference price
};

struct Result {
  ccx::LatencyHistogram hist;
  uint64_t sent = 0, acked = 0, rejected = 0;
  std::string error;
};

// --md-listen: order-in to ITCH-add-out. The exchange's OUCH acknowledgement tells which
// order reference an entered order got; the ITCH `A` add carries the same reference.
// Whichever of the two arrives first waits here for the other; the latency is from the
// order's send to the `A`'s arrival.
class MdMatcher {
 public:
  void OnAck(uint64_t ref, int64_t sent_at, bool measured) {
    if (auto it = itch_at_.find(ref); it != itch_at_.end()) {
      if (measured) hist.Record(static_cast<uint64_t>(std::max<int64_t>(0, it->second - sent_at)));
      itch_at_.erase(it);
    } else {
      sent_at_[ref] = measured ? sent_at : -1;
    }
  }
  void OnAdd(uint64_t ref, int64_t at) {
    if (auto it = sent_at_.find(ref); it != sent_at_.end()) {
      if (it->second >= 0) hist.Record(static_cast<uint64_t>(std::max<int64_t>(0, at - it->second)));
      sent_at_.erase(it);
    } else {
      itch_at_[ref] = at;
    }
  }
  // Reads every datagram waiting on `fd` and matches its `A` messages.
  void Drain(int fd) {
    uint8_t buf[2048];
    for (;;) {
      const ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
      if (n <= 0) return;
      const int64_t now = NowNs();
      const std::span<const uint8_t> packet(buf, static_cast<size_t>(n));
      ccx::mold::Header h;
      if (ccx::mold::ParsePacket(packet, &h) != ccx::mold::ParseStatus::kOk) continue;
      ccx::mold::MessageReader r(packet);
      std::span<const uint8_t> m;
      while (r.Next(&m)) {
        ccx::itch::AddOrder a;
        if (ccx::itch::Decode(m, &a) == ccx::itch::DecodeStatus::kOk) OnAdd(a.order_ref, now);
      }
    }
  }
  ccx::LatencyHistogram hist;

 private:
  absl::flat_hash_map<uint64_t, int64_t> sent_at_;
  absl::flat_hash_map<uint64_t, int64_t> itch_at_;
};

std::string User(int i) { return i < 10 ? fmt::format("PART{:02}", i + 1) : fmt::format("MM{:04}", i - 9); }
std::string Password(int i) { return i < 10 ? fmt::format("part{:02}", i + 1) : fmt::format("mm{:04}", i - 9); }

// One order-entry session: paced sends by the mix, acknowledgement latency by token. All
// sessions are driven by one thread (see DriveAll), so the meter itself does not compete
// with the exchange for the machine's two cores with a thread per session.
class LoadSession {
 public:
  LoadSession(const Plan& plan, int index, int64_t start, Result* out, MdMatcher* md = nullptr)
      : plan_(plan), index_(index), out_(out), md_(md), rng_(1234 + index) {
    interval_ = static_cast<int64_t>(1e9 * plan.sessions / plan.rate);
    warm_end_ = start + static_cast<int64_t>(plan.warmup * 1e9);
    end_ = warm_end_ + static_cast<int64_t>(plan.duration * 1e9);
    next_ = start + interval_ * index / plan.sessions;
  }
  bool Connect() {
    if (auto st = c_.Connect(plan_.host, plan_.port); !st.ok()) {
      out_->error = std::string(st.message());
      return false;
    }
    if (auto r = c_.Login(User(index_), Password(index_)); !r.ok()) {
      out_->error = User(index_) + ": " + std::string(r.status().message());
      return false;
    }
    return true;
  }
  int fd() const { return c_.fd(); }
  int64_t next() const { return next_ < end_ ? next_ : INT64_MAX; }
  int64_t end() const { return end_; }

  void SendDue(int64_t now) {
    while (next_ <= now && next_ < end_) {
      next_ += interval_;
      SendOne();
    }
  }

  // Reads what arrived; false once the connection failed.
  bool Read() {
    for (;;) {
      auto r = c_.Receive(0);
      if (!r.ok()) {
        out_->error = std::string(r.status().message());
        return false;
      }
      if (!r->has_value()) return true;
      if ((*r)->type != 'S') continue;
      ccx::ouch::Outbound m;
      if (ccx::ouch::DecodeOutbound((*r)->payload, &m) != ccx::ouch::DecodeStatus::kOk) continue;
      if (auto* a = std::get_if<ccx::ouch::Accepted>(&m)) {
        if (md_ != nullptr) AckMd(ccx::ouch::TokenView(a->token), a->order_ref);
        Ack(ccx::ouch::TokenView(a->token), false);
      }
      if (auto* u = std::get_if<ccx::ouch::Replaced>(&m)) Ack(ccx::ouch::TokenView(u->replacement_token), false);
      if (auto* x = std::get_if<ccx::ouch::Canceled>(&m)) Ack(ccx::ouch::TokenView(x->token), false);
      if (auto* j = std::get_if<ccx::ouch::Rejected>(&m)) Ack(ccx::ouch::TokenView(j->token), true);
      if (auto* i = std::get_if<ccx::ouch::CancelReject>(&m)) Ack(ccx::ouch::TokenView(i->token), true);
      if (!c_.has_pending()) return true;
    }
  }
  void Logout() { (void)c_.Logout(); }

 private:
  std::string Token(uint64_t n) const { return fmt::format("L{:02}{}", index_, n); }
  uint32_t Price(const std::string& cat) {
    uint32_t ref = 0;
    for (auto& [code, r] : plan_.categories) if (code == cat) ref = r;
    return static_cast<uint32_t>(ref * (0.97 + 0.06 * static_cast<double>(rng_() % 1000) / 1000.0));
  }
  void SendOne() {
    const int pick = static_cast<int>(rng_() % 100);
    const uint64_t n = sent_at_.size();
    if (pick < plan_.enter || live_.empty()) {
      const std::string& cat = plan_.categories[rng_() % plan_.categories.size()].first;
      const uint32_t price = Price(cat);
      sent_at_.push_back(NowNs());
      cat_of_.push_back(cat);
      (void)c_.Send(ccx::MakeEnter(Token(n), rng_() % 2 ? 'B' : 'S', 1 + rng_() % 100, cat, price, false));
      live_.push_back(n);
    } else {
      const size_t k = rng_() % live_.size();
      const uint64_t old = live_[k];
      if (pick < plan_.enter + plan_.replace) {
        ccx::ouch::ReplaceOrder u;
        u.existing_token = ccx::ouch::MakeToken(Token(old));
        u.replacement_token = ccx::ouch::MakeToken(Token(n));
        u.shares = 1 + rng_() % 100;
        u.price = Price(cat_of_[old]) * ccx::ouch::kPriceScale;
        u.tif = 99999;
        sent_at_.push_back(NowNs());
        cat_of_.push_back(cat_of_[old]);
        (void)c_.Send(u);
        live_[k] = n;
      } else {
        ccx::ouch::CancelOrder x;
        x.token = ccx::ouch::MakeToken(Token(old));
        sent_at_.push_back(0);  // the cancel is acknowledged under the old token
        cat_of_.push_back("");
        sent_at_[old] = NowNs();
        (void)c_.Send(x);
        live_[k] = live_.back();
        live_.pop_back();
      }
    }
    ++out_->sent;
  }
  void AckMd(std::string_view tok, uint64_t ref) {
    uint64_t n = 0;
    if (tok.size() < 4 || !absl::SimpleAtoi(std::string(tok.substr(3)), &n) || n >= sent_at_.size()) return;
    if (sent_at_[n] != 0) md_->OnAck(ref, sent_at_[n], sent_at_[n] >= warm_end_);
  }
  void Ack(std::string_view tok, bool reject) {
    uint64_t n = 0;
    if (tok.size() < 4 || !absl::SimpleAtoi(std::string(tok.substr(3)), &n) || n >= sent_at_.size()) return;
    if (sent_at_[n] == 0) return;
    const int64_t t = NowNs();
    if (sent_at_[n] >= warm_end_) out_->hist.Record(static_cast<uint64_t>(t - sent_at_[n]));
    sent_at_[n] = 0;
    ++out_->acked;
    out_->rejected += reject;
  }

  const Plan& plan_;
  int index_;
  Result* out_;
  MdMatcher* md_;
  ccx::OuchClient c_;
  std::mt19937_64 rng_;
  int64_t interval_, warm_end_, end_, next_;
  std::vector<int64_t> sent_at_;  // by token number
  std::vector<uint64_t> live_;    // token numbers of live orders
  std::vector<std::string> cat_of_;
};

// Drives every session from one thread: send what is due, poll all sockets until the next
// send is due (spinning when it is less than a millisecond away), read what arrived.
template <typename S>
bool DriveAll(std::vector<std::unique_ptr<S>>& sessions, int md_fd = -1, MdMatcher* md = nullptr) {
  std::vector<pollfd> fds;
  for (auto& s : sessions) fds.push_back(pollfd{s->fd(), POLLIN, 0});
  if (md_fd >= 0) fds.push_back(pollfd{md_fd, POLLIN, 0});
  const int64_t stop = sessions.front()->end() + 500'000'000;
  for (;;) {
    const int64_t now = NowNs();
    if (now >= stop) break;
    int64_t next = INT64_MAX;
    for (auto& s : sessions) {
      s->SendDue(now);
      next = std::min(next, s->next());
    }
    const int64_t wait = std::min<int64_t>(next, stop) - NowNs();
    const int timeout = wait > 1'000'000 ? static_cast<int>(std::min<int64_t>(wait / 1'000'000, 5)) : 0;
    if (::poll(fds.data(), fds.size(), timeout) < 0) continue;
    for (size_t i = 0; i < sessions.size(); ++i) {
      if (fds[i].revents != 0 && !sessions[i]->Read()) return false;
    }
    if (md_fd >= 0 && fds.back().revents != 0) md->Drain(md_fd);
  }
  for (auto& s : sessions) s->Logout();
  return true;
}

// --pingpong: the same pacing over plain TCP with 52-byte messages (the size of a
// SoupBinTCP `U` packet carrying an OUCH enter order) to a one-thread echo server.
class PingSession {
 public:
  PingSession(const Plan& plan, int index, int64_t start, Result* out) : out_(out) {
    interval_ = static_cast<int64_t>(1e9 * plan.sessions / plan.rate);
    warm_end_ = start + static_cast<int64_t>(plan.warmup * 1e9);
    end_ = warm_end_ + static_cast<int64_t>(plan.duration * 1e9);
    next_ = start + interval_ * index / plan.sessions;
  }
  ~PingSession() { if (fd_ >= 0) ::close(fd_); }
  bool Connect(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      out_->error = "pingpong connect failed";
      return false;
    }
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return true;
  }
  int fd() const { return fd_; }
  int64_t next() const { return next_ < end_ ? next_ : INT64_MAX; }
  int64_t end() const { return end_; }
  void SendDue(int64_t now) {
    static const uint8_t msg[52] = {0, 50, 'U', 'O'};
    while (next_ <= now && next_ < end_) {
      next_ += interval_;
      inflight_.push_back(NowNs());
      (void)::send(fd_, msg, sizeof msg, MSG_NOSIGNAL);
      ++out_->sent;
    }
  }
  bool Read() {
    const ssize_t n = ::recv(fd_, buf_ + have_, sizeof buf_ - have_, MSG_DONTWAIT);
    if (n <= 0) return n < 0 && errno == EAGAIN;
    have_ += static_cast<size_t>(n);
    const int64_t t = NowNs();
    while (have_ >= 52 && !inflight_.empty()) {
      if (inflight_.front() >= warm_end_) out_->hist.Record(static_cast<uint64_t>(t - inflight_.front()));
      inflight_.pop_front();
      ++out_->acked;
      std::memmove(buf_, buf_ + 52, have_ - 52);
      have_ -= 52;
    }
    return true;
  }
  void Logout() {}

 private:
  Result* out_;
  int fd_ = -1;
  int64_t interval_, warm_end_, end_, next_;
  std::deque<int64_t> inflight_;
  uint8_t buf_[65536];
  size_t have_ = 0;
};

// A one-thread poll() echo server, like the exchange's one I/O thread.
void EchoServer(int listen_fd, std::atomic<bool>* stop) {
  std::vector<pollfd> fds{pollfd{listen_fd, POLLIN, 0}};
  uint8_t b[65536];
  while (!stop->load()) {
    if (::poll(fds.data(), fds.size(), 100) <= 0) continue;
    for (size_t i = 1; i < fds.size(); ++i) {
      if (fds[i].revents == 0) continue;
      const ssize_t n = ::recv(fds[i].fd, b, sizeof b, 0);
      if (n <= 0 || ::send(fds[i].fd, b, static_cast<size_t>(n), MSG_NOSIGNAL) != n) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
      }
    }
    if (fds[0].revents != 0) {
      const int fd = ::accept(listen_fd, nullptr, nullptr);
      if (fd >= 0) {
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        fds.push_back(pollfd{fd, POLLIN, 0});
      }
    }
  }
  for (size_t i = 1; i < fds.size(); ++i) if (fds[i].fd >= 0) ::close(fds[i].fd);
}

}  // namespace

int main(int argc, char** argv) {
  ccx::Args a;
  a.Option("host", "127.0.0.1", "exchange address")
      .Option("port", "26400", "order-entry port")
      .Option("sessions", "10", "concurrent sessions (PART01.., then MM0001..; at most 13)")
      .Option("rate", "20000", "offered messages per second, all sessions together")
      .Option("duration", "10", "measured seconds (after warm-up)")
      .Option("warmup", "2", "seconds before measuring")
      .Option("mix", "50,25,25", "percent enter,replace,cancel")
      .Option("categories", "JCEE:1655,JCRE:3019,JCRH:2282,JCRM:2500,JCFO:8095,JCOT:2000,JVFO:8450",
              "CODE:REFERENCE_PRICE list to trade")
      .Flag("pingpong", "measure a plain TCP echo of the same message size instead (the floor)")
      .Option("md-listen", "", "ADDR:PORT: also receive the exchange's ITCH feed here (start it with "
              "--md-dest ADDR:PORT) and measure order-in to ITCH-add-out")
      .Flag("json", "print the result as JSON");
  if (auto st = a.Parse(argc, argv); !st.ok() || !a.positional().empty()) {
    std::fprintf(stderr, "ccx-load: %s (try --help)\n", st.ok() ? "unexpected argument" : std::string(st.message()).c_str());
    return 2;
  }
  if (a.help()) {
    std::puts("usage: ccx-load [OPTIONS]\n\nOffers a paced order flow to a running ccx-exchange (which must be in an\n"
              "acceptance phase and should run with --max-messages-per-second 0) and reports\n"
              "throughput and order-to-acknowledgement latency percentiles.\n\nOptions:");
    std::fputs(a.Usage().c_str(), stdout);
    return 0;
  }
  Plan plan;
  plan.host = a.Get("host");
  auto port = a.GetInt("port"), sessions = a.GetInt("sessions");
  auto rate = a.GetDouble("rate"), dur = a.GetDouble("duration"), warm = a.GetDouble("warmup");
  if (!port.ok() || !sessions.ok() || !rate.ok() || !dur.ok() || !warm.ok() || *sessions < 1 ||
      *sessions > 13 || *rate <= 0 || *dur <= 0 || *warm < 0) {
    std::fprintf(stderr, "ccx-load: bad numbers: --sessions 1..13, --rate/--duration > 0\n");
    return 2;
  }
  plan.port = static_cast<uint16_t>(*port);
  plan.sessions = static_cast<int>(*sessions);
  plan.rate = *rate;
  plan.duration = *dur;
  plan.warmup = *warm;
  std::vector<std::string> mix = absl::StrSplit(a.Get("mix"), ',');
  if (mix.size() != 3 || !absl::SimpleAtoi(mix[0], &plan.enter) || !absl::SimpleAtoi(mix[1], &plan.replace) ||
      !absl::SimpleAtoi(mix[2], &plan.cancel) || plan.enter + plan.replace + plan.cancel != 100) {
    std::fprintf(stderr, "ccx-load: --mix must be three percentages adding up to 100\n");
    return 2;
  }
  for (const std::string& item : std::vector<std::string>(absl::StrSplit(a.Get("categories"), ','))) {
    std::vector<std::string> kv = absl::StrSplit(item, ':');
    uint32_t ref = 0;
    if (kv.size() != 2 || !absl::SimpleAtoi(kv[1], &ref)) {
      std::fprintf(stderr, "ccx-load: --categories: expected CODE:PRICE, got '%s'\n", item.c_str());
      return 2;
    }
    plan.categories.emplace_back(kv[0], ref);
  }
  const bool ping = a.Has("pingpong");
  std::atomic<bool> stop{false};
  std::thread echo;
  uint16_t echo_port = 0;
  int lfd = -1;
  if (ping) {
    lfd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(lfd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
    ::listen(lfd, 64);
    socklen_t len = sizeof sa;
    ::getsockname(lfd, reinterpret_cast<sockaddr*>(&sa), &len);
    echo_port = ntohs(sa.sin_port);
    echo = std::thread(EchoServer, lfd, &stop);
  }
  std::vector<Result> results(static_cast<size_t>(plan.sessions));
  MdMatcher md;
  int md_fd = -1;
  if (ping) {
    std::vector<std::unique_ptr<PingSession>> sessions;
    const int64_t start = NowNs() + 500'000'000;
    for (int i = 0; i < plan.sessions; ++i) {
      sessions.push_back(std::make_unique<PingSession>(plan, i, start, &results[i]));
      if (!sessions.back()->Connect(echo_port)) break;
    }
    if (results.back().error.empty() && sessions.size() == results.size()) DriveAll(sessions);
  } else {
    if (!a.Get("md-listen").empty()) {
      const std::string ep = a.Get("md-listen");
      const auto colon = ep.rfind(':');
      uint32_t p = 0;
      sockaddr_in sa{};
      sa.sin_family = AF_INET;
      if (colon == std::string::npos || !absl::SimpleAtoi(ep.substr(colon + 1), &p) || p == 0 || p > 65535 ||
          ::inet_pton(AF_INET, ep.substr(0, colon).c_str(), &sa.sin_addr) != 1) {
        std::fprintf(stderr, "ccx-load: --md-listen: expected IPv4ADDR:PORT, got '%s'\n", ep.c_str());
        return 2;
      }
      sa.sin_port = htons(static_cast<uint16_t>(p));
      md_fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
      int big = 8 << 20;
      setsockopt(md_fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
      if (::bind(md_fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
        std::fprintf(stderr, "ccx-load: --md-listen %s: %s\n", ep.c_str(), std::strerror(errno));
        return 1;
      }
    }
    std::vector<std::unique_ptr<LoadSession>> sessions;
    const int64_t start = NowNs() + 500'000'000;
    for (int i = 0; i < plan.sessions; ++i) {
      sessions.push_back(std::make_unique<LoadSession>(plan, i, start, &results[i], md_fd >= 0 ? &md : nullptr));
      if (!sessions.back()->Connect()) break;
    }
    if (results.back().error.empty() && sessions.size() == results.size()) DriveAll(sessions, md_fd, &md);
  }
  if (ping) {
    stop = true;
    echo.join();
    ::close(lfd);
  }
  Result total;
  for (const auto& r : results) {
    if (!r.error.empty()) {
      std::fprintf(stderr, "ccx-load: %s\n", r.error.c_str());
      return 1;
    }
    total.hist.Merge(r.hist);
    total.sent += r.sent;
    total.acked += r.acked;
    total.rejected += r.rejected;
  }
  const double measured = static_cast<double>(total.hist.count()) / plan.duration;
  auto us = [](uint64_t ns) { return static_cast<double>(ns) / 1000.0; };
  const auto& h = total.hist;
  if (a.Has("json")) {
    std::printf("{\"mode\":\"%s\",\"sessions\":%d,\"offered_per_s\":%.0f,\"throughput_per_s\":%.0f,\"sent\":%llu,"
                "\"acked\":%llu,\"rejected\":%llu,\"p50_us\":%.1f,\"p90_us\":%.1f,\"p99_us\":%.1f,"
                "\"p999_us\":%.1f,\"max_us\":%.1f}\n",
                ping ? "pingpong" : "ouch", plan.sessions, plan.rate, measured,
                static_cast<unsigned long long>(total.sent), static_cast<unsigned long long>(total.acked),
                static_cast<unsigned long long>(total.rejected), us(h.Percentile(50)), us(h.Percentile(90)),
                us(h.Percentile(99)), us(h.Percentile(99.9)), us(h.max()));
  } else {
    std::printf("%s: %d sessions, offered %.0f/s for %.1f s after %.1f s warm-up\n",
                ping ? "pingpong (plain TCP echo, 52-byte messages)" : "order-to-ack (OUCH)",
                plan.sessions, plan.rate, plan.duration, plan.warmup);
    std::printf("sent %llu, acknowledged %llu (rejected %llu), measured throughput %.0f/s\n",
                static_cast<unsigned long long>(total.sent), static_cast<unsigned long long>(total.acked),
                static_cast<unsigned long long>(total.rejected), measured);
    std::printf("latency us: p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f\n", us(h.Percentile(50)),
                us(h.Percentile(90)), us(h.Percentile(99)), us(h.Percentile(99.9)), us(h.max()));
  }
  if (md_fd >= 0) {
    const auto& m = md.hist;
    std::printf("order-in to ITCH add-out (%llu adds): p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f us\n",
                static_cast<unsigned long long>(m.count()), us(m.Percentile(50)), us(m.Percentile(90)),
                us(m.Percentile(99)), us(m.Percentile(99.9)), us(m.max()));
    ::close(md_fd);
  }
  return total.acked == 0 ? 1 : 0;
}
