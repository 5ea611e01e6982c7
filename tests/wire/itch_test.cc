// ITCH 5.0 and MoldUDP64: exact byte layouts against hand-written bytes, sizes of
// PROTOCOL.md §3-4, round trips, decoder size checks, the packet builder, the packet
// parser's error cases and the retransmission request.
#include <catch2/catch.hpp>

#include <array>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "marketdata/protocol/itch.h"
#include "marketdata/protocol/moldudp64.h"

namespace ccx {
namespace {

using Buf = std::vector<uint8_t>;

// Expected bytes written by hand: hex for integers, text for alpha fields.
struct Bytes {
  Buf v;
  Bytes& operator()(std::initializer_list<uint8_t> hex) {
    for (uint8_t b : hex) v.push_back(b);  // (insert trips a GCC 12 -O3 false warning)
    return *this;
  }
  Bytes& operator()(std::string_view text) {
    for (char c : text) v.push_back(static_cast<uint8_t>(c));
    return *this;
  }
};

template <typename T>
Buf Encoded(const T& m) {
  Buf out(itch::kMaxMessageSize + 8, 0xEE);
  out.resize(itch::Encode(m, out.data()));
  return out;
}

constexpr uint64_t k1500 = 54000000000000;  // 15:00:00 in ns since midnight

TEST_CASE("ITCH add order: exact bytes", "[wire]") {
  itch::AddOrder a;
  a.header = {1, 0, k1500};
  a.order_ref = 5;
  a.side = 'B';
  a.shares = 100;
  a.stock = itch::MakeStock("JCR");
  a.price = 1655 * itch::kPriceScale;
  const Buf expected = Bytes()("A")                                 // type
                       ({0x00, 0x01})                               // stock locate 1
                       ({0x00, 0x00})                               // tracking number
                       ({0x31, 0x1C, 0xDA, 0xD1, 0x60, 0x00})       // timestamp, 6 bytes
                       ({0, 0, 0, 0, 0, 0, 0, 5})                   // order reference 5
                       ("B")                                        // buy/sell
                       ({0x00, 0x00, 0x00, 0x64})                   // shares 100
                       ("JCR     ")                                 // stock alpha 8
                       ({0x00, 0xFC, 0x88, 0x70})                   // price 1655.0000
                           .v;
  REQUIRE(expected.size() == 36);
  CHECK(Encoded(a) == expected);
  itch::AddOrder back;
  REQUIRE(itch::Decode(expected, &back) == itch::DecodeStatus::kOk);
  CHECK(back == a);
  CHECK(itch::StockView(back.stock) == "JCR");
}

TEST_CASE("ITCH cross trade and NOII: exact bytes", "[wire]") {
  itch::CrossTrade q;
  q.header = {2, 7, 1};
  q.shares = 0x0102030405060708;
  q.stock = itch::MakeStock("JCR-FOR");
  q.cross_price = 16550000;
  q.match_number = 9;
  q.cross_type = 'C';
  CHECK(Encoded(q) == Bytes()("Q")({0, 2})({0, 7})({0, 0, 0, 0, 0, 1})({1, 2, 3, 4, 5, 6, 7, 8})(
                          "JCR-FOR ")({0x00, 0xFC, 0x88, 0x70})({0, 0, 0, 0, 0, 0, 0, 9})("C")
                          .v);

  itch::Noii i;
  i.header = {1, 0, 2};
  i.paired_shares = 300;
  i.imbalance_shares = 20;
  i.imbalance_direction = 'B';
  i.stock = itch::MakeStock("JCR");
  i.far_price = 1;
  i.near_price = 2;
  i.reference_price = 3;
  i.cross_type = 'I';
  i.price_variation = 'L';
  const Buf expected = Bytes()("I")({0, 1})({0, 0})({0, 0, 0, 0, 0, 2})(
                           {0, 0, 0, 0, 0, 0, 0x01, 0x2C})({0, 0, 0, 0, 0, 0, 0, 20})("B")(
                           "JCR     ")({0, 0, 0, 1})({0, 0, 0, 2})({0, 0, 0, 3})("IL")
                           .v;
  REQUIRE(expected.size() == 50);
  CHECK(Encoded(i) == expected);
}

TEST_CASE("ITCH timestamps keep 48 bits", "[wire]") {
  itch::OrderDelete d;
  d.header.timestamp = itch::kMaxTimestamp;
  itch::OrderDelete back;
  REQUIRE(itch::Decode(Encoded(d), &back) == itch::DecodeStatus::kOk);
  CHECK(back.header.timestamp == itch::kMaxTimestamp);
  d.header.timestamp = itch::kMaxTimestamp + 1;  // out of range: the low 48 bits (0) go out
  REQUIRE(itch::Decode(Encoded(d), &back) == itch::DecodeStatus::kOk);
  CHECK(back.header.timestamp == 0);
}

// Non-default values in every field of every message.
std::vector<itch::Message> SampleMessages() {
  const itch::Header h{3, 0xBEEF, 0x123456789ABC};
  const itch::Stock s = itch::MakeStock("JCR-REN1");
  return {
      itch::SystemEvent{h, 'Q'},
      itch::StockDirectory{h, s, 'N', 'N', 100, 'Y', 'Z', {'C', 'O'}, 'P', 'N', 'N', '1', 'N',
                           7, 'N'},
      itch::TradingAction{h, s, 'H', ' ', {'M', 'W', 'C', 'B'}},
      itch::AddOrder{h, 11, 'S', 200, s, 16550000},
      itch::OrderCancel{h, 11, 50},
      itch::OrderDelete{h, 11},
      itch::OrderReplace{h, 11, 12, 150, 16560000},
      itch::OrderExecuted{h, 12, 150, 0xFEDCBA9876543210},
      itch::CrossTrade{h, 1000, s, 16550000, 13, 'I'},
      itch::Noii{h, 1000, 400, 'S', s, 16000000, 16100000, 16550000, 'C', 'A'},
  };
}

TEST_CASE("ITCH sizes and round trips", "[wire]") {
  const std::array<std::pair<char, size_t>, 10> sizes = {{{'S', 12}, {'R', 39}, {'H', 25},
                                                          {'A', 36}, {'X', 23}, {'D', 19},
                                                          {'U', 35}, {'E', 31}, {'Q', 40},
                                                          {'I', 50}}};
  const std::vector<itch::Message> messages = SampleMessages();
  REQUIRE(messages.size() == sizes.size());
  for (size_t k = 0; k < messages.size(); ++k) {
    std::array<uint8_t, itch::kMaxMessageSize> buf{};
    const size_t n = itch::Encode(messages[k], buf.data());
    CHECK(static_cast<char>(buf[0]) == sizes[k].first);
    CHECK(n == sizes[k].second);
    CHECK(itch::MessageSize(sizes[k].first) == sizes[k].second);
    itch::Message back;
    REQUIRE(itch::DecodeMessage(std::span(buf.data(), n), &back) == itch::DecodeStatus::kOk);
    CHECK(back == messages[k]);
  }
  CHECK(itch::MessageSize('F') == 0);
}

template <typename T>
void CheckSizes(const T& sample) {
  Buf bytes = Encoded(sample);
  REQUIRE(bytes.size() == T::kSize);
  T out = sample;
  const std::span<const uint8_t> all(bytes);
  CHECK(itch::Decode(all, &out) == itch::DecodeStatus::kOk);
  CHECK(itch::Decode(all.first(T::kSize - 1), &out) == itch::DecodeStatus::kBadSize);
  CHECK(itch::Decode(all.first(1), &out) == itch::DecodeStatus::kBadSize);
  CHECK(itch::Decode(all.first(0), &out) == itch::DecodeStatus::kEmpty);
  bytes.push_back(0);
  CHECK(itch::Decode(bytes, &out) == itch::DecodeStatus::kBadSize);
  bytes.pop_back();
  bytes[0] = '?';
  CHECK(itch::Decode(bytes, &out) == itch::DecodeStatus::kWrongType);
  CHECK(out == sample);  // never touched on error
}

TEST_CASE("ITCH decoders check type and exact size", "[wire]") {
  for (const itch::Message& m : SampleMessages()) {
    std::visit([](const auto& msg) { CheckSizes(msg); }, m);
  }
  itch::Message out;
  CHECK(itch::DecodeMessage({}, &out) == itch::DecodeStatus::kEmpty);
  const Buf unknown = Bytes()("F")({0, 0, 0, 0, 0, 0, 0, 0, 0, 0}).v;
  CHECK(itch::DecodeMessage(unknown, &out) == itch::DecodeStatus::kUnknownType);
  CHECK(itch::ToString(itch::DecodeStatus::kUnknownType) == "unknown message type");
}

// ---- MoldUDP64 ------------------------------------------------------------------------

TEST_CASE("MoldUDP64 packet: exact bytes", "[wire]") {
  std::array<uint8_t, mold::kMaxUdpPayload> buf{};
  mold::PacketBuilder builder(buf);
  const mold::Session session = mold::MakeSession("20250401");
  CHECK(mold::SessionView(session) == "20250401");
  builder.Start(session, 0x0102);
  CHECK(builder.empty());
  CHECK(builder.packet().size() == 20);

  itch::OrderDelete d;
  d.header = {1, 0, 1};
  d.order_ref = 5;
  uint8_t* at = builder.Append(itch::OrderDelete::kSize);
  REQUIRE(at != nullptr);
  itch::Encode(d, at);
  itch::SystemEvent e;
  e.event_code = 'C';
  REQUIRE(builder.Add(Encoded(e)));
  CHECK(builder.count() == 2);
  CHECK(builder.sequence() == 0x0102);
  CHECK(builder.next_sequence() == 0x0104);

  const Buf expected = Bytes()("  20250401")                          // session, alpha 10
                       ({0, 0, 0, 0, 0, 0, 0x01, 0x02})               // sequence number
                       ({0x00, 0x02})                                 // message count
                       ({0x00, 0x13})("D")({0, 1})({0, 0})({0, 0, 0, 0, 0, 1})(
                           {0, 0, 0, 0, 0, 0, 0, 5})                  // 19-byte delete
                       ({0x00, 0x0C})("S")({0, 0})({0, 0})({0, 0, 0, 0, 0, 0})("C")
                           .v;
  CHECK(Buf(builder.packet().begin(), builder.packet().end()) == expected);

  mold::Header h;
  REQUIRE(mold::ParsePacket(expected, &h) == mold::ParseStatus::kOk);
  CHECK(h == mold::Header{session, 0x0102, 2});
  mold::MessageReader reader(expected);
  std::span<const uint8_t> msg;
  REQUIRE(reader.Next(&msg));
  itch::OrderDelete back;
  REQUIRE(itch::Decode(msg, &back) == itch::DecodeStatus::kOk);
  CHECK(back == d);
  REQUIRE(reader.Next(&msg));
  CHECK(msg.size() == 12);
  CHECK_FALSE(reader.Next(&msg));
}

TEST_CASE("MoldUDP64 heartbeat and end of session", "[wire]") {
  const mold::Session session = mold::MakeSession("20250401");
  uint8_t out[mold::kHeaderSize];
  REQUIRE(mold::EncodeHeartbeat(session, 7, out) == 20);
  CHECK(Buf(out, out + 20) == Bytes()("  20250401")({0, 0, 0, 0, 0, 0, 0, 7})({0, 0}).v);
  mold::Header h;
  REQUIRE(mold::ParsePacket(std::span(out, 20), &h) == mold::ParseStatus::kOk);
  CHECK(h.heartbeat());
  CHECK_FALSE(h.end_of_session());

  REQUIRE(mold::EncodeEndOfSession(session, 7, out) == 20);
  CHECK(Buf(out, out + 20) == Bytes()("  20250401")({0, 0, 0, 0, 0, 0, 0, 7})({0xFF, 0xFF}).v);
  REQUIRE(mold::ParsePacket(std::span(out, 20), &h) == mold::ParseStatus::kOk);
  CHECK(h.end_of_session());
  mold::MessageReader reader(std::span(out, 20));
  std::span<const uint8_t> msg;
  CHECK_FALSE(reader.Next(&msg));
}

TEST_CASE("MoldUDP64 parser errors", "[wire]") {
  const Buf head = Bytes()("  20250401")({0, 0, 0, 0, 0, 0, 0, 1}).v;
  auto packet = [&](std::initializer_list<uint8_t> rest) {
    Buf b = head;
    b.insert(b.end(), rest);
    return b;
  };
  mold::Header h;
  h.sequence = 99;
  CHECK(mold::ParsePacket(packet({0}), &h) == mold::ParseStatus::kTooShort);
  CHECK(mold::ParsePacket({}, &h) == mold::ParseStatus::kTooShort);
  CHECK(mold::ParsePacket(packet({0, 1}), &h) == mold::ParseStatus::kMessageOverrun);
  CHECK(mold::ParsePacket(packet({0, 1, 0}), &h) == mold::ParseStatus::kMessageOverrun);
  CHECK(mold::ParsePacket(packet({0, 1, 0, 3, 'D', 0}), &h) ==
        mold::ParseStatus::kMessageOverrun);
  CHECK(mold::ParsePacket(packet({0, 2, 0, 1, 'D'}), &h) == mold::ParseStatus::kMessageOverrun);
  CHECK(mold::ParsePacket(packet({0, 1, 0, 1, 'D', 0}), &h) == mold::ParseStatus::kTrailingBytes);
  CHECK(mold::ParsePacket(packet({0, 0, 0}), &h) == mold::ParseStatus::kTrailingBytes);
  CHECK(mold::ParsePacket(packet({0xFF, 0xFF, 0, 1, 'D'}), &h) ==
        mold::ParseStatus::kTrailingBytes);
  CHECK(h.sequence == 99);  // untouched on error
  CHECK(mold::ParsePacket(packet({0, 1, 0, 0}), &h) == mold::ParseStatus::kOk);  // empty msg
  CHECK(mold::ToString(mold::ParseStatus::kTrailingBytes) ==
        "trailing bytes after the last message");
}

TEST_CASE("MoldUDP64 builder limits", "[wire]") {
  std::array<uint8_t, 60> buf{};
  mold::PacketBuilder builder(buf);
  CHECK(builder.Append(1) == nullptr);  // not started
  builder.Start(mold::MakeSession("S"), 1);
  CHECK(builder.Fits(38));
  CHECK_FALSE(builder.Fits(39));  // 20 + 2 + 39 > 60
  REQUIRE(builder.Add(Buf(10, 1)));
  REQUIRE(builder.Add(Buf(10, 2)));
  CHECK(builder.packet().size() == 44);
  CHECK_FALSE(builder.Add(Buf(15, 3)));  // 44 + 17 > 60: nothing changes
  CHECK(builder.count() == 2);
  CHECK(builder.packet().size() == 44);
  REQUIRE(builder.Add(Buf(14, 4)));
  CHECK(builder.packet().size() == 60);
  mold::Header h;
  REQUIRE(mold::ParsePacket(builder.packet(), &h) == mold::ParseStatus::kOk);
  CHECK(h.count == 3);
  builder.Start(h.session, builder.next_sequence());
  CHECK(builder.sequence() == 4);
  CHECK(builder.packet().size() == 20);
}

TEST_CASE("MoldUDP64 request: exact bytes and size checks", "[wire]") {
  const mold::Request request{mold::MakeSession("20250401"), 1000, 50};
  uint8_t out[mold::kRequestSize + 1] = {};
  REQUIRE(mold::EncodeRequest(request, out) == 20);
  CHECK(Buf(out, out + 20) ==
        Bytes()("  20250401")({0, 0, 0, 0, 0, 0, 0x03, 0xE8})({0x00, 0x32}).v);
  mold::Request back;
  REQUIRE(mold::DecodeRequest(std::span(out, 20), &back) == mold::ParseStatus::kOk);
  CHECK(back == request);
  CHECK(mold::DecodeRequest(std::span(out, 19), &back) == mold::ParseStatus::kTooShort);
  CHECK(mold::DecodeRequest(std::span(out, 21), &back) == mold::ParseStatus::kTrailingBytes);
  CHECK(mold::SessionView(mold::MakeSession("")).empty());
  const mold::Session cut = mold::MakeSession("12345678901");
  CHECK(std::string_view(cut.data(), cut.size()) == "1234567890");
}

}  // namespace
}  // namespace ccx
