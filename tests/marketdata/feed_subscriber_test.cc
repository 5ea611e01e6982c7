// FeedSubscriber over loopback against the in-test publisher (fake_publisher.h), with a
// real day's feed from the engine: dropping every Nth packet, packets out of order, a lost
// tail revealed by a heartbeat, an unanswered request asked again, a late join filled by
// retransmission, a start from the snapshot mid-day, and a session change. Each test checks
// that every message arrives once, in sequence, byte for byte, and that the book equals
// the publisher's (and the engine's). Waiting loops are bounded by a generous wall-clock
// guard only to fail instead of hanging; nothing asserts on timing.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <random>

#include "fake_publisher.h"
#include "marketdata/subscriber/feed_subscriber.h"
#include "md_fixture.h"

namespace ccx::mdtest {
namespace {

// A realistic day's feed (up to just before the 15:00 auction, or the whole day).
struct DayFeed {
  std::vector<Bytes> messages;
  std::vector<std::string> engine_books;
  std::string session;
};

const DayFeed& TheDay() {
  static const DayFeed day = [] {
    FeedDayHarness h;
    std::mt19937_64 rng(31337);
    std::vector<std::pair<std::string, OrderRef>> live;
    h.Clock(Tokyo(2026, 3, 6, 7, 59));
    RandomSession(h, rng, Tokyo(2026, 3, 6, 8, 0), Tokyo(2026, 3, 6, 11, 29), 700, &live);
    h.Clock(Tokyo(2026, 3, 6, 11, 30));
    RandomSession(h, rng, Tokyo(2026, 3, 6, 12, 30), Tokyo(2026, 3, 6, 14, 59), 500, &live);
    return DayFeed{h.Messages(), h.EngineBooks(), h.Session()};
  }();
  return day;
}

std::vector<Bytes> Slice(const std::vector<Bytes>& v, size_t from, size_t to) {
  return std::vector<Bytes>(v.begin() + static_cast<long>(from), v.begin() + static_cast<long>(to));
}

struct Received {
  uint64_t sequence;
  bool snapshot;
  Bytes bytes;
  std::string session;
};

// A subscriber listening on a free loopback port, recording what it delivers.
struct Client {
  explicit Client(md::FeedSubscriberOptions o) {
    if (o.listen.empty() && o.group.empty()) o.listen = "127.0.0.1:0";
    md::FeedHandler h;
    h.on_message = [this](const md::FeedMessage& m) {
      CHECK(m.message != nullptr);
      got.push_back(Received{m.sequence, m.snapshot, Bytes(m.bytes.begin(), m.bytes.end()),
                             std::string(m.session)});
    };
    h.on_session = [this](std::string_view s) { sessions.emplace_back(s); };
    h.on_snapshot = [this](std::string_view, uint64_t next) { snapshot_next = next; };
    h.on_end_of_session = [this](std::string_view s) { ended.emplace_back(s); };
    h.on_warning = [this](const std::string& w) { warnings.push_back(w); };
    auto s = md::FeedSubscriber::Open(o, h);
    REQUIRE(s.ok());
    sub = std::move(*s);
  }
  // Polls until `done` (or fails after a generous guard).
  void RunUntil(const std::function<bool()>& done) {
    const auto guard = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!done() && std::chrono::steady_clock::now() < guard) REQUIRE(sub->Poll(10).ok());
    REQUIRE(done());
  }
  // Polls until the session ended, sending the end-of-session packet again now and then, as
  // a publisher repeats it (the drop switch may drop any one packet).
  void RunUntilEnded(FakePublisher& pub) {
    const auto guard = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    for (int i = 0; !sub->ended() && std::chrono::steady_clock::now() < guard; ++i) {
      if (i % 10 == 0) pub.SendEndOfSession();
      REQUIRE(sub->Poll(10).ok());
    }
    REQUIRE(sub->ended());
  }
  // The live messages delivered, checked to be in sequence from `first`.
  std::vector<Bytes> Live(uint64_t first) const {
    std::vector<Bytes> out;
    uint64_t expect = first;
    for (const Received& r : got) {
      if (r.snapshot) continue;
      REQUIRE(r.sequence == expect);
      ++expect;
      out.push_back(r.bytes);
    }
    return out;
  }

