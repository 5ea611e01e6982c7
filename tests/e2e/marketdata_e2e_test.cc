// Market data end to end (issue 4): the real ccx-exchange publishes ITCH over MoldUDP64 to
// a unicast address on loopback; FeedSubscribers (marketdata/subscriber) join it, fill gaps
// from the retransmission server, start from the snapshot service, and their books must
// equal the engine's (`admin book CAT`) at every auction. The daily report must equal the
// executions the participants received over OUCH.
#include <netinet/in.h>
#include <sys/socket.h>

#include <fstream>

#include "nlohmann/json.hpp"
#include "marketdata/subscriber/feed_subscriber.h"
#include "tests/e2e/exchange_process.h"

using namespace ccx;
using namespace ccx::test;

namespace {

// Three distinct free ports (feed UDP, retransmission UDP, snapshot TCP), all held until
// all are known so that the kernel cannot hand out one twice.
std::array<uint16_t, 3> FreePorts() {
  std::array<uint16_t, 3> ports{};
  int fds[3];
  for (int i = 0; i < 3; ++i) {
    fds[i] = ::socket(AF_INET, i == 2 ? SOCK_STREAM : SOCK_DGRAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fds[i], reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t n = sizeof a;
    ::getsockname(fds[i], reinterpret_cast<sockaddr*>(&a), &n);
    ports[i] = ntohs(a.sin_port);
  }
  for (int fd : fds) ::close(fd);
  return ports;
}

const char* kCats[] = {"JCEE", "JCRE", "JCRH", "JCRM", "JCFO", "JCOT", "JVFO", "GXCR"};

struct Market {
  /// `fixed_ports`: the retransmission and snapshot ports stay the same across restarts.
  explicit Market(bool fixed_ports = false)
      : ports(FreePorts()),
        feed_port(ports[0]),
        ex("2026-11-20T08:59:00", "none",
           [&] {
             std::vector<std::string> a = {"--md-dest", "127.0.0.1:" + std::to_string(feed_port),
                                           "--noii-interval-ms", "0"};
             if (fixed_ports) {
               a.insert(a.end(), {"--md-retrans-port", std::to_string(ports[1]), "--snapshot-port",
                                  std::to_string(ports[2])});
             }
             return a;
           }()) {}

  std::unique_ptr<md::FeedSubscriber> Subscribe(int drop_every = 0, bool snapshot = false,
                                                bool listen_feed_port = true) {
    md::FeedSubscriberOptions o;
    o.listen = "127.0.0.1:" + std::to_string(listen_feed_port ? feed_port : 0);
    o.retrans = "127.0.0.1:" + std::to_string(ex.retrans_port());
    if (snapshot) o.snapshot = "127.0.0.1:" + std::to_string(ex.snapshot_port());
    o.drop_every = drop_every;
    md::FeedHandler h;
    h.on_warning = [this](const std::string& w) { warnings.push_back(w); };
    auto s = md::FeedSubscriber::Open(o, h);
    INFO((s.ok() ? std::string("ok") : std::string(s.status().message())) << " feed " << ports[0]
         << " retrans " << ports[1] << " snapshot " << ports[2] << " snapshot? " << snapshot);
    REQUIRE(s.ok());
    return std::move(*s);
  }

  /// Messages in today's feed according to the exchange.
  uint64_t FeedSize() {
    const std::string st = ex.Admin("status");
    const auto at = st.find("feed-messages ");
    REQUIRE(at != std::string::npos);
    return std::stoull(st.substr(at + 14));
  }

  /// Polls `s` until it has every message the exchange published (or fails after 10 s).
  void CatchUp(md::FeedSubscriber& s) {
    const uint64_t want = FeedSize();
    for (int i = 0; i < 1000 && (s.expected() <= want || s.snapshot_pending()); ++i) {
      REQUIRE(s.Poll(10).ok());
    }
    INFO("expected " << s.expected() << " want " << want + 1);
    REQUIRE(s.expected() == want + 1);
    REQUIRE_FALSE(s.has_gap());
  }

  /// Every category's book in the subscriber equals the engine's.
  void CheckBooks(md::FeedSubscriber& s) {
    CatchUp(s);
    for (const char* code : kCats) {
      std::string engine = ex.Admin(std::string("book ") + code);
      REQUIRE(engine.rfind("ok\n", 0) == 0);
      engine = engine.substr(3);
      const int idx = s.book().FindCategory(code);
      REQUIRE(idx >= 0);
      std::string mine = s.book().BookText(static_cast<size_t>(idx));
      while (!mine.empty() && mine.back() == '\n') mine.pop_back();
      while (!engine.empty() && engine.back() == '\n') engine.pop_back();
      INFO(code);
      CHECK(mine == engine);
    }
  }

  std::array<uint16_t, 3> ports;
  uint16_t feed_port;
  ExchangeProcess ex;
  std::vector<std::string> warnings;
};

/// A scripted morning: crossing orders in three categories, replaces and cancels.
void Morning(ExchangeProcess& ex, int round) {
  Trader b(ex, "PART01", "part01"), s(ex, "PART02", "part02");
  const std::string r = std::to_string(round);
  for (int i = 0; i < 20; ++i) {
    const std::string n = r + "-" + std::to_string(i);
    CHECK(b.Enter(MakeEnter("B" + n, 'B', static_cast<uint32_t>(10 + i), "JCRE", static_cast<uint32_t>(3000 + i), i % 4 == 0)) == 0);
    CHECK(s.Enter(MakeEnter("S" + n, 'S', static_cast<uint32_t>(7 + i), "JCRE", static_cast<uint32_t>(2995 + i), false)) == 0);
    CHECK(b.Enter(MakeEnter("E" + n, 'B', 5, "JCEE", static_cast<uint32_t>(1650 + i), false)) == 0);
    CHECK(s.Enter(MakeEnter("F" + n, 'S', 4, "JCEE", static_cast<uint32_t>(1640 + i), false)) == 0);
  }
  ouch::CancelOrder x;
  x.token = ouch::MakeToken("S" + r + "-3");
  x.shares = 2;
  REQUIRE(s.client.Send(x).ok());
  (void)s.Next();
  ouch::ReplaceOrder u;
  u.existing_token = ouch::MakeToken("B" + r + "-5");
  u.replacement_token = ouch::MakeToken("R" + r + "-5");
  u.shares = 33;
  u.price = 3011 * ouch::kPriceScale;
  u.tif = 99999;
  REQUIRE(b.client.Send(u).ok());
  (void)b.Next();
  x.token = ouch::MakeToken("E" + r + "-7");
  x.shares = 0;
  REQUIRE(b.client.Send(x).ok());
  (void)b.Next();
}

}  // namespace

TEST_CASE("a subscriber's books equal the engine's during the day and at every auction", "[e2e][md]") {
  Market m;
  auto sub = m.Subscribe();
  m.ex.ClockTo("2026-11-20T09:00:00");
  Morning(m.ex, 1);
  m.CheckBooks(*sub);
  m.ex.ClockTo("2026-11-20T11:30:00");
  m.CheckBooks(*sub);
  m.ex.ClockTo("2026-11-20T12:45:00");
  Morning(m.ex, 2);
  m.CheckBooks(*sub);
  m.ex.ClockTo("2026-11-20T15:00:00");
  m.CheckBooks(*sub);
  // Every message type of the day appeared, with the cross trades of both auctions.
  const int jcre = sub->book().FindCategory("JCRE");
  const auto& cat = sub->book().category(static_cast<size_t>(jcre));
  REQUIRE(cat.crosses.size() == 2);
  CHECK(cat.crosses[0].cross_type == 'I');
  CHECK(cat.crosses[0].shares > 0);
  CHECK(cat.crosses[1].cross_type == 'C');
  CHECK(sub->book().order_count() == 0);  // DAY orders expired after 15:00
  CHECK(sub->book().system_event() == 'M');
  CHECK(sub->stats().sequencer.lost == 0);
  // The next day: the session ends, a new one starts at 1.
  m.ex.ClockTo("2026-11-23T07:00:00");
  for (int i = 0; i < 300 && (!sub->session() || *sub->session() != "20261123"); ++i) REQUIRE(sub->Poll(10).ok());
  REQUIRE(sub->session());
  CHECK(*sub->session() == "20261123");
  m.CheckBooks(*sub);
  CHECK(m.warnings.empty());
}

TEST_CASE("a subscriber that loses every 3rd packet converges through retransmission", "[e2e][md]") {
  Market m;
  auto sub = m.Subscribe(/*drop_every=*/3);
  m.ex.ClockTo("2026-11-20T09:00:00");
  Morning(m.ex, 1);
  m.CheckBooks(*sub);
  m.ex.ClockTo("2026-11-20T11:30:00");
  m.CheckBooks(*sub);
  CHECK(sub->stats().dropped > 0);
  CHECK(sub->stats().retrans_packets > 0);
  CHECK(sub->stats().sequencer.lost == 0);
}

TEST_CASE("a subscriber started mid-day from the snapshot converges", "[e2e][md]") {
  Market m;
  m.ex.ClockTo("2026-11-20T09:00:00");
  Morning(m.ex, 1);
  m.ex.ClockTo("2026-11-20T11:30:00");
  m.ex.ClockTo("2026-11-20T12:40:00");
  Morning(m.ex, 2);
  auto late = m.Subscribe(0, /*snapshot=*/true);
  m.CheckBooks(*late);
  CHECK(late->stats().snapshot_messages > 0);
  // It knows the morning's result without having seen the auction.
  const int jcre = late->book().FindCategory("JCRE");
  CHECK(late->book().category(static_cast<size_t>(jcre)).crosses.size() == 1);
  // And keeps up with what follows.
  Morning(m.ex, 3);
  m.CheckBooks(*late);
  m.ex.ClockTo("2026-11-20T15:00:00");
  m.CheckBooks(*late);
}

TEST_CASE("after kill -9 and restart the feed is rebuilt and subscribers converge", "[e2e][md]") {
  // Fixed ports, so that the subscriber keeps its retransmission server across the restart.
  Market m(/*fixed_ports=*/true);
  auto sub = m.Subscribe();
  m.ex.ClockTo("2026-11-20T09:00:00");
  Morning(m.ex, 1);
  m.CheckBooks(*sub);
  const uint64_t before = m.FeedSize();
  m.ex.Restart();  // kill -9, then a new process replays the journal
  CHECK(m.FeedSize() == before);  // the same feed, rebuilt
  Morning(m.ex, 2);
  m.ex.ClockTo("2026-11-20T11:30:00");
  m.CheckBooks(*sub);
  CHECK(sub->stats().sequencer.lost == 0);
  // A late joiner after the restart gets the same state from the snapshot.
  sub.reset();
  auto late = m.Subscribe(0, /*snapshot=*/true);
  m.CheckBooks(*late);
}

TEST_CASE("the daily report's figures equal the executions", "[e2e][md]") {
  Market m;
  m.ex.ClockTo("2026-11-20T09:00:00");
  Morning(m.ex, 1);
  m.ex.ClockTo("2026-11-20T11:30:00");
  m.ex.ClockTo("2026-11-20T12:40:00");
  Morning(m.ex, 2);
  m.ex.ClockTo("2026-11-20T15:00:00");
  // Every execution PART01 (the buyer) received over OUCH, per category.
  Trader b(m.ex, "PART01", "part01", 1);
  std::map<std::string, std::pair<uint64_t, uint64_t>> volume_value;  // by token prefix
  std::map<std::string, std::string> category_of;
  std::map<char, std::pair<uint32_t, uint32_t>> price_volume;  // by liquidity flag, JCRE
  for (;;) {
    const auto msg = b.Next();
    if (auto* a = std::get_if<ouch::Accepted>(&msg)) category_of[std::string(ouch::TokenView(a->token))] = std::string(ouch::StockView(a->stock));
    if (auto* r = std::get_if<ouch::Replaced>(&msg)) category_of[std::string(ouch::TokenView(r->replacement_token))] = std::string(ouch::StockView(r->stock));
    if (auto* x = std::get_if<ouch::Executed>(&msg)) {
      const std::string cat = category_of[std::string(ouch::TokenView(x->token))];
      volume_value[cat].first += x->executed_shares;
      volume_value[cat].second += uint64_t{x->executed_shares} * (x->execution_price / ouch::kPriceScale);
      if (cat == "JCRE") {
        price_volume[x->liquidity_flag].first = x->execution_price / ouch::kPriceScale;
        price_volume[x->liquidity_flag].second += x->executed_shares;
      }
    }
    if (auto* e = std::get_if<ouch::SystemEvent>(&msg); e && e->event_code == 'E') break;
  }
  REQUIRE(volume_value["JCRE"].first > 0);
  const auto path = m.ex.dir() / "reports" / "2026-11-20.json";
  // The .html is written last (each file by rename, so never half written).
  const auto html_path = m.ex.dir() / "reports" / "2026-11-20.html";
  for (int i = 0; i < 500 && !std::filesystem::exists(html_path); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  REQUIRE(std::filesystem::exists(path));
  CHECK(std::filesystem::exists(m.ex.dir() / "reports" / "2026-11-20.csv"));
  CHECK(std::filesystem::exists(m.ex.dir() / "reports" / "2026-11-20.html"));
  std::ifstream in(path);
  const auto doc = nlohmann::json::parse(in);
  CHECK(doc["date"] == "2026-11-20");
  int seen = 0;
  for (const auto& c : doc["categories"]) {
    const std::string code = c["code"];
    const auto& [vol, value] = volume_value[code];
    INFO(code);
    CHECK(c["volume"].get<uint64_t>() == vol);
    if (vol > 0) {
      ++seen;
      CHECK(c["vwap"].get<double>() == Approx(static_cast<double>(value) / static_cast<double>(vol)).epsilon(1e-4));
    }
    if (code == "JCRE") {
      CHECK(c["name_ja"] == "再生可能エネルギー（電力）");
      CHECK(c["morning"]["price"].get<double>() == price_volume['I'].first);
      CHECK(c["morning"]["volume"].get<uint64_t>() == price_volume['I'].second);
      CHECK(c["closing"]["price"].get<double>() == price_volume['C'].first);
      CHECK(c["closing"]["volume"].get<uint64_t>() == price_volume['C'].second);
      CHECK(c["next_base_price"].get<double>() == price_volume['C'].first);
    }
  }
  CHECK(seen == 2);  // JCRE and JCEE traded
  std::ifstream html(m.ex.dir() / "reports" / "2026-11-20.html");
  const std::string page((std::istreambuf_iterator<char>(html)), std::istreambuf_iterator<char>());
  CHECK(page.find("<svg") != std::string::npos);
}
