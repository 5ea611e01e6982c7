// SoupBinTCP 3.0 framing (PROTOCOL.md §1): a streaming parser that turns the bytes of one
// TCP connection into packets, and encoders for every packet type. No sockets here: the
// caller reads from the connection and feeds what arrived, in whatever chunks TCP gave.
//
// Packet: length (2 bytes, big-endian, the bytes that follow: type + payload), type (1),
// payload. A packet is invalid, and ends the connection (the caller sends a `+` debug
// packet with SoupBinParser::ErrorText()), when its length is 0 or above the maximum
// (1,024 by default), its type is not one the sender's side may send, or a fixed-size
// packet (login, heartbeat, end of session, logout) has the wrong length.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ccx::soup {

/// Packet types (the type byte).
enum class PacketType : char {
  kDebug = '+',            ///< both: free text
  kLoginAccepted = 'A',    ///< server: session 10 + next sequence number 20
  kServerHeartbeat = 'H',  ///< server: empty
  kLoginRejected = 'J',    ///< server: reason 1
  kSequencedData = 'S',    ///< server: one OUCH outbound message
  kEndOfSession = 'Z',     ///< server: empty
  kLoginRequest = 'L',     ///< client: username 6, password 10, session 10, sequence 20
  kLogoutRequest = 'O',    ///< client: empty
  kClientHeartbeat = 'R',  ///< client: empty
  kUnsequencedData = 'U',  ///< client: one OUCH inbound message
};

/// Who sent the bytes a parser reads: a server parses kFromClient, a client kFromServer.
enum class Direction : uint8_t { kFromClient, kFromServer };

/// Login rejected reasons.
enum class LoginRejectReason : char {
  kNotAuthorized = 'A',        ///< bad user or password
  kSessionNotAvailable = 'S',  ///< session unknown, or a login of that user is live
};

constexpr size_t kLengthSize = 2;   ///< the length prefix
constexpr size_t kHeaderSize = 3;   ///< length prefix + type byte
constexpr size_t kDefaultMaxLength = 1024;  ///< largest accepted length field value
constexpr size_t kUsernameSize = 6;
constexpr size_t kPasswordSize = 10;
constexpr size_t kSessionSize = 10;
constexpr size_t kSequenceSize = 20;
constexpr size_t kLoginRequestPayload = 46;   ///< 6 + 10 + 10 + 20
constexpr size_t kLoginAcceptedPayload = 30;  ///< 10 + 20
constexpr size_t kLoginRejectedPayload = 1;
constexpr size_t kLoginRequestPacket = kHeaderSize + kLoginRequestPayload;    ///< 49 bytes
constexpr size_t kLoginAcceptedPacket = kHeaderSize + kLoginAcceptedPayload;  ///< 33 bytes
constexpr size_t kLoginRejectedPacket = kHeaderSize + kLoginRejectedPayload;  ///< 4 bytes

/// True if `type` is a packet type that the `from` side may send.
bool IsValidType(Direction from, char type);

/// The exact payload size of a fixed-size packet type, or -1 for variable-size types
/// (S, U, +) and unknown ones.
int FixedPayloadSize(char type);

/// One complete packet. `payload` is a view into the fed chunk or the parser's buffer,
/// valid until the next call to SoupBinParser::Feed, Next or Reset.
struct Packet {
  PacketType type = PacketType::kDebug;
  std::span<const uint8_t> payload;
};

/// What SoupBinParser::Next found. Every status after kNeedMore is an error that ends the
/// connection; the parser stays in it (sticky) until Reset().
enum class ParseStatus : uint8_t {
  kPacket,          ///< *out holds a complete packet
  kNeedMore,        ///< the fed bytes are used up; Feed the next chunk
  kZeroLength,      ///< length field 0
  kTooLong,         ///< length field above the maximum
  kUnknownType,     ///< a type the sender's side may not send
  kBadPayloadSize,  ///< a fixed-size packet type with another length
  kTruncated,       ///< Finish(): the stream ended inside a packet
};

/// Short name of a status ("zero length", ...), static storage.
std::string_view ToString(ParseStatus status);

/// Streaming SoupBinTCP parser for one connection and one direction. Zero-copy when a
/// packet lies inside one chunk; a packet split across chunks is assembled in a buffer of
/// max_length + 2 bytes allocated once at construction. Not thread-safe.
///
/// Use: Feed(chunk); then call Next() until it returns anything but kPacket. The chunk
/// must stay alive and unchanged until Next() has returned kNeedMore or an error.
class SoupBinParser {
 public:
  /// A parser for the bytes sent by `from`; lengths above `max_length` (at least 1) are
  /// errors.
  explicit SoupBinParser(Direction from, size_t max_length = kDefaultMaxLength);

  /// Hands the parser the next chunk of the stream (not copied). Any unread rest of the
  /// previous chunk is dropped, so call this only after Next() returned kNeedMore.
  void Feed(std::span<const uint8_t> chunk);

  /// Extracts the next complete packet of the fed bytes into *out (kPacket), or says that
  /// more bytes are needed (kNeedMore), or reports the error that ends the stream. The
  /// error is detected as soon as the header is in (before the payload arrives).
  ParseStatus Next(Packet* out);

  /// The stream has ended (the peer closed); call after Next() returned kNeedMore.
  /// kTruncated if part of a packet is pending (and the parser enters that error), else
  /// kNeedMore (a clean end between packets).
  ParseStatus Finish();

