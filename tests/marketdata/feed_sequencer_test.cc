// FeedSequencer without sockets: in-order delivery from any arrival order, duplicates,
// gap requests (windows, caps, re-requests after the timeout), heartbeats and the end of
// session revealing lost tails, session changes, late retransmissions of an old session,
// and giving up gaps when there is no retransmission server.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "marketdata/subscriber/feed_sequencer.h"

namespace ccx::md {
namespace {

using Clock = FeedSequencer::Clock;
using std::chrono::milliseconds;

// Messages are 1 byte: the sequence number's low byte, so delivery order is checkable.
std::vector<uint8_t> Packet(const std::string& session, uint64_t first, uint16_t count) {
  std::vector<uint8_t> buf(mold::kMaxUdpPayload);
  mold::PacketBuilder b(buf);
  b.Start(mold::MakeSession(session), first);
  for (uint64_t s = first; s < first + count; ++s) {
    const uint8_t m = static_cast<uint8_t>(s);
    REQUIRE(b.Add(std::span<const uint8_t>(&m, 1)));
  }
  return std::vector<uint8_t>(b.packet().begin(), b.packet().end());
}

std::vector<uint8_t> Heartbeat(const std::string& session, uint64_t next) {
  std::vector<uint8_t> buf(mold::kHeaderSize);
  mold::EncodeHeartbeat(mold::MakeSession(session), next, buf.data());
  return buf;
}

std::vector<uint8_t> EndOfSession(const std::string& session, uint64_t next) {
  std::vector<uint8_t> buf(mold::kHeaderSize);
  mold::EncodeEndOfSession(mold::MakeSession(session), next, buf.data());
  return buf;
}

struct Rig {
  explicit Rig(FeedSequencer::Options o = {})
      : seq(o, FeedSequencer::Callbacks{
                   .on_session = [this](std::string_view s) { sessions.emplace_back(s); },
                   .on_message =
                       [this](uint64_t s, std::span<const uint8_t> b) {
                         delivered.push_back(s);
                         CHECK(b.size() == 1);
                         CHECK(b[0] == static_cast<uint8_t>(s));
                       },
                   .on_end_of_session = [this](std::string_view s) { ended.emplace_back(s); },
                   .on_lost = [this](uint64_t f, uint64_t n) { lost.push_back({f, n}); },
               }) {}

  void Feed(const std::vector<uint8_t>& p, bool retrans = false) {
    mold::Header h;
    REQUIRE(mold::ParsePacket(p, &h) == mold::ParseStatus::kOk);
    seq.OnPacket(h, p, retrans, now);
  }
  std::vector<uint64_t> Range(uint64_t from, uint64_t to) {
    std::vector<uint64_t> v;
    for (uint64_t s = from; s <= to; ++s) v.push_back(s);
    return v;
  }