  std::unique_ptr<md::FeedSubscriber> sub;
  std::vector<Received> got;
  std::vector<std::string> sessions, ended, warnings;
  uint64_t snapshot_next = 0;
};

TEST_CASE("Subscriber: dropping every 3rd packet still converges via retransmission",
          "[marketdata][subscriber]") {
  const DayFeed& day = TheDay();
  FakePublisher pub;
  pub.NewSession(day.session);
  md::FeedSubscriberOptions o;
  o.retrans = pub.retrans();
  o.drop_every = 3;
  Client c(o);
  pub.SendTo(c.sub->feed_port());
  // Send in bursts, polling in between (as a live feed would arrive).
  for (size_t at = 0; at < day.messages.size(); at += 200) {
    pub.PublishAndSend(Slice(day.messages, at, std::min(at + 200, day.messages.size())));
    REQUIRE(c.sub->Poll(0).ok());
  }
  c.RunUntilEnded(pub);
  CHECK(c.Live(1) == day.messages);
  CHECK(ItchBooks(c.sub->book()) == day.engine_books);
  CHECK(c.sub->book().StateText() == pub.StateText());
  for (const Received& r : c.got) REQUIRE(r.session == day.session);
  const md::FeedStats st = c.sub->stats();
  CHECK(st.dropped > 0);
  CHECK(st.sequencer.requests > 0);
  CHECK(st.retrans_packets > 0);
  CHECK(st.book_errors == 0);
  CHECK(c.sessions == std::vector<std::string>{day.session});
  CHECK(c.ended == std::vector<std::string>{day.session});
  CHECK(c.warnings.empty());
}

TEST_CASE("Subscriber: packets out of order are delivered in sequence", "[marketdata][subscriber]") {
  const DayFeed& day = TheDay();
  FakePublisher pub;
  pub.NewSession(day.session);
  md::FeedSubscriberOptions o;
  o.retrans = pub.retrans();
  Client c(o);
  pub.SendTo(c.sub->feed_port());
  std::vector<Bytes> packets = pub.Publish(day.messages, 4);
  // Shuffle inside windows of 16 packets (the first stays first).
  std::mt19937_64 rng(5);
  for (size_t at = 1; at < packets.size(); at += 16) {
    std::shuffle(packets.begin() + static_cast<long>(at),
                 packets.begin() + static_cast<long>(std::min(at + 16, packets.size())), rng);
  }
  for (size_t i = 0; i < packets.size(); ++i) {
    pub.Send(packets[i]);
    if (i % 64 == 0) REQUIRE(c.sub->Poll(0).ok());
  }
  c.RunUntilEnded(pub);
  CHECK(c.Live(1) == day.messages);
  CHECK(c.sub->book().StateText() == pub.StateText());
}

TEST_CASE("Subscriber: a lost tail is found by the heartbeat; an unanswered request is asked again",
          "[marketdata][subscriber]") {
  const DayFeed& day = TheDay();
  FakePublisher pub;
  pub.NewSession(day.session);
  md::FeedSubscriberOptions o;
  o.retrans = pub.retrans();
  o.request_timeout_ms = 20;
  Client c(o);
  pub.SendTo(c.sub->feed_port());
  pub.PublishAndSend(Slice(day.messages, 0, 100));
  c.RunUntil([&] { return c.sub->expected() == 101; });
  // The last packets of a burst are lost; only the heartbeat says they exist.
  pub.Publish(Slice(day.messages, 100, 130));
  pub.IgnoreRequests(1);
  pub.SendHeartbeat();
  c.RunUntil([&] { return c.sub->expected() == 131; });
  CHECK(pub.requests() >= 2);  // the first went unanswered
  CHECK(c.Live(1) == Slice(day.messages, 0, 130));
}

TEST_CASE("Subscriber: joining late without a snapshot replays the day by retransmission",
          "[marketdata][subscriber]") {
  const DayFeed& day = TheDay();
  FakePublisher pub;
  pub.NewSession(day.session);
  const size_t half = day.messages.size() / 2;
  pub.Publish(Slice(day.messages, 0, half));  // sent before the subscriber existed
  md::FeedSubscriberOptions o;
  o.retrans = pub.retrans();
  o.max_request_count = 300;
  Client c(o);
  pub.SendTo(c.sub->feed_port());
  pub.PublishAndSend(Slice(day.messages, half, day.messages.size()));
  c.RunUntilEnded(pub);
  CHECK(c.Live(1) == day.messages);
  CHECK(ItchBooks(c.sub->book()) == day.engine_books);
}

TEST_CASE("Subscriber: starting from the snapshot mid-day converges", "[marketdata][subscriber]") {
  const DayFeed& day = TheDay();
  FakePublisher pub;
  pub.NewSession(day.session);
  const size_t k = day.messages.size() * 2 / 3;
  pub.Publish(Slice(day.messages, 0, k));
  md::FeedSubscriberOptions o;
  o.retrans = pub.retrans();
  o.snapshot = pub.snapshot();
  o.drop_every = 7;
  Client c(o);
  pub.SendTo(c.sub->feed_port());
  // Live packets flow while the snapshot is being fetched.
  pub.PublishAndSend(Slice(day.messages, k, k + 50));
  c.RunUntil([&] { return !c.sub->snapshot_pending(); });
  pub.PublishAndSend(Slice(day.messages, k + 50, day.messages.size()));
  c.RunUntilEnded(pub);
  CHECK(pub.snapshots() == 1);
  REQUIRE(c.snapshot_next >= k + 1);
  REQUIRE(c.snapshot_next <= k + 51);
  // Snapshot state first (flagged), then the live feed from the announced sequence.
  REQUIRE_FALSE(c.got.empty());
  CHECK(c.got.front().snapshot);
  CHECK(c.got.front().bytes[0] == 'S');
  CHECK(c.Live(c.snapshot_next) == Slice(day.messages, c.snapshot_next - 1, day.messages.size()));
  CHECK(ItchBooks(c.sub->book()) == day.engine_books);
  CHECK(c.sub->book().StateText() == pub.StateText());
  CHECK(c.sub->stats().snapshot_messages > 0);
}

TEST_CASE("Subscriber: a new session (the next day) starts again at 1", "[marketdata][subscriber]") {
  const DayFeed& day = TheDay();
  FakePublisher pub;
  pub.NewSession("20260305");
  md::FeedSubscriberOptions o;
  o.retrans = pub.retrans();
  o.drop_every = 5;
  Client c(o);
  pub.SendTo(c.sub->feed_port());
  const std::vector<Bytes> first = Slice(day.messages, 0, 300);
  pub.PublishAndSend(first);
  c.RunUntilEnded(pub);
  CHECK(c.Live(1) == first);
  pub.NewSession(day.session);
  pub.PublishAndSend(day.messages);
  c.RunUntil([&] { return c.sub->session() && *c.sub->session() == day.session; });
  c.RunUntilEnded(pub);
  CHECK(c.sessions == std::vector<std::string>{"20260305", day.session});
  CHECK(c.ended == std::vector<std::string>{"20260305", day.session});
  // The second day's messages follow the first day's, numbered from 1 again; its S 'O'
  // cleared the book.
  std::vector<Bytes> second;
  for (size_t i = first.size(); i < c.got.size(); ++i) second.push_back(c.got[i].bytes);
  CHECK(second == day.messages);
  CHECK(c.got[first.size()].sequence == 1);
  CHECK(ItchBooks(c.sub->book()) == day.engine_books);
}

TEST_CASE("Subscriber: joins a multicast group", "[marketdata][subscriber]") {
  const DayFeed& day = TheDay();
  FakePublisher pub;
  pub.NewSession(day.session);
  md::FeedSubscriberOptions o;
  o.group = "239.255.42.99:0";  // any free port, then the publisher sends to it
  o.interface_address = "127.0.0.1";
  o.retrans = pub.retrans();
  o.drop_every = 4;
  auto opened = md::FeedSubscriber::Open(o, {});
  if (!opened.ok()) {
    WARN("multicast not available here: " << opened.status().message());
    return;
  }
  std::unique_ptr<md::FeedSubscriber> sub = std::move(*opened);
  pub.SendToGroup("239.255.42.99", sub->feed_port());
  const std::vector<Bytes> part = Slice(day.messages, 0, 500);
  pub.PublishAndSend(part);
  const auto guard = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (sub->stats().packets == 0 && std::chrono::steady_clock::now() < guard) REQUIRE(sub->Poll(10).ok());
  if (sub->stats().packets == 0) {
    WARN("no multicast datagram arrived over loopback on this host; not checked");
    return;
  }
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (int i = 0; !sub->ended() && std::chrono::steady_clock::now() < end; ++i) {
    if (i % 10 == 0) pub.SendEndOfSession();
    REQUIRE(sub->Poll(10).ok());
  }
  REQUIRE(sub->ended());
  CHECK(sub->expected() == part.size() + 1);
  CHECK(sub->book().StateText() == pub.StateText());
}

TEST_CASE("Subscriber: bad options and bad datagrams", "[marketdata][subscriber]") {
  md::FeedSubscriberOptions o;
  CHECK_FALSE(md::FeedSubscriber::Open(o, {}).ok());  // neither group nor listen
  o.listen = "127.0.0.1:0";
  o.group = "239.255.42.1:30001";
  CHECK_FALSE(md::FeedSubscriber::Open(o, {}).ok());  // both
  o.group.clear();
  o.listen = "127.0.0.1:notaport";
  CHECK_THAT(std::string(md::FeedSubscriber::Open(o, {}).status().message()),
             Catch::Contains("port 'notaport'"));
  o.listen = "127.0.0.1:0";
  o.snapshot = "127.0.0.1:1";  // nothing listens there
  CHECK_FALSE(md::FeedSubscriber::Open(o, {}).ok());

  FakePublisher pub;
  pub.NewSession("S");
  Client c(md::FeedSubscriberOptions{});
  pub.SendTo(c.sub->feed_port());
  pub.Send(Bytes{1, 2, 3});  // too short to be a packet
  pub.PublishAndSend(Slice(TheDay().messages, 0, 10));
  c.RunUntil([&] { return c.sub->expected() == 11; });
  CHECK(c.sub->stats().bad_packets == 1);
  CHECK(c.warnings.size() == 1);
}

}  // namespace
}  // namespace ccx::mdtest
