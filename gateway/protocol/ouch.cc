#include "gateway/protocol/ouch.h"

#include <fmt/format.h>

namespace ccx::ouch {
namespace {

using wire::Reader;
using wire::Writer;

// Type byte and exact size of `msg` for a decode into T.
template <typename T>
DecodeStatus Check(std::span<const uint8_t> msg) {
  if (msg.empty()) return DecodeStatus::kEmpty;
  if (static_cast<char>(msg[0]) != T::kType) return DecodeStatus::kWrongType;
  if (msg.size() != T::kSize) return DecodeStatus::kBadSize;
  return DecodeStatus::kOk;
}

// Decodes `msg` into a T and stores it in the variant *out.
template <typename T, typename Variant>
DecodeStatus DecodeInto(std::span<const uint8_t> msg, Variant* out) {
  T m;
  const DecodeStatus status = Decode(msg, &m);
  if (status == DecodeStatus::kOk) *out = m;
  return status;
}

DecodeStatus CheckSize(std::span<const uint8_t> msg, size_t expected) {
  if (msg.empty()) return DecodeStatus::kEmpty;
  if (expected == 0) return DecodeStatus::kUnknownType;
  return msg.size() == expected ? DecodeStatus::kOk : DecodeStatus::kBadSize;
}

}  // namespace

std::string_view ToString(DecodeStatus status) {
  switch (status) {
    case DecodeStatus::kOk: return "ok";
    case DecodeStatus::kEmpty: return "empty message";
    case DecodeStatus::kUnknownType: return "unknown message type";
    case DecodeStatus::kWrongType: return "unexpected message type";
    case DecodeStatus::kBadSize: return "wrong message size";
  }
  return "?";
}

size_t InboundSize(char type) {
  switch (type) {
    case EnterOrder::kType: return EnterOrder::kSize;
    case ReplaceOrder::kType: return ReplaceOrder::kSize;
    case CancelOrder::kType: return CancelOrder::kSize;
  }
  return 0;
}

size_t OutboundSize(char type) {
  switch (type) {
    case SystemEvent::kType: return SystemEvent::kSize;
    case Accepted::kType: return Accepted::kSize;
    case Replaced::kType: return Replaced::kSize;
    case Canceled::kType: return Canceled::kSize;
    case Executed::kType: return Executed::kSize;
    case Rejected::kType: return Rejected::kSize;
    case CancelReject::kType: return CancelReject::kSize;
  }
  return 0;
}

DecodeStatus CheckInbound(std::span<const uint8_t> msg) {
  return CheckSize(msg, msg.empty() ? 0 : InboundSize(static_cast<char>(msg[0])));
}

DecodeStatus CheckOutbound(std::span<const uint8_t> msg) {
  return CheckSize(msg, msg.empty() ? 0 : OutboundSize(static_cast<char>(msg[0])));
}

std::string InboundErrorText(std::span<const uint8_t> msg) {
  switch (CheckInbound(msg)) {
    case DecodeStatus::kOk:
      return "";
    case DecodeStatus::kEmpty:
      return "invalid OUCH message: empty";
    case DecodeStatus::kUnknownType:
      return fmt::format("invalid OUCH message: unknown type 0x{:02X}", msg[0]);
    case DecodeStatus::kWrongType:
    case DecodeStatus::kBadSize:
      break;
  }
  return fmt::format("invalid OUCH message: type '{}' has {} bytes, expected {}",
                     static_cast<char>(msg[0]), msg.size(), InboundSize(static_cast<char>(msg[0])));
}

// ---- Encoders -------------------------------------------------------------------------

size_t Encode(const EnterOrder& m, uint8_t* out) {
  return Writer(out)
      .Char(EnterOrder::kType).Text(m.token).Char(m.side).U32(m.shares).Text(m.stock)
      .U32(m.price).U32(m.tif).Text(m.firm).Char(m.display).Char(m.capacity)
      .Char(m.intermarket_sweep).U32(m.min_qty).Char(m.cross_type).Char(m.customer_type)
      .size();
}

size_t Encode(const ReplaceOrder& m, uint8_t* out) {
  return Writer(out)
      .Char(ReplaceOrder::kType).Text(m.existing_token).Text(m.replacement_token)
      .U32(m.shares).U32(m.price).U32(m.tif).Char(m.display).Char(m.intermarket_sweep)
      .U32(m.min_qty)
      .size();
}

size_t Encode(const CancelOrder& m, uint8_t* out) {
  return Writer(out).Char(CancelOrder::kType).Text(m.token).U32(m.shares).size();
}

size_t Encode(const SystemEvent& m, uint8_t* out) {
  return Writer(out).Char(SystemEvent::kType).U64(m.timestamp).Char(m.event_code).size();
}

size_t Encode(const Accepted& m, uint8_t* out) {
  return Writer(out)
      .Char(Accepted::kType).U64(m.timestamp).Text(m.token).Char(m.side).U32(m.shares)
      .Text(m.stock).U32(m.price).U32(m.tif).Text(m.firm).Char(m.display).U64(m.order_ref)
      .Char(m.capacity).Char(m.intermarket_sweep).U32(m.min_qty).Char(m.cross_type)
      .Char(m.order_state).Char(m.bbo_weight)
      .size();
}

size_t Encode(const Replaced& m, uint8_t* out) {
  return Writer(out)
      .Char(Replaced::kType).U64(m.timestamp).Text(m.replacement_token).Char(m.side)
      .U32(m.shares).Text(m.stock).U32(m.price).U32(m.tif).Text(m.firm).Char(m.display)
      .U64(m.order_ref).Char(m.capacity).Char(m.intermarket_sweep).U32(m.min_qty)
      .Char(m.cross_type).Char(m.order_state).Text(m.previous_token).Char(m.bbo_weight)
      .size();
}

size_t Encode(const Canceled& m, uint8_t* out) {
  return Writer(out)
      .Char(Canceled::kType).U64(m.timestamp).Text(m.token).U32(m.decrement_shares)
      .Char(m.reason)
      .size();
}

size_t Encode(const Executed& m, uint8_t* out) {
  return Writer(out)
      .Char(Executed::kType).U64(m.timestamp).Text(m.token).U32(m.executed_shares)
      .U32(m.execution_price).Char(m.liquidity_flag).U64(m.match_number)
      .size();
}

size_t Encode(const Rejected& m, uint8_t* out) {
  return Writer(out).Char(Rejected::kType).U64(m.timestamp).Text(m.token).Char(m.reason).size();
}

size_t Encode(const CancelReject& m, uint8_t* out) {
  return Writer(out).Char(CancelReject::kType).U64(m.timestamp).Text(m.token).size();
}

size_t Encode(const Inbound& m, uint8_t* out) {
  return std::visit([out](const auto& msg) { return Encode(msg, out); }, m);
}

size_t Encode(const Outbound& m, uint8_t* out) {
  return std::visit([out](const auto& msg) { return Encode(msg, out); }, m);
}

// ---- Decoders -------------------------------------------------------------------------
// Each reads the fields in wire order after the type byte (offset 1).

DecodeStatus Decode(std::span<const uint8_t> msg, EnterOrder* out) {
  if (DecodeStatus s = Check<EnterOrder>(msg); s != DecodeStatus::kOk) return s;
  Reader r(msg.data() + 1);
  EnterOrder& m = *out;
  m.token = r.Text<14>();
  m.side = r.Char();
  m.shares = r.U32();
  m.stock = r.Text<8>();
  m.price = r.U32();
  m.tif = r.U32();
  m.firm = r.Text<4>();
  m.display = r.Char();
  m.capacity = r.Char();
  m.intermarket_sweep = r.Char();
  m.min_qty = r.U32();
  m.cross_type = r.Char();
  m.customer_type = r.Char();
  return DecodeStatus::kOk;
}

DecodeStatus Decode(std::span<const uint8_t> msg, ReplaceOrder* out) {
  if (DecodeStatus s = Check<ReplaceOrder>(msg); s != DecodeStatus::kOk) return s;
  Reader r(msg.data() + 1);
  ReplaceOrder& m = *out;
  m.existing_token = r.Text<14>();
  m.replacement_token = r.Text<14>();
  m.shares = r.U32();
  m.price = r.U32();
  m.tif = r.U32();
  m.display = r.Char();
  m.intermarket_sweep = r.Char();
  m.min_qty = r.U32();
  return DecodeStatus::kOk;
}

DecodeStatus Decode(std::span<const uint8_t> msg, CancelOrder* out) {
  if (DecodeStatus s = Check<CancelOrder>(msg); s != DecodeStatus::kOk) return s;
  Reader r(msg.data() + 1);
  out->token = r.Text<14>();
  out->shares = r.U32();
  return DecodeStatus::kOk;
}

DecodeStatus Decode(std::span<const uint8_t> msg, SystemEvent* out) {
  if (DecodeStatus s = Check<SystemEvent>(msg); s != DecodeStatus::kOk) return s;
  Reader r(msg.data() + 1);
  out->timestamp = r.U64();
  out->event_code = r.Char();
  return DecodeStatus::kOk;
}

DecodeStatus Decode(std::span<const uint8_t> msg, Accepted* out) {
  if (DecodeStatus s = Check<Accepted>(msg); s != DecodeStatus::kOk) return s;
  Reader r(msg.data() + 1);
  Accepted& m = *out;
  m.timestamp = r.U64();
  m.token = r.Text<14>();
  m.side = r.Char();
  m.shares = r.U32();
  m.stock = r.Text<8>();
  m.price = r.U32();
  m.tif = r.U32();
  m.firm = r.Text<4>();
  m.display = r.Char();
  m.order_ref = r.U64();
  m.capacity = r.Char();
  m.intermarket_sweep = r.Char();
  m.min_qty = r.U32();
  m.cross_type = r.Char();
  m.order_state = r.Char();
  m.bbo_weight = r.Char();
  return DecodeStatus::kOk;
}

DecodeStatus Decode(std::span<const uint8_t> msg, Replaced* out) {
  if (DecodeStatus s = Check<Replaced>(msg); s != DecodeStatus::kOk) return s;
  Reader r(msg.data() + 1);
  Replaced& m = *out;
  m.timestamp = r.U64();
  m.replacement_token = r.Text<14>();
  m.side = r.Char();
  m.shares = r.U32();
  m.stock = r.Text<8>();
  m.price = r.U32();
  m.tif = r.U32();
  m.firm = r.Text<4>();
  m.display = r.Char();
  m.order_ref = r.U64();
  m.capacity = r.Char();
  m.intermarket_sweep = r.Char();
  m.min_qty = r.U32();
  m.cross_type = r.Char();
  m.order_state = r.Char();
  m.previous_token = r.Text<14>();
  m.bbo_weight = r.Char();
  return DecodeStatus::kOk;
}

DecodeStatus Decode(std::span<const uint8_t> msg, Canceled* out) {
  if (DecodeStatus s = Check<Canceled>(msg); s != DecodeStatus::kOk) return s;
  Reader r(msg.data() + 1);
  out->timestamp = r.U64();
  out->token = r.Text<14>();
  out->decrement_shares = r.U32();
  out->reason = r.Char();
  return DecodeStatus::kOk;
}

DecodeStatus Decode(std::span<const uint8_t> msg, Executed* out) {
  if (DecodeStatus s = Check<Executed>(msg); s != DecodeStatus::kOk) return s;
  Reader r(msg.data() + 1);
  out->timestamp = r.U64();
  out->token = r.Text<14>();
  out->executed_shares = r.U32();
  out->execution_price = r.U32();
  out->liquidity_flag = r.Char();
  out->match_number = r.U64();
  return DecodeStatus::kOk;
}

DecodeStatus Decode(std::span<const uint8_t> msg, Rejected* out) {
  if (DecodeStatus s = Check<Rejected>(msg); s != DecodeStatus::kOk) return s;
  Reader r(msg.data() + 1);
  out->timestamp = r.U64();
  out->token = r.Text<14>();
  out->reason = r.Char();
  return DecodeStatus::kOk;
}

DecodeStatus Decode(std::span<const uint8_t> msg, CancelReject* out) {
  if (DecodeStatus s = Check<CancelReject>(msg); s != DecodeStatus::kOk) return s;
  Reader r(msg.data() + 1);
  out->timestamp = r.U64();
  out->token = r.Text<14>();
  return DecodeStatus::kOk;
}

DecodeStatus DecodeInbound(std::span<const uint8_t> msg, Inbound* out) {
  if (msg.empty()) return DecodeStatus::kEmpty;
  switch (static_cast<char>(msg[0])) {
    case EnterOrder::kType: return DecodeInto<EnterOrder>(msg, out);
    case ReplaceOrder::kType: return DecodeInto<ReplaceOrder>(msg, out);
    case CancelOrder::kType: return DecodeInto<CancelOrder>(msg, out);
  }
  return DecodeStatus::kUnknownType;
}

DecodeStatus DecodeOutbound(std::span<const uint8_t> msg, Outbound* out) {
  if (msg.empty()) return DecodeStatus::kEmpty;
  switch (static_cast<char>(msg[0])) {
    case SystemEvent::kType: return DecodeInto<SystemEvent>(msg, out);
    case Accepted::kType: return DecodeInto<Accepted>(msg, out);
    case Replaced::kType: return DecodeInto<Replaced>(msg, out);
    case Canceled::kType: return DecodeInto<Canceled>(msg, out);
    case Executed::kType: return DecodeInto<Executed>(msg, out);
    case Rejected::kType: return DecodeInto<Rejected>(msg, out);
    case CancelReject::kType: return DecodeInto<CancelReject>(msg, out);
  }
  return DecodeStatus::kUnknownType;
}

}  // namespace ccx::ouch