  /// Forgets all state (buffered bytes, error) to parse a new stream.
  void Reset();

  /// The sticky error status, or kNeedMore when there is none.
  ParseStatus error() const { return error_; }
  /// Bytes of an incomplete packet held in the internal buffer.
  size_t buffered() const { return have_; }
  size_t max_length() const { return max_length_; }
  /// One line saying why the stream was refused, for a `+` debug packet ("" if no error).
  std::string ErrorText() const;

 private:
  ParseStatus Fail(ParseStatus status);
  // Checks the length field and, if `type` >= 0, the type byte of a packet header.
  ParseStatus CheckHeader(size_t length, int type);
  // Appends up to `want` bytes of the chunk to the buffer; returns true if it now holds
  // `want` bytes in all.
  bool FillTo(size_t want);

  Direction from_;
  size_t max_length_;
  std::vector<uint8_t> buf_;  // assembles one split packet; size max_length_ + 2
  size_t have_ = 0;           // bytes in buf_
  std::span<const uint8_t> chunk_;
  ParseStatus error_ = ParseStatus::kNeedMore;
  size_t bad_length_ = 0;  // error details for ErrorText
  char bad_type_ = 0;
};

/// Login request fields. Decoded views point into the packet payload.
struct LoginRequest {
  std::string_view username;  ///< at most 6 characters
  std::string_view password;  ///< at most 10 characters
  std::string_view session;   ///< at most 10 characters; empty = the current session
  uint64_t sequence = 0;      ///< requested sequence number; 0 = from the next new message
};

/// Login accepted fields. Decoded views point into the packet payload.
struct LoginAccepted {
  std::string_view session;    ///< at most 10 characters
  uint64_t next_sequence = 0;  ///< sequence number of the next S packet sent
};

/// Result of decoding a login payload.
enum class LoginStatus : uint8_t {
  kOk,
  kBadSize,    ///< the payload does not have the exact size of its type
  kBadNumber,  ///< the sequence number field is not spaces followed by 1 to 20 digits
};

/// Short name of a status, static storage.
std::string_view ToString(LoginStatus status);

/// Writes an `L` packet (kLoginRequestPacket bytes) at `out`: username and password
/// left-justified, session right-justified, sequence right-justified. Returns its size, or
/// 0 (nothing written) if a field is longer than its width.
size_t EncodeLoginRequest(const LoginRequest& login, uint8_t* out);

/// Writes an `A` packet (kLoginAcceptedPacket bytes) at `out`, session right-justified.
/// Returns its size, or 0 if `session` is longer than 10 characters.
size_t EncodeLoginAccepted(const LoginAccepted& accepted, uint8_t* out);

/// Writes a `J` packet (kLoginRejectedPacket bytes) at `out`; returns its size.
size_t EncodeLoginRejected(LoginRejectReason reason, uint8_t* out);

/// Writes the 3-byte header of a packet of `type` with `payload_size` payload bytes at
/// `out` (the payload follows; e.g. encode an OUCH message at out + kHeaderSize). Returns
/// kHeaderSize, or 0 if the packet length would exceed kDefaultMaxLength.
size_t EncodeHeader(PacketType type, size_t payload_size, uint8_t* out);

/// Writes an `S` packet carrying `message` at `out` (kHeaderSize + message.size() bytes).
/// Returns its size, or 0 if it would exceed kDefaultMaxLength.
size_t EncodeSequencedData(std::span<const uint8_t> message, uint8_t* out);

/// Writes a `U` packet carrying `message` at `out`; same contract as EncodeSequencedData.
size_t EncodeUnsequencedData(std::span<const uint8_t> message, uint8_t* out);

/// Writes a `+` packet with `text` cut to at most `max_length - 1` bytes at `out` (at most
/// kHeaderSize + max_length - 1 bytes); returns its size.
size_t EncodeDebug(std::string_view text, uint8_t* out, size_t max_length = kDefaultMaxLength);

/// Writes an `H` packet (3 bytes) at `out`; returns 3.
size_t EncodeServerHeartbeat(uint8_t* out);
/// Writes an `R` packet (3 bytes) at `out`; returns 3.
size_t EncodeClientHeartbeat(uint8_t* out);
/// Writes a `Z` packet (3 bytes) at `out`; returns 3.
size_t EncodeEndOfSession(uint8_t* out);
/// Writes an `O` packet (3 bytes) at `out`; returns 3.
size_t EncodeLogoutRequest(uint8_t* out);

/// Decodes the payload of an `L` packet; alpha fields lose their padding (session: both
/// sides). Views in *out point into `payload`.
LoginStatus DecodeLoginRequest(std::span<const uint8_t> payload, LoginRequest* out);

/// Decodes the payload of an `A` packet; views in *out point into `payload`.
LoginStatus DecodeLoginAccepted(std::span<const uint8_t> payload, LoginAccepted* out);

/// Writes `value` as a numeric-ASCII field of `width` bytes at `out`, right-justified and
/// space padded. Returns false, writing nothing, if it has more than `width` digits.
bool PutNumeric(uint64_t value, size_t width, uint8_t* out);

/// Parses a numeric-ASCII field strictly: optional leading spaces, then 1 or more digits
/// up to the end of the field, value within uint64. Returns false on anything else.
bool ParseNumeric(std::string_view field, uint64_t* value);

}  // namespace ccx::soup
