// SoupBinTCP 3.0: exact bytes of every packet type, login field decoding, and the
// streaming parser fed whole streams, every split into two chunks, one byte at a time,
// and every error (length 0, length over the maximum, unknown type, wrong fixed size,
// truncated stream).
#include <catch2/catch.hpp>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/protocol/soupbin.h"

namespace ccx::soup {
namespace {

using namespace std::string_view_literals;

using Buf = std::vector<uint8_t>;

Buf Cat(std::initializer_list<uint8_t> hex, std::string_view text = "") {
  Buf b(hex);
  b.insert(b.end(), text.begin(), text.end());
  return b;
}

std::span<const uint8_t> AsBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

std::string AsText(std::span<const uint8_t> b) { return std::string(b.begin(), b.end()); }

// Appends the packet that `encode` writes into a scratch buffer.
template <typename F>
void Put(Buf* stream, F encode) {
  uint8_t tmp[kDefaultMaxLength + kHeaderSize];
  const size_t n = encode(tmp);
  REQUIRE(n > 0);
  stream->insert(stream->end(), tmp, tmp + n);
}

TEST_CASE("SoupBinTCP login request: exact bytes and decode", "[wire]") {
  uint8_t out[kLoginRequestPacket];
  REQUIRE(EncodeLoginRequest({"alice", "secret", "20250401", 42}, out) == 49);
  const Buf expected = Cat({0x00, 0x2F, 'L'},
                           "alice "                  // username alpha 6
                           "secret    "              // password alpha 10
                           "  20250401"              // session, right-justified
                           "                  42");  // sequence, numeric 20
  REQUIRE(expected.size() == 49);
  CHECK(Buf(out, out + 49) == expected);

  LoginRequest login;
  REQUIRE(DecodeLoginRequest(std::span(expected).subspan(3), &login) == LoginStatus::kOk);
  CHECK(login.username == "alice");
  CHECK(login.password == "secret");
  CHECK(login.session == "20250401");
  CHECK(login.sequence == 42);

  // Blank session and sequence 0: "from the current session, next new message".
  REQUIRE(EncodeLoginRequest({"bob", "pw", "", 0}, out) == 49);
  CHECK(AsText(std::span(out + 3, 46)) == "bob   pw        " + std::string(29, ' ') + "0");
  REQUIRE(DecodeLoginRequest(std::span(out + 3, 46), &login) == LoginStatus::kOk);
  CHECK(login.session.empty());
  CHECK(login.sequence == 0);

  // Fields that do not fit are refused, not cut.
  CHECK(EncodeLoginRequest({"toolong", "pw", "", 0}, out) == 0);
  CHECK(EncodeLoginRequest({"u", "password123", "", 0}, out) == 0);
  CHECK(EncodeLoginRequest({"u", "p", "20250401xyz", 0}, out) == 0);
}

TEST_CASE("SoupBinTCP login decode is strict", "[wire]") {
  const std::string base = "user  pass        20250401";  // 6 + 10 + 10
  REQUIRE(base.size() == 26);
  LoginRequest login;
  auto decode = [&](std::string_view seq) {
    const std::string payload = base + std::string(seq);
    return DecodeLoginRequest(AsBytes(payload), &login);
  };
  CHECK(decode("                   1") == LoginStatus::kOk);
  CHECK(decode("00000000000000000007") == LoginStatus::kOk);
  CHECK(login.sequence == 7);
  CHECK(decode("18446744073709551615") == LoginStatus::kOk);
  CHECK(login.sequence == UINT64_MAX);
  CHECK(decode("18446744073709551616") == LoginStatus::kBadNumber);  // overflow
  CHECK(decode("                    ") == LoginStatus::kBadNumber);  // blank
  CHECK(decode("1                   ") == LoginStatus::kBadNumber);  // left-justified
  CHECK(decode("                 1 2") == LoginStatus::kBadNumber);
  CHECK(decode("                  -1") == LoginStatus::kBadNumber);
  CHECK(decode("                  1a") == LoginStatus::kBadNumber);
  CHECK(decode("                 +12") == LoginStatus::kBadNumber);
  CHECK(decode("                   1 ") == LoginStatus::kBadSize);  // 47-byte payload
  CHECK(DecodeLoginRequest({}, &login) == LoginStatus::kBadSize);
  CHECK(ToString(LoginStatus::kBadNumber) == "sequence number not numeric");
}

TEST_CASE("SoupBinTCP login accepted and rejected: exact bytes", "[wire]") {
  uint8_t out[kLoginAcceptedPacket];
  REQUIRE(EncodeLoginAccepted({"20250401", 1}, out) == 33);
  const Buf expected = Cat({0x00, 0x1F, 'A'}, "  20250401                   1");
  REQUIRE(expected.size() == 33);
  CHECK(Buf(out, out + 33) == expected);
  LoginAccepted accepted;
  REQUIRE(DecodeLoginAccepted(std::span(expected).subspan(3), &accepted) == LoginStatus::kOk);
  CHECK(accepted.session == "20250401");
  CHECK(accepted.next_sequence == 1);
  CHECK(DecodeLoginAccepted(std::span(expected).subspan(2), &accepted) == LoginStatus::kBadSize);
  CHECK(EncodeLoginAccepted({"12345678901", 1}, out) == 0);
  const Buf bad = Cat({}, "  20250401                   x");
  CHECK(DecodeLoginAccepted(bad, &accepted) == LoginStatus::kBadNumber);

  REQUIRE(EncodeLoginRejected(LoginRejectReason::kNotAuthorized, out) == 4);
  CHECK(Buf(out, out + 4) == Cat({0x00, 0x02, 'J', 'A'}));
  REQUIRE(EncodeLoginRejected(LoginRejectReason::kSessionNotAvailable, out) == 4);
  CHECK(Buf(out, out + 4) == Cat({0x00, 0x02, 'J', 'S'}));
}

TEST_CASE("SoupBinTCP empty, data and debug packets: exact bytes", "[wire]") {
  uint8_t out[kDefaultMaxLength + kHeaderSize];
  CHECK(EncodeServerHeartbeat(out) == 3);
  CHECK(Buf(out, out + 3) == Cat({0x00, 0x01, 'H'}));
  CHECK(EncodeClientHeartbeat(out) == 3);
  CHECK(Buf(out, out + 3) == Cat({0x00, 0x01, 'R'}));
  CHECK(EncodeEndOfSession(out) == 3);
  CHECK(Buf(out, out + 3) == Cat({0x00, 0x01, 'Z'}));
  CHECK(EncodeLogoutRequest(out) == 3);
  CHECK(Buf(out, out + 3) == Cat({0x00, 0x01, 'O'}));

  const Buf msg = Cat({'X'}, "ABCDEFGHIJKLMN\x00\x00\x00\x05"sv);
  CHECK(EncodeSequencedData(msg, out) == 3 + msg.size());
  CHECK(Buf(out, out + 3) == Cat({0x00, 0x14, 'S'}));
  CHECK(Buf(out + 3, out + 3 + msg.size()) == msg);
  CHECK(EncodeUnsequencedData(msg, out) == 3 + msg.size());
  CHECK(Buf(out, out + 3) == Cat({0x00, 0x14, 'U'}));
  CHECK(EncodeHeader(PacketType::kSequencedData, 66, out) == 3);
  CHECK(Buf(out, out + 3) == Cat({0x00, 0x43, 'S'}));
  CHECK(EncodeHeader(PacketType::kSequencedData, 1024, out) == 0);  // length 1025
  CHECK(EncodeSequencedData(Buf(1024), out) == 0);
  CHECK(EncodeSequencedData(Buf(1023), out) == 1026);

  CHECK(EncodeDebug("bad", out) == 6);
  CHECK(Buf(out, out + 6) == Cat({0x00, 0x04, '+'}, "bad"));
  CHECK(EncodeDebug(std::string(5000, 'x'), out) == 1026);  // cut to length 1024
  CHECK(Buf(out, out + 3) == Cat({0x04, 0x00, '+'}));
  CHECK(EncodeDebug("abcdef", out, 4) == 6);
}

// A client-to-server stream with one packet of each client type.
Buf ClientStream() {
  Buf s;
  Put(&s, [](uint8_t* o) { return EncodeLoginRequest({"alice", "pw", "", 1}, o); });
  Put(&s, [](uint8_t* o) { return EncodeClientHeartbeat(o); });
  const Buf cancel = Cat({'X'}, "TOKEN         \x00\x00\x00\x00"sv);
  Put(&s, [&](uint8_t* o) { return EncodeUnsequencedData(cancel, o); });
  Put(&s, [](uint8_t* o) { return EncodeDebug("hello", o); });
  Put(&s, [](uint8_t* o) { return EncodeUnsequencedData(Buf(1023, 0x5A), o); });  // max
  Put(&s, [](uint8_t* o) { return EncodeUnsequencedData({}, o); });
  Put(&s, [](uint8_t* o) { return EncodeLogoutRequest(o); });
  return s;
}

struct Seen {
  char type;
  Buf payload;
  friend bool operator==(const Seen&, const Seen&) = default;
};

// Feeds `stream` cut at `cuts` (sorted offsets) and returns every packet; the last status
// goes to *last.
std::vector<Seen> ParseChunks(SoupBinParser& parser, const Buf& stream,
                              const std::vector<size_t>& cuts, ParseStatus* last) {
  std::vector<Seen> seen;
  size_t from = 0;
  std::vector<size_t> ends = cuts;
  ends.push_back(stream.size());
  *last = ParseStatus::kNeedMore;
  for (size_t end : ends) {
    parser.Feed(std::span(stream).subspan(from, end - from));
    from = end;
    Packet p;
    while ((*last = parser.Next(&p)) == ParseStatus::kPacket) {
      seen.push_back({static_cast<char>(p.type), Buf(p.payload.begin(), p.payload.end())});
    }
    if (*last != ParseStatus::kNeedMore) break;
  }
  return seen;
}

TEST_CASE("SoupBinParser: many packets in one chunk, zero-copy", "[wire]") {
  const Buf stream = ClientStream();
  SoupBinParser parser(Direction::kFromClient);
  parser.Feed(stream);
  Packet p;
  REQUIRE(parser.Next(&p) == ParseStatus::kPacket);
  CHECK(p.type == PacketType::kLoginRequest);
  CHECK(p.payload.data() == stream.data() + 3);  // a view into the chunk
  LoginRequest login;
  REQUIRE(DecodeLoginRequest(p.payload, &login) == LoginStatus::kOk);
  CHECK(login.username == "alice");
  std::string types = "L";
  while (parser.Next(&p) == ParseStatus::kPacket) types += static_cast<char>(p.type);
  CHECK(types == "LRU+UUO");
  CHECK(parser.Next(&p) == ParseStatus::kNeedMore);
  CHECK(parser.Finish() == ParseStatus::kNeedMore);  // clean end
}

TEST_CASE("SoupBinParser: packets split at every byte boundary", "[wire]") {
  const Buf stream = ClientStream();
  ParseStatus last;
  SoupBinParser whole(Direction::kFromClient);
  const std::vector<Seen> expected = ParseChunks(whole, stream, {}, &last);
  REQUIRE(expected.size() == 7);
  REQUIRE(last == ParseStatus::kNeedMore);

  for (size_t cut = 0; cut <= stream.size(); ++cut) {
    SoupBinParser parser(Direction::kFromClient);
    CHECK(ParseChunks(parser, stream, {cut}, &last) == expected);
    CHECK(last == ParseStatus::kNeedMore);
    CHECK(parser.buffered() == 0);
  }
  // Two cuts around the first packets (every pair within the first 120 bytes).
  for (size_t a = 0; a < 120; ++a) {
    for (size_t b = a; b < 120; ++b) {
      SoupBinParser parser(Direction::kFromClient);
      CHECK(ParseChunks(parser, stream, {a, b}, &last) == expected);
    }
  }
  std::vector<size_t> every(stream.size());
  for (size_t i = 0; i < every.size(); ++i) every[i] = i;
  SoupBinParser bytewise(Direction::kFromClient);
  CHECK(ParseChunks(bytewise, stream, every, &last) == expected);
}

TEST_CASE("SoupBinParser: server stream", "[wire]") {
  Buf s;
  Put(&s, [](uint8_t* o) { return EncodeLoginAccepted({"20250401", 5}, o); });
  Put(&s, [](uint8_t* o) { return EncodeSequencedData(Cat({'S'}, "12345678E"), o); });
  Put(&s, [](uint8_t* o) { return EncodeServerHeartbeat(o); });
  Put(&s, [](uint8_t* o) { return EncodeEndOfSession(o); });
  Put(&s, [](uint8_t* o) { return EncodeLoginRejected(LoginRejectReason::kNotAuthorized, o); });
  ParseStatus last;
  SoupBinParser parser(Direction::kFromServer);
  const std::vector<Seen> seen = ParseChunks(parser, s, {1, 40}, &last);
  REQUIRE(seen.size() == 5);
  CHECK(last == ParseStatus::kNeedMore);
  CHECK(seen[0].type == 'A');
  CHECK(seen[1] == Seen{'S', Cat({'S'}, "12345678E")});
  CHECK(seen[4] == Seen{'J', Cat({'A'})});
}

// Parses `stream` split at every boundary; the error must come out the same each time.
void ExpectError(Direction from, const Buf& stream, ParseStatus error, std::string_view text,
                 size_t max_length = kDefaultMaxLength) {
  for (size_t cut = 0; cut <= stream.size(); ++cut) {
    SoupBinParser parser(from, max_length);
    ParseStatus last;
    ParseChunks(parser, stream, {cut}, &last);
    if (last == ParseStatus::kNeedMore) last = parser.Finish();
    CHECK(last == error);
    CHECK(parser.error() == error);
    CHECK(parser.ErrorText() == text);
    Packet p;
    parser.Feed(stream);
    CHECK(parser.Next(&p) == error);  // sticky
  }
}

TEST_CASE("SoupBinParser: errors", "[wire]") {
  const Buf good = Cat({0x00, 0x01, 'R'});
  auto after_good = [&](const Buf& bad) {
    Buf s = good;
    s.insert(s.end(), bad.begin(), bad.end());
    return s;
  };
  SECTION("length 0") {
    ExpectError(Direction::kFromClient, after_good(Cat({0x00, 0x00, 'R'})),
                ParseStatus::kZeroLength, "invalid packet: length 0");
  }
  SECTION("length 1025 (detected from the length field alone)") {
    ExpectError(Direction::kFromClient, after_good(Cat({0x04, 0x01})), ParseStatus::kTooLong,
                "invalid packet: length 1025 exceeds the maximum 1024");
    ExpectError(Direction::kFromClient, Cat({0xFF, 0xFF, 'U', 1, 2}), ParseStatus::kTooLong,
                "invalid packet: length 65535 exceeds the maximum 1024");
  }
  SECTION("configurable maximum") {
    Buf s = Cat({0x00, 0x65, 'U'});  // length 101
    s.resize(2 + 0x65);
    ExpectError(Direction::kFromClient, s, ParseStatus::kTooLong,
                "invalid packet: length 101 exceeds the maximum 100", 100);
    SoupBinParser parser(Direction::kFromClient, 101);
    parser.Feed(s);
    Packet p;
    CHECK(parser.Next(&p) == ParseStatus::kPacket);
    CHECK(p.payload.size() == 100);
  }
  SECTION("unknown type for the direction") {
    ExpectError(Direction::kFromClient, after_good(Cat({0x00, 0x01, 'Q'})),
                ParseStatus::kUnknownType,
                "invalid packet: type 'Q' (0x51) is not a client packet type");
    ExpectError(Direction::kFromClient, after_good(Cat({0x00, 0x02, 'S', 'x'})),
                ParseStatus::kUnknownType,
                "invalid packet: type 'S' (0x53) is not a client packet type");
    ExpectError(Direction::kFromServer, Cat({0x00, 0x02, 'U', 'x'}), ParseStatus::kUnknownType,
                "invalid packet: type 'U' (0x55) is not a server packet type");
    ExpectError(Direction::kFromServer, Cat({0x00, 0x01, 0x00}), ParseStatus::kUnknownType,
                "invalid packet: type 0x00 is not a server packet type");
  }
  SECTION("fixed-size types with another length") {
    ExpectError(Direction::kFromClient, after_good(Cat({0x00, 0x05, 'L', 'a', 'b', 'c', 'd'})),
                ParseStatus::kBadPayloadSize,
                "invalid packet: type 'L' (0x4C) with length 5, expected 47");
    ExpectError(Direction::kFromClient, Cat({0x00, 0x02, 'R', 0}), ParseStatus::kBadPayloadSize,
                "invalid packet: type 'R' (0x52) with length 2, expected 1");
    ExpectError(Direction::kFromServer, Cat({0x00, 0x01, 'J'}), ParseStatus::kBadPayloadSize,
                "invalid packet: type 'J' (0x4A) with length 1, expected 2");
  }
  SECTION("truncated at the end of the stream") {
    ExpectError(Direction::kFromClient, after_good(Cat({0x00, 0x05, 'U', 'a'})),
                ParseStatus::kTruncated, "stream ended inside a packet (2 of 5 bytes)");
    ExpectError(Direction::kFromClient, after_good(Cat({0x00})), ParseStatus::kTruncated,
                "stream ended inside a packet length field");
  }
}

TEST_CASE("SoupBinParser: errors stop the stream; Reset starts over", "[wire]") {
  SoupBinParser parser(Direction::kFromClient);
  const Buf s = Cat({0x00, 0x01, 'R', 0x00, 0x00, 0x00, 0x01, 'R'});
  parser.Feed(s);
  Packet p;
  CHECK(parser.Next(&p) == ParseStatus::kPacket);
  CHECK(parser.Next(&p) == ParseStatus::kZeroLength);
  CHECK(parser.Next(&p) == ParseStatus::kZeroLength);
  CHECK(ToString(parser.error()) == "zero length");
  parser.Reset();
  CHECK(parser.error() == ParseStatus::kNeedMore);
  CHECK(parser.ErrorText().empty());
  parser.Feed(std::span(s).subspan(5));
  CHECK(parser.Next(&p) == ParseStatus::kPacket);
  CHECK(p.type == PacketType::kClientHeartbeat);
  CHECK(parser.Next(&p) == ParseStatus::kNeedMore);
}

TEST_CASE("SoupBinTCP type tables", "[wire]") {
  for (char t : std::string_view("LURO+")) CHECK(IsValidType(Direction::kFromClient, t));
  for (char t : std::string_view("AJSHZ+")) CHECK(IsValidType(Direction::kFromServer, t));
  for (char t : std::string_view("AJSHZ")) CHECK_FALSE(IsValidType(Direction::kFromClient, t));
  for (char t : std::string_view("LURO")) CHECK_FALSE(IsValidType(Direction::kFromServer, t));
  CHECK(FixedPayloadSize('L') == 46);
  CHECK(FixedPayloadSize('A') == 30);
  CHECK(FixedPayloadSize('J') == 1);
  CHECK(FixedPayloadSize('H') == 0);
  CHECK(FixedPayloadSize('S') == -1);
  CHECK(PutNumeric(0, 1, std::vector<uint8_t>(1).data()));
  uint8_t two[2];
  CHECK_FALSE(PutNumeric(100, 2, two));
}

}  // namespace
}  // namespace ccx::soup
