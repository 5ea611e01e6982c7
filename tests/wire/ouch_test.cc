// OUCH 4.2 codec: exact byte layouts against hand-written bytes, sizes of PROTOCOL.md §2,
// round trips of every message, and every decoder's size and type checks.
#include <catch2/catch.hpp>

#include <array>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "gateway/protocol/ouch.h"

namespace ccx::ouch {
namespace {

// Expected bytes written by hand: hex for integers, text for alpha fields.
struct Bytes {
  std::vector<uint8_t> v;
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
std::vector<uint8_t> Encoded(const T& m) {
  std::vector<uint8_t> out(kMaxMessageSize + 8, 0xEE);
  const size_t n = Encode(m, out.data());
  out.resize(n);
  return out;
}

// 09:30:00.123456789 in ns since midnight.
constexpr uint64_t kTime = 34200123456789;

Accepted SampleAccepted() {
  Accepted a;
  a.timestamp = kTime;
  a.token = MakeToken("ABC123");
  a.side = 'B';
  a.shares = 100;
  a.stock = MakeStock("JCR");
  a.price = 1655 * kPriceScale;
  a.tif = 99999;
  a.firm = MakeFirm("FRM1");
  a.display = 'Y';
  a.order_ref = 0x0102030405060708;
  a.capacity = 'A';
  a.intermarket_sweep = 'N';
  a.min_qty = 0;
  a.cross_type = 'N';
  a.order_state = 'L';
  a.bbo_weight = ' ';
  return a;
}

TEST_CASE("OUCH accepted: exact bytes", "[wire]") {
  const std::vector<uint8_t> expected =
      Bytes()("A")                                             // type
      ({0x00, 0x00, 0x1F, 0x1A, 0xD6, 0x35, 0xBD, 0x15})      // timestamp 34200123456789
      ("ABC123        ")                                      // token, alpha 14
      ("B")                                                   // buy/sell
      ({0x00, 0x00, 0x00, 0x64})                              // shares 100
      ("JCR     ")                                            // stock, alpha 8
      ({0x00, 0xFC, 0x88, 0x70})                              // price 1655.0000
      ({0x00, 0x01, 0x86, 0x9F})                              // time in force 99999
      ("FRM1")                                                // firm
      ("Y")                                                   // display
      ({0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08})      // order reference number
      ("A")("N")                                              // capacity, ISO
      ({0x00, 0x00, 0x00, 0x00})                              // minimum quantity
      ("N")("L")(" ")                                         // cross type, state, BBO
          .v;
  REQUIRE(expected.size() == 66);
  CHECK(Encoded(SampleAccepted()) == expected);
  Accepted back;
  REQUIRE(Decode(expected, &back) == DecodeStatus::kOk);
  CHECK(back == SampleAccepted());
  CHECK(TokenView(back.token) == "ABC123");
  CHECK(StockView(back.stock) == "JCR");
}

TEST_CASE("OUCH enter order: exact bytes", "[wire]") {
  EnterOrder o;
  o.token = MakeToken("T1");
  o.side = 'S';
  o.shares = 0x01020304;
  o.stock = MakeStock("JCR-FOR1");
  o.price = 16550000;
  o.tif = 0;
  o.firm = MakeFirm("");
  o.display = 'Y';
  o.capacity = 'P';
  o.intermarket_sweep = 'N';
  o.min_qty = 0;
  o.cross_type = 'N';
  o.customer_type = 'R';
  const std::vector<uint8_t> expected = Bytes()("O")("T1            ")("S")({1, 2, 3, 4})(
      "JCR-FOR1")({0x00, 0xFC, 0x88, 0x70})({0, 0, 0, 0})("    ")("YPN")({0, 0, 0, 0})("NR")
                                            .v;
  REQUIRE(expected.size() == 49);
  CHECK(Encoded(o) == expected);
  EnterOrder back;
  REQUIRE(Decode(expected, &back) == DecodeStatus::kOk);
  CHECK(back == o);
  CHECK(FirmView(back.firm).empty());
}

TEST_CASE("OUCH cancel order and rejected: exact bytes", "[wire]") {
  CancelOrder x;
  x.token = MakeToken("ORDER-00000001");
  x.shares = 300;
  CHECK(Encoded(x) == Bytes()("X")("ORDER-00000001")({0x00, 0x00, 0x01, 0x2C}).v);

  Rejected j;
  j.timestamp = 1;
  j.token = MakeToken("Z");
  j.reason = 'p';
  CHECK(Encoded(j) == Bytes()("J")({0, 0, 0, 0, 0, 0, 0, 1})("Z             ")("p").v);
}

TEST_CASE("OUCH sizes match PROTOCOL.md", "[wire]") {
  CHECK(Encoded(EnterOrder{}).size() == 49);
  CHECK(Encoded(ReplaceOrder{}).size() == 47);
  CHECK(Encoded(CancelOrder{}).size() == 19);
  CHECK(Encoded(SystemEvent{}).size() == 10);
  CHECK(Encoded(Accepted{}).size() == 66);
  CHECK(Encoded(Replaced{}).size() == 80);
  CHECK(Encoded(Canceled{}).size() == 28);
  CHECK(Encoded(Executed{}).size() == 40);
  CHECK(Encoded(Rejected{}).size() == 24);
  CHECK(Encoded(CancelReject{}).size() == 23);
  CHECK(InboundSize('O') == 49);
  CHECK(InboundSize('U') == 47);
  CHECK(InboundSize('X') == 19);
  CHECK(InboundSize('M') == 0);
  CHECK(OutboundSize('U') == 80);
  CHECK(OutboundSize('O') == 0);
}

// Non-default values in every field, so that a swapped or dropped field shows.
Outbound SampleOutbound(int which) {
  switch (which) {
    case 0: return SystemEvent{kTime, 'E'};
    case 1: return SampleAccepted();
    case 2: {
      const Accepted a = SampleAccepted();
      return Replaced{a.timestamp + 1, MakeToken("NEW-TOKEN"), 'S', 7, MakeStock("JCR-REN"),
                      123456789, 0, MakeFirm("AB"), 'N', 99, 'R', 'Y', 5, 'C', 'D',
                      MakeToken("OLD-TOKEN"), 'X'};
    }
    case 3: return Canceled{kTime, MakeToken("C1"), 0xFFFFFFFF, 'T'};
    case 4: return Executed{kTime, MakeToken("E1"), 40, 16550000, 'C', 0xA1B2C3D4E5F60718};
    case 5: return Rejected{kTime, MakeToken("R1"), 'd'};
    default: return CancelReject{UINT64_MAX, MakeToken("I1")};
  }
}

TEST_CASE("OUCH round trips", "[wire]") {
  SECTION("outbound") {
    for (int i = 0; i < 7; ++i) {
      const Outbound m = SampleOutbound(i);
      std::array<uint8_t, kMaxMessageSize> buf{};
      const size_t n = Encode(m, buf.data());
      const std::span<const uint8_t> bytes(buf.data(), n);
      CHECK(n == OutboundSize(static_cast<char>(buf[0])));
      CHECK(CheckOutbound(bytes) == DecodeStatus::kOk);
      Outbound back;
      REQUIRE(DecodeOutbound(bytes, &back) == DecodeStatus::kOk);
      CHECK(back == m);
    }
  }
  SECTION("inbound") {
    EnterOrder o;
    o.token = MakeToken("IN-1");
    o.side = 'T';
    o.shares = 1;
    o.stock = MakeStock("S");
    o.price = 2;
    o.tif = 99998;
    o.firm = MakeFirm("F");
    o.min_qty = 3;
    ReplaceOrder u{MakeToken("IN-1"), MakeToken("IN-2"), 10, 20, 99999, 'Y', 'N', 30};
    CancelOrder x{MakeToken("IN-2"), 0};
    for (const Inbound& m : {Inbound(o), Inbound(u), Inbound(x)}) {
      std::array<uint8_t, kMaxMessageSize> buf{};
      const size_t n = Encode(m, buf.data());
      const std::span<const uint8_t> bytes(buf.data(), n);
      CHECK(CheckInbound(bytes) == DecodeStatus::kOk);
      CHECK(InboundErrorText(bytes).empty());
      Inbound back;
      REQUIRE(DecodeInbound(bytes, &back) == DecodeStatus::kOk);
      CHECK(back == m);
    }
  }
}

template <typename T>
void CheckSizes(const T& sample) {
  std::vector<uint8_t> bytes = Encoded(sample);
  REQUIRE(bytes.size() == T::kSize);
  T out = sample;
  const std::span<const uint8_t> all(bytes);
  CHECK(Decode(all, &out) == DecodeStatus::kOk);
  CHECK(Decode(all.first(T::kSize - 1), &out) == DecodeStatus::kBadSize);
  CHECK(Decode(all.first(1), &out) == DecodeStatus::kBadSize);
  CHECK(Decode(all.first(0), &out) == DecodeStatus::kEmpty);
  bytes.push_back(0);
  CHECK(Decode(bytes, &out) == DecodeStatus::kBadSize);
  bytes.pop_back();
  bytes[0] = '?';
  CHECK(Decode(bytes, &out) == DecodeStatus::kWrongType);
  CHECK(out == sample);  // never touched on error
}

TEST_CASE("OUCH decoders check type and exact size", "[wire]") {
  CheckSizes(EnterOrder{});
  CheckSizes(ReplaceOrder{});
  CheckSizes(CancelOrder{});
  for (int i = 0; i < 7; ++i) {
    std::visit([](const auto& m) { CheckSizes(m); }, SampleOutbound(i));
  }
}

TEST_CASE("OUCH inbound checks by direction", "[wire]") {
  const std::vector<uint8_t> replaced = Encoded(Replaced{});  // outbound U, 80 bytes
  CHECK(CheckInbound(replaced) == DecodeStatus::kBadSize);    // inbound U is 47
  CHECK(CheckOutbound(replaced) == DecodeStatus::kOk);
  CHECK(InboundErrorText(replaced) == "invalid OUCH message: type 'U' has 80 bytes, expected 47");

  const std::vector<uint8_t> accepted = Encoded(Accepted{});
  Inbound in;
  CHECK(DecodeInbound(accepted, &in) == DecodeStatus::kUnknownType);
  CHECK(CheckInbound(accepted) == DecodeStatus::kUnknownType);
  CHECK(InboundErrorText(accepted) == "invalid OUCH message: unknown type 0x41");
  CHECK(CheckInbound({}) == DecodeStatus::kEmpty);
  CHECK(InboundErrorText({}) == "invalid OUCH message: empty");
  Outbound out;
  CHECK(DecodeOutbound(Encoded(EnterOrder{}), &out) == DecodeStatus::kUnknownType);
  CHECK(DecodeOutbound({}, &out) == DecodeStatus::kEmpty);
  CHECK(ToString(DecodeStatus::kBadSize) == "wrong message size");
}

TEST_CASE("OUCH alpha helpers", "[wire]") {
  Token t = MakeToken("abc");
  CHECK(std::string_view(t.data(), t.size()) == "abc           ");
  CHECK(TokenView(t) == "abc");
  CHECK(SetToken(&t, "12345678901234"));
  CHECK(TokenView(t) == "12345678901234");
  CHECK_FALSE(SetToken(&t, "123456789012345"));
  CHECK(TokenView(t) == "12345678901234");  // unchanged
  CHECK(TokenView(MakeToken("")).empty());
  CHECK(TokenView(MakeToken(" a b ")) == " a b");  // only the right padding goes
  Stock s{};
  CHECK(SetStock(&s, "JCR"));
  CHECK(std::string_view(s.data(), s.size()) == "JCR     ");
  CHECK_FALSE(SetStock(&s, "123456789"));
  CHECK(StockView(MakeStock("123456789")) == "12345678");  // MakeStock cuts
}

}  // namespace
}  // namespace ccx::ouch
