// MoldUDP64 framing (PROTOCOL.md §3). Downstream packet: session alpha 10, sequence
// number 8 (of the first message), message count 2, then per message a 2-byte length and
// the message bytes; count 0 = heartbeat, count 0xFFFF = end of session (both without
// messages, sequence = the next message's). Request packet (client to the retransmission
// server): session 10, sequence 8, requested count 2. Pure byte work on caller buffers:
// no sockets, no allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "gateway/protocol/endian.h"

namespace ccx::mold {

using Session = wire::Alpha<10>;

constexpr size_t kSessionSize = 10;
constexpr size_t kHeaderSize = 20;   ///< session 10 + sequence 8 + count 2
constexpr size_t kRequestSize = 20;  ///< session 10 + sequence 8 + count 2
constexpr size_t kLengthSize = 2;    ///< the length prefix of each message block
constexpr uint16_t kHeartbeatCount = 0;
constexpr uint16_t kEndOfSessionCount = 0xFFFF;
constexpr uint16_t kMaxCount = 0xFFFE;  ///< most messages in one data packet
/// A packet size that fits an Ethernet frame with IPv4 and UDP headers (1500 - 28).
constexpr size_t kMaxUdpPayload = 1472;

/// `name` (the trading date YYYYMMDD) as a session field: right-justified in 10
/// characters, as PROTOCOL.md §1 names sessions. Longer names keep their first 10.
Session MakeSession(std::string_view name);
/// The session name without padding on either side; the view lives as long as `session`.
std::string_view SessionView(const Session& session);

/// The header of a downstream packet.
struct Header {
  Session session = wire::BlankAlpha<10>();
  uint64_t sequence = 0;  ///< of the first message; for count 0/0xFFFF the next message's
  uint16_t count = 0;
  bool heartbeat() const { return count == kHeartbeatCount; }
  bool end_of_session() const { return count == kEndOfSessionCount; }
  friend bool operator==(const Header&, const Header&) = default;
};

/// A retransmission request.
struct Request {
  Session session = wire::BlankAlpha<10>();
  uint64_t sequence = 0;  ///< first message wanted
  uint16_t count = 0;     ///< how many messages
  friend bool operator==(const Request&, const Request&) = default;
};

/// What a packet parser found wrong (kOk: nothing).
enum class ParseStatus : uint8_t {
  kOk,
  kTooShort,        ///< fewer bytes than the fixed header (or the request size)
  kMessageOverrun,  ///< a message length or the count runs past the end of the packet
  kTrailingBytes,   ///< bytes left after the last counted message (or after a request)
};

/// Short name of a status, static storage.
std::string_view ToString(ParseStatus status);

/// Fills one downstream packet with messages in a caller buffer. Each message goes in
/// with Append (reserve, then encode into the returned pointer) or Add (copy); the count
/// in the buffer is kept current, so packet() is ready to send at any time.
class PacketBuilder {
 public:
  /// A builder writing into `buffer` (not owned; must outlive the builder and be at least
  /// kHeaderSize bytes). The buffer size is the largest packet built, e.g. kMaxUdpPayload.
  explicit PacketBuilder(std::span<uint8_t> buffer);

  /// Starts a new, empty packet for `session` whose first message has `sequence`.
  void Start(const Session& session, uint64_t sequence);

  /// Reserves a block for one message of `length` bytes and returns where to write those
  /// bytes; nullptr (nothing changed) if it does not fit in the buffer or the count is
  /// full: send packet(), Start(session, next_sequence()) and append again.
  uint8_t* Append(size_t length);

  /// Copies `message` in as the next message; false (nothing changed) if it does not fit.
  bool Add(std::span<const uint8_t> message);

  /// True if a message of `length` bytes would fit (false before the first Start).
  bool Fits(size_t length) const;

  /// The packet built so far (header and messages), a view into the buffer.
  std::span<const uint8_t> packet() const { return buffer_.first(size_); }
  uint16_t count() const { return count_; }
  bool empty() const { return count_ == 0; }
  /// Sequence number of the first message of this packet.
  uint64_t sequence() const { return sequence_; }
  /// Sequence number of the message after the last one in this packet.
  uint64_t next_sequence() const { return sequence_ + count_; }

 private:
  std::span<uint8_t> buffer_;
  size_t size_ = 0;
  uint16_t count_ = 0;
  uint64_t sequence_ = 0;
};

/// Writes the 20-byte header of a packet at `out`; returns kHeaderSize.
size_t EncodeHeader(const Header& header, uint8_t* out);
/// Writes a heartbeat packet (count 0, 20 bytes) at `out`; returns its size.
size_t EncodeHeartbeat(const Session& session, uint64_t next_sequence, uint8_t* out);
/// Writes an end-of-session packet (count 0xFFFF, 20 bytes) at `out`; returns its size.
size_t EncodeEndOfSession(const Session& session, uint64_t next_sequence, uint8_t* out);

/// Reads the header of downstream `packet` into *out and checks that exactly `count`
/// length-prefixed messages fill the rest (none for heartbeat and end of session).
ParseStatus ParsePacket(std::span<const uint8_t> packet, Header* out);

/// Walks the messages of a downstream packet that ParsePacket accepted. Views point into
/// the packet.
class MessageReader {
 public:
  /// A reader over `packet` (not copied; must outlive the reader).
  explicit MessageReader(std::span<const uint8_t> packet);
  /// Sets *message to the next message; false when there is none (or bytes run out).
  bool Next(std::span<const uint8_t>* message);

 private:
  std::span<const uint8_t> rest_;
  uint32_t left_;  // messages still to read
};

/// Writes a request packet (kRequestSize bytes) at `out`; returns its size.
size_t EncodeRequest(const Request& request, uint8_t* out);
/// Decodes a request packet of exactly kRequestSize bytes into *out.
ParseStatus DecodeRequest(std::span<const uint8_t> packet, Request* out);

}  // namespace ccx::mold
