#include "marketdata/protocol/moldudp64.h"

#include <cstring>

namespace ccx::mold {
namespace {

constexpr size_t kCountOffset = kSessionSize + 8;

}  // namespace

Session MakeSession(std::string_view name) {
  name = name.substr(0, kSessionSize);
  Session s = wire::BlankAlpha<kSessionSize>();
  std::memcpy(s.data() + (kSessionSize - name.size()), name.data(), name.size());
  return s;
}

std::string_view SessionView(const Session& session) {
  return wire::TrimSpaces(std::string_view(session.data(), session.size()));
}

std::string_view ToString(ParseStatus status) {
  switch (status) {
    case ParseStatus::kOk: return "ok";
    case ParseStatus::kTooShort: return "packet too short";
    case ParseStatus::kMessageOverrun: return "message runs past the end of the packet";
    case ParseStatus::kTrailingBytes: return "trailing bytes after the last message";
  }
  return "?";
}

// ---- Builder --------------------------------------------------------------------------

PacketBuilder::PacketBuilder(std::span<uint8_t> buffer) : buffer_(buffer) {}

void PacketBuilder::Start(const Session& session, uint64_t sequence) {
  sequence_ = sequence;
  count_ = 0;
  size_ = EncodeHeader(Header{session, sequence, 0}, buffer_.data());
}

bool PacketBuilder::Fits(size_t length) const {
  return size_ >= kHeaderSize && count_ < kMaxCount && length <= 0xFFFF &&
         size_ + kLengthSize + length <= buffer_.size();
}

uint8_t* PacketBuilder::Append(size_t length) {
  if (!Fits(length)) return nullptr;
  wire::StoreBe16(buffer_.data() + size_, static_cast<uint16_t>(length));
  uint8_t* message = buffer_.data() + size_ + kLengthSize;
  size_ += kLengthSize + length;
  ++count_;
  wire::StoreBe16(buffer_.data() + kCountOffset, count_);
  return message;
}

bool PacketBuilder::Add(std::span<const uint8_t> message) {
  uint8_t* out = Append(message.size());
  if (out == nullptr) return false;
  if (!message.empty()) std::memcpy(out, message.data(), message.size());
  return true;
}

// ---- Encoders and parsers -------------------------------------------------------------

size_t EncodeHeader(const Header& header, uint8_t* out) {
  return wire::Writer(out).Text(header.session).U64(header.sequence).U16(header.count).size();
}

size_t EncodeHeartbeat(const Session& session, uint64_t next_sequence, uint8_t* out) {
  return EncodeHeader(Header{session, next_sequence, kHeartbeatCount}, out);
}

size_t EncodeEndOfSession(const Session& session, uint64_t next_sequence, uint8_t* out) {
  return EncodeHeader(Header{session, next_sequence, kEndOfSessionCount}, out);
}

ParseStatus ParsePacket(std::span<const uint8_t> packet, Header* out) {
  if (packet.size() < kHeaderSize) return ParseStatus::kTooShort;
  wire::Reader r(packet.data());
  Header h;
  h.session = r.Text<kSessionSize>();
  h.sequence = r.U64();
  h.count = r.U16();
  // Walk the blocks: each must lie inside the packet, and nothing may follow the last.
  const size_t messages = h.end_of_session() ? 0 : h.count;
  size_t at = kHeaderSize;
  for (size_t i = 0; i < messages; ++i) {
    if (packet.size() - at < kLengthSize) return ParseStatus::kMessageOverrun;
    const size_t length = wire::LoadBe16(packet.data() + at);
    at += kLengthSize;
    if (packet.size() - at < length) return ParseStatus::kMessageOverrun;
    at += length;
  }
  if (at != packet.size()) return ParseStatus::kTrailingBytes;
  *out = h;
  return ParseStatus::kOk;
}

MessageReader::MessageReader(std::span<const uint8_t> packet) : left_(0) {
  if (packet.size() < kHeaderSize) return;
  const uint16_t count = wire::LoadBe16(packet.data() + kCountOffset);
  left_ = count == kEndOfSessionCount ? 0 : count;
  rest_ = packet.subspan(kHeaderSize);
}

bool MessageReader::Next(std::span<const uint8_t>* message) {
  if (left_ == 0 || rest_.size() < kLengthSize) return false;
  const size_t length = wire::LoadBe16(rest_.data());
  if (rest_.size() - kLengthSize < length) return false;
  *message = rest_.subspan(kLengthSize, length);
  rest_ = rest_.subspan(kLengthSize + length);
  --left_;
  return true;
}

size_t EncodeRequest(const Request& request, uint8_t* out) {
  return wire::Writer(out).Text(request.session).U64(request.sequence).U16(request.count).size();
}

ParseStatus DecodeRequest(std::span<const uint8_t> packet, Request* out) {
  if (packet.size() < kRequestSize) return ParseStatus::kTooShort;
  if (packet.size() > kRequestSize) return ParseStatus::kTrailingBytes;
  wire::Reader r(packet.data());
  out->session = r.Text<kSessionSize>();
  out->sequence = r.U64();
  out->count = r.U16();
  return ParseStatus::kOk;
}

}  // namespace ccx::mold