  Clock::time_point now{};
  FeedSequencer seq;
  std::vector<std::string> sessions, ended;
  std::vector<uint64_t> delivered;
  std::vector<std::pair<uint64_t, uint64_t>> lost;
};

TEST_CASE("Sequencer: in order, duplicates ignored", "[marketdata][sequencer]") {
  Rig r;
  r.Feed(Packet("20260306", 1, 3));
  r.Feed(Packet("20260306", 4, 2));
  r.Feed(Packet("20260306", 2, 3));  // a duplicate
  CHECK(r.delivered == r.Range(1, 5));
  CHECK(r.sessions == std::vector<std::string>{"20260306"});
  CHECK(r.seq.stats().duplicates == 3);
  CHECK_FALSE(r.seq.has_gap());
  CHECK(r.seq.DueRequests(r.now).empty());
}

TEST_CASE("Sequencer: any arrival order delivers in sequence", "[marketdata][sequencer]") {
  std::mt19937_64 rng(99);
  std::vector<std::vector<uint8_t>> packets;
  for (uint64_t s = 1; s <= 500; s += 5) packets.push_back(Packet("D", s, 5));
  std::shuffle(packets.begin() + 1, packets.end(), rng);
  Rig r;
  for (const auto& p : packets) r.Feed(p);
  CHECK(r.delivered == r.Range(1, 500));
  CHECK(r.seq.buffered() == 0);
}

TEST_CASE("Sequencer: a gap is requested once, then again after the timeout", "[marketdata][sequencer]") {
  Rig r;
  r.Feed(Packet("S1", 1, 2));
  r.Feed(Packet("S1", 6, 2));  // 3..5 missing
  CHECK(r.delivered == r.Range(1, 2));
  CHECK(r.seq.has_gap());
  auto req = r.seq.DueRequests(r.now);
  REQUIRE(req.size() == 1);
  CHECK(mold::SessionView(req[0].session) == "S1");
  CHECK(req[0].sequence == 3);
  CHECK(req[0].count == 3);
  CHECK(r.seq.DueRequests(r.now + milliseconds(50)).empty());  // still outstanding
  CHECK(r.seq.NextDeadline() == r.now + milliseconds(100));
  req = r.seq.DueRequests(r.now + milliseconds(100));  // timed out: asked again
  REQUIRE(req.size() == 1);
  CHECK(req[0].sequence == 3);
  // The answer fills the gap; the buffered messages follow.
  r.Feed(Packet("S1", 3, 3), true);
  CHECK(r.delivered == r.Range(1, 7));
  CHECK(r.seq.DueRequests(r.now).empty());
  CHECK(r.seq.NextDeadline() == Clock::time_point::max());
}

TEST_CASE("Sequencer: several holes in one window, capped count", "[marketdata][sequencer]") {
  FeedSequencer::Options o;
  o.max_request_count = 10;
  o.max_outstanding = 2;
  Rig r(o);
  r.Feed(Packet("S", 1, 1));
  // Holes at 2, 4, 6..7, 20..39 (known up to 40).
  r.Feed(Packet("S", 3, 1));
  r.Feed(Packet("S", 5, 1));
  r.Feed(Packet("S", 8, 12));
  r.Feed(Packet("S", 40, 1));
  auto req = r.seq.DueRequests(r.now);
  REQUIRE(req.size() == 2);
  // First window from 2, ends at the last hole inside [2, 12): 7.
  CHECK(req[0].sequence == 2);
  CHECK(req[0].count == 6);
  // Second from 20, capped at 10.
  CHECK(req[1].sequence == 20);
  CHECK(req[1].count == 10);
  // Answering the first frees a slot for the rest.
  r.Feed(Packet("S", 2, 6), true);
  CHECK(r.delivered == r.Range(1, 19));
  req = r.seq.DueRequests(r.now);
  REQUIRE(req.size() == 1);
  CHECK(req[0].sequence == 30);
  CHECK(req[0].count == 10);
  r.Feed(Packet("S", 30, 10), true);
  r.Feed(Packet("S", 20, 10), true);
  CHECK(r.delivered == r.Range(1, 40));
}

TEST_CASE("Sequencer: heartbeat and end of session reveal a lost tail", "[marketdata][sequencer]") {
  Rig r;
  r.Feed(Packet("S", 1, 3));
  r.Feed(Heartbeat("S", 4));
  CHECK_FALSE(r.seq.has_gap());
  r.Feed(Heartbeat("S", 6));  // 4 and 5 were sent and lost
  CHECK(r.seq.has_gap());
  auto req = r.seq.DueRequests(r.now);
  REQUIRE(req.size() == 1);
  CHECK(req[0].sequence == 4);
  CHECK(req[0].count == 2);
  r.Feed(EndOfSession("S", 8));  // 6 and 7 too
  CHECK(r.ended.empty());
  req = r.seq.DueRequests(r.now);
  REQUIRE(req.size() == 1);
  CHECK(req[0].sequence == 6);
  r.Feed(Packet("S", 4, 4), true);
  CHECK(r.delivered == r.Range(1, 7));
  CHECK(r.ended == std::vector<std::string>{"S"});
  CHECK(r.seq.ended());
}

TEST_CASE("Sequencer: a new session restarts at 1; the old one is over", "[marketdata][sequencer]") {
  Rig r;
  r.Feed(Packet("20260305", 1, 3));
  r.Feed(EndOfSession("20260305", 4));
  r.Feed(Packet("20260306", 1, 2));
  CHECK(r.sessions == std::vector<std::string>{"20260305", "20260306"});
  CHECK(r.ended == std::vector<std::string>{"20260305"});
  CHECK(r.delivered == std::vector<uint64_t>{1, 2, 3, 1, 2});
  // Late packets of the finished session, live or retransmitted, are ignored.
  r.Feed(Packet("20260305", 3, 1));
  r.Feed(Packet("20260305", 4, 1), true);
  CHECK(r.sessions.size() == 2);
  CHECK(r.seq.stats().stale == 2);
  CHECK(r.delivered.size() == 5);
  // A new session whose first packets were lost: its start is asked for.
  r.Feed(Packet("20260309", 5, 1));
  auto req = r.seq.DueRequests(r.now);
  REQUIRE(req.size() == 1);
  CHECK(mold::SessionView(req[0].session) == "20260309");
  CHECK(req[0].sequence == 1);
  CHECK(req[0].count == 4);
}

TEST_CASE("Sequencer: retransmissions never start a session", "[marketdata][sequencer]") {
  Rig r;
  r.Feed(Packet("S", 1, 2), true);
  CHECK(r.delivered.empty());
  CHECK_FALSE(r.seq.session().has_value());
}

TEST_CASE("Sequencer: start after a snapshot", "[marketdata][sequencer]") {
  Rig r;
  r.seq.Start("S", 50);
  r.Feed(Packet("S", 45, 10));  // 45..49 are in the snapshot
  CHECK(r.delivered == r.Range(50, 54));
  CHECK(r.seq.stats().duplicates == 5);
}

TEST_CASE("Sequencer: without a retransmission server old gaps are given up", "[marketdata][sequencer]") {
  FeedSequencer::Options o;
  o.can_request = false;
  Rig r(o);
  r.Feed(Packet("S", 1, 1));
  r.Feed(Packet("S", 4, 2));
  CHECK(r.seq.DueRequests(r.now).empty());
  CHECK(r.delivered == r.Range(1, 1));
  CHECK(r.seq.DueRequests(r.now + milliseconds(100)).empty());
  CHECK(r.lost == std::vector<std::pair<uint64_t, uint64_t>>{{2, 2}});
  CHECK(r.delivered == std::vector<uint64_t>{1, 4, 5});
}

}  // namespace
}  // namespace ccx::md
