#include "gateway/protocol/soupbin.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "gateway/protocol/endian.h"

namespace ccx::soup {
namespace {

std::string_view View(std::span<const uint8_t> bytes, size_t offset, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(bytes.data()) + offset, size);
}

std::string_view TrimRight(std::string_view text) {
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

// Left-justified, space padded; false if `text` does not fit.
bool PutLeft(uint8_t* out, size_t n, std::string_view text) {
  if (text.size() > n) return false;
  std::memcpy(out, text.data(), text.size());
  std::memset(out + text.size(), ' ', n - text.size());
  return true;
}

size_t EncodeEmpty(PacketType type, uint8_t* out) { return EncodeHeader(type, 0, out); }

size_t EncodeData(PacketType type, std::span<const uint8_t> message, uint8_t* out) {
  if (EncodeHeader(type, message.size(), out) == 0) return 0;
  if (!message.empty()) std::memcpy(out + kHeaderSize, message.data(), message.size());
  return kHeaderSize + message.size();
}

std::string TypeText(char type) {
  if (type > ' ' && type < 127) return fmt::format("'{}' (0x{:02X})", type, uint8_t(type));
  return fmt::format("0x{:02X}", static_cast<uint8_t>(type));
}

}  // namespace

bool IsValidType(Direction from, char type) {
  switch (static_cast<PacketType>(type)) {
    case PacketType::kDebug:
      return true;
    case PacketType::kLoginAccepted:
    case PacketType::kServerHeartbeat:
    case PacketType::kLoginRejected:
    case PacketType::kSequencedData:
    case PacketType::kEndOfSession:
      return from == Direction::kFromServer;
    case PacketType::kLoginRequest:
    case PacketType::kLogoutRequest:
    case PacketType::kClientHeartbeat:
    case PacketType::kUnsequencedData:
      return from == Direction::kFromClient;
  }
  return false;
}

int FixedPayloadSize(char type) {
  switch (static_cast<PacketType>(type)) {
    case PacketType::kLoginRequest:
      return static_cast<int>(kLoginRequestPayload);
    case PacketType::kLoginAccepted:
      return static_cast<int>(kLoginAcceptedPayload);
    case PacketType::kLoginRejected:
      return static_cast<int>(kLoginRejectedPayload);
    case PacketType::kServerHeartbeat:
    case PacketType::kClientHeartbeat:
    case PacketType::kEndOfSession:
    case PacketType::kLogoutRequest:
      return 0;
    case PacketType::kDebug:
    case PacketType::kSequencedData:
    case PacketType::kUnsequencedData:
      return -1;
  }
  return -1;
}

std::string_view ToString(ParseStatus status) {
  switch (status) {
    case ParseStatus::kPacket: return "packet";
    case ParseStatus::kNeedMore: return "need more bytes";
    case ParseStatus::kZeroLength: return "zero length";
    case ParseStatus::kTooLong: return "length over maximum";
    case ParseStatus::kUnknownType: return "unknown packet type";
    case ParseStatus::kBadPayloadSize: return "wrong length for packet type";
    case ParseStatus::kTruncated: return "truncated packet";
  }
  return "?";
}

std::string_view ToString(LoginStatus status) {
  switch (status) {
    case LoginStatus::kOk: return "ok";
    case LoginStatus::kBadSize: return "wrong payload size";
    case LoginStatus::kBadNumber: return "sequence number not numeric";
  }
  return "?";
}

// ---------------------------------------------------------------------------------------
// SoupBinParser

SoupBinParser::SoupBinParser(Direction from, size_t max_length)
    : from_(from), max_length_(std::clamp<size_t>(max_length, 1, 0xFFFF)) {
  buf_.resize(max_length_ + kLengthSize);
}

void SoupBinParser::Feed(std::span<const uint8_t> chunk) { chunk_ = chunk; }

void SoupBinParser::Reset() {
  have_ = 0;
  chunk_ = {};
  error_ = ParseStatus::kNeedMore;
  bad_length_ = 0;
  bad_type_ = 0;
}

ParseStatus SoupBinParser::Fail(ParseStatus status) {
  error_ = status;
  chunk_ = {};
  return status;
}

ParseStatus SoupBinParser::CheckHeader(size_t length, int type) {
  if (length == 0) {
    bad_length_ = 0;
    return Fail(ParseStatus::kZeroLength);
  }
  if (length > max_length_) {
    bad_length_ = length;
    return Fail(ParseStatus::kTooLong);
  }
  if (type < 0) return ParseStatus::kPacket;
  const char t = static_cast<char>(type);
  if (!IsValidType(from_, t)) {
    bad_type_ = t;
    return Fail(ParseStatus::kUnknownType);
  }
  const int fixed = FixedPayloadSize(t);
  if (fixed >= 0 && length != static_cast<size_t>(fixed) + 1) {
    bad_type_ = t;
    bad_length_ = length;
    return Fail(ParseStatus::kBadPayloadSize);
  }
  return ParseStatus::kPacket;
}

bool SoupBinParser::FillTo(size_t want) {
  if (have_ < want) {
    const size_t n = std::min(want - have_, chunk_.size());
    std::memcpy(buf_.data() + have_, chunk_.data(), n);
    have_ += n;
    chunk_ = chunk_.subspan(n);
  }
  return have_ >= want;
}

ParseStatus SoupBinParser::Next(Packet* out) {
  if (error_ != ParseStatus::kNeedMore) return error_;
  if (have_ == 0) {
    if (chunk_.empty()) return ParseStatus::kNeedMore;
    // Fast path: the whole packet lies in the chunk; hand out a view into it.
    if (chunk_.size() >= kLengthSize) {
      const size_t length = wire::LoadBe16(chunk_.data());
      const int type = chunk_.size() > kLengthSize ? chunk_[kLengthSize] : -1;
      if (CheckHeader(length, type) != ParseStatus::kPacket) return error_;
      if (chunk_.size() >= kLengthSize + length) {
        out->type = static_cast<PacketType>(chunk_[kLengthSize]);
        out->payload = chunk_.subspan(kHeaderSize, length - 1);
        chunk_ = chunk_.subspan(kLengthSize + length);
        return ParseStatus::kPacket;
      }
    }
  }
  // Slow path: assemble the packet in buf_ (at most max_length_ + 2 bytes, since the
  // length is checked before any payload byte is copied).
  if (!FillTo(kLengthSize)) return ParseStatus::kNeedMore;
  const size_t length = wire::LoadBe16(buf_.data());
  if (CheckHeader(length, -1) != ParseStatus::kPacket) return error_;
  if (!FillTo(kHeaderSize)) return ParseStatus::kNeedMore;
  if (CheckHeader(length, buf_[kLengthSize]) != ParseStatus::kPacket) return error_;
  if (!FillTo(kLengthSize + length)) return ParseStatus::kNeedMore;
  out->type = static_cast<PacketType>(buf_[kLengthSize]);
  out->payload = std::span<const uint8_t>(buf_.data() + kHeaderSize, length - 1);
  have_ = 0;
  return ParseStatus::kPacket;
}

ParseStatus SoupBinParser::Finish() {
  if (error_ != ParseStatus::kNeedMore) return error_;
  if (have_ == 0 && chunk_.empty()) return ParseStatus::kNeedMore;
  FillTo(kLengthSize);  // (only after misuse: Finish() with part of a chunk unread)
  bad_length_ = have_ >= kLengthSize ? wire::LoadBe16(buf_.data()) : 0;
  return Fail(ParseStatus::kTruncated);
}

std::string SoupBinParser::ErrorText() const {
  const char* side = from_ == Direction::kFromClient ? "client" : "server";
  switch (error_) {
    case ParseStatus::kPacket:
    case ParseStatus::kNeedMore:
      return "";
    case ParseStatus::kZeroLength:
      return "invalid packet: length 0";
    case ParseStatus::kTooLong:
      return fmt::format("invalid packet: length {} exceeds the maximum {}", bad_length_,
                         max_length_);
    case ParseStatus::kUnknownType:
      return fmt::format("invalid packet: type {} is not a {} packet type", TypeText(bad_type_),
                         side);
    case ParseStatus::kBadPayloadSize:
      return fmt::format("invalid packet: type {} with length {}, expected {}",
                         TypeText(bad_type_), bad_length_, FixedPayloadSize(bad_type_) + 1);
    case ParseStatus::kTruncated:
      if (bad_length_ == 0) return "stream ended inside a packet length field";
      return fmt::format("stream ended inside a packet ({} of {} bytes)", have_ - kLengthSize,
                         bad_length_);
  }
  return "invalid packet";
}

// ---------------------------------------------------------------------------------------
// Numeric fields

bool PutNumeric(uint64_t value, size_t width, uint8_t* out) {
  char digits[20];
  size_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  if (n > width) return false;
  std::memset(out, ' ', width - n);
  for (size_t i = 0; i < n; ++i) out[width - 1 - i] = static_cast<uint8_t>(digits[i]);
  return true;
}

bool ParseNumeric(std::string_view field, uint64_t* value) {
  size_t i = 0;
  while (i < field.size() && field[i] == ' ') ++i;
  if (i == field.size()) return false;
  uint64_t v = 0;
  for (; i < field.size(); ++i) {
    const char c = field[i];
    if (c < '0' || c > '9') return false;
    const uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  *value = v;
  return true;
}

// ---------------------------------------------------------------------------------------
// Encoders

size_t EncodeHeader(PacketType type, size_t payload_size, uint8_t* out) {
  if (payload_size + 1 > kDefaultMaxLength) return 0;
  wire::StoreBe16(out, static_cast<uint16_t>(payload_size + 1));
  out[kLengthSize] = static_cast<uint8_t>(type);
  return kHeaderSize;
}

size_t EncodeLoginRequest(const LoginRequest& login, uint8_t* out) {
  if (login.username.size() > kUsernameSize || login.password.size() > kPasswordSize ||
      login.session.size() > kSessionSize) {
    return 0;
  }
  uint8_t* p = out + EncodeHeader(PacketType::kLoginRequest, kLoginRequestPayload, out);
  PutLeft(p, kUsernameSize, login.username);
  p += kUsernameSize;
  PutLeft(p, kPasswordSize, login.password);
  p += kPasswordSize;
  wire::PutRightJustified(p, kSessionSize, login.session);
  p += kSessionSize;
  PutNumeric(login.sequence, kSequenceSize, p);
  return kLoginRequestPacket;
}

size_t EncodeLoginAccepted(const LoginAccepted& accepted, uint8_t* out) {
  if (accepted.session.size() > kSessionSize) return 0;
  uint8_t* p = out + EncodeHeader(PacketType::kLoginAccepted, kLoginAcceptedPayload, out);
  wire::PutRightJustified(p, kSessionSize, accepted.session);
  PutNumeric(accepted.next_sequence, kSequenceSize, p + kSessionSize);
  return kLoginAcceptedPacket;
}

size_t EncodeLoginRejected(LoginRejectReason reason, uint8_t* out) {
  EncodeHeader(PacketType::kLoginRejected, kLoginRejectedPayload, out);
  out[kHeaderSize] = static_cast<uint8_t>(reason);
  return kLoginRejectedPacket;
}

size_t EncodeSequencedData(std::span<const uint8_t> message, uint8_t* out) {
  return EncodeData(PacketType::kSequencedData, message, out);
}

size_t EncodeUnsequencedData(std::span<const uint8_t> message, uint8_t* out) {
  return EncodeData(PacketType::kUnsequencedData, message, out);
}

size_t EncodeDebug(std::string_view text, uint8_t* out, size_t max_length) {
  max_length = std::clamp<size_t>(max_length, 1, 0xFFFF);
  text = text.substr(0, max_length - 1);
  wire::StoreBe16(out, static_cast<uint16_t>(text.size() + 1));
  out[kLengthSize] = static_cast<uint8_t>(PacketType::kDebug);
  if (!text.empty()) std::memcpy(out + kHeaderSize, text.data(), text.size());
  return kHeaderSize + text.size();
}

size_t EncodeServerHeartbeat(uint8_t* out) {
  return EncodeEmpty(PacketType::kServerHeartbeat, out);
}
size_t EncodeClientHeartbeat(uint8_t* out) {
  return EncodeEmpty(PacketType::kClientHeartbeat, out);
}
size_t EncodeEndOfSession(uint8_t* out) { return EncodeEmpty(PacketType::kEndOfSession, out); }
size_t EncodeLogoutRequest(uint8_t* out) { return EncodeEmpty(PacketType::kLogoutRequest, out); }

// ---------------------------------------------------------------------------------------
// Decoders

LoginStatus DecodeLoginRequest(std::span<const uint8_t> payload, LoginRequest* out) {
  if (payload.size() != kLoginRequestPayload) return LoginStatus::kBadSize;
  size_t at = 0;
  const std::string_view username = TrimRight(View(payload, at, kUsernameSize));
  at += kUsernameSize;
  const std::string_view password = TrimRight(View(payload, at, kPasswordSize));
  at += kPasswordSize;
  const std::string_view session = wire::TrimSpaces(View(payload, at, kSessionSize));
  at += kSessionSize;
  uint64_t sequence = 0;
  if (!ParseNumeric(View(payload, at, kSequenceSize), &sequence)) return LoginStatus::kBadNumber;
  *out = LoginRequest{username, password, session, sequence};
  return LoginStatus::kOk;
}

LoginStatus DecodeLoginAccepted(std::span<const uint8_t> payload, LoginAccepted* out) {
  if (payload.size() != kLoginAcceptedPayload) return LoginStatus::kBadSize;
  uint64_t sequence = 0;
  if (!ParseNumeric(View(payload, kSessionSize, kSequenceSize), &sequence)) {
    return LoginStatus::kBadNumber;
  }
  *out = LoginAccepted{wire::TrimSpaces(View(payload, 0, kSessionSize)), sequence};
  return LoginStatus::kOk;
}

}  // namespace ccx::soup
