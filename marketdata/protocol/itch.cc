#include "marketdata/protocol/itch.h"

namespace ccx::itch {
namespace {

using wire::Reader;
using wire::Writer;

// Starts a message: type byte and common header.
Writer Begin(uint8_t* out, char type, const Header& h) {
  Writer w(out);
  w.Char(type).U16(h.stock_locate).U16(h.tracking_number).U48(h.timestamp);
  return w;
}

// Checks type and size for a decode into T, then reads the common header into *header
// and returns a reader at the first field after it.
template <typename T>
DecodeStatus Begin(std::span<const uint8_t> msg, Header* header, Reader* reader) {
  if (msg.empty()) return DecodeStatus::kEmpty;
  if (static_cast<char>(msg[0]) != T::kType) return DecodeStatus::kWrongType;
  if (msg.size() != T::kSize) return DecodeStatus::kBadSize;
  Reader r(msg.data() + 1);
  header->stock_locate = r.U16();
  header->tracking_number = r.U16();
  header->timestamp = r.U48();
  *reader = r;
  return DecodeStatus::kOk;
}

template <typename T>
DecodeStatus DecodeInto(std::span<const uint8_t> msg, Message* out) {
  T m;
  const DecodeStatus status = Decode(msg, &m);
  if (status == DecodeStatus::kOk) *out = m;
  return status;
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

size_t MessageSize(char type) {
  switch (type) {
    case SystemEvent::kType: return SystemEvent::kSize;
    case StockDirectory::kType: return StockDirectory::kSize;
    case TradingAction::kType: return TradingAction::kSize;
    case AddOrder::kType: return AddOrder::kSize;
    case OrderCancel::kType: return OrderCancel::kSize;
    case OrderDelete::kType: return OrderDelete::kSize;
    case OrderReplace::kType: return OrderReplace::kSize;
    case OrderExecuted::kType: return OrderExecuted::kSize;
    case CrossTrade::kType: return CrossTrade::kSize;
    case Noii::kType: return Noii::kSize;
  }
  return 0;
}

// ---- Encoders -------------------------------------------------------------------------

size_t Encode(const SystemEvent& m, uint8_t* out) {
  return Begin(out, SystemEvent::kType, m.header).Char(m.event_code).size();
}

size_t Encode(const StockDirectory& m, uint8_t* out) {
  return Begin(out, StockDirectory::kType, m.header)
      .Text(m.stock).Char(m.market_category).Char(m.financial_status).U32(m.round_lot_size)
      .Char(m.round_lots_only).Char(m.issue_classification).Text(m.issue_sub_type)
      .Char(m.authenticity).Char(m.short_sale_threshold).Char(m.ipo_flag).Char(m.luld_tier)
      .Char(m.etp_flag).U32(m.etp_leverage).Char(m.inverse)
      .size();
}

size_t Encode(const TradingAction& m, uint8_t* out) {
  return Begin(out, TradingAction::kType, m.header)
      .Text(m.stock).Char(m.trading_state).Char(m.reserved).Text(m.reason)
      .size();
}

size_t Encode(const AddOrder& m, uint8_t* out) {
  return Begin(out, AddOrder::kType, m.header)
      .U64(m.order_ref).Char(m.side).U32(m.shares).Text(m.stock).U32(m.price)
      .size();
}

size_t Encode(const OrderCancel& m, uint8_t* out) {
  return Begin(out, OrderCancel::kType, m.header).U64(m.order_ref).U32(m.cancelled_shares).size();
}

size_t Encode(const OrderDelete& m, uint8_t* out) {
  return Begin(out, OrderDelete::kType, m.header).U64(m.order_ref).size();
}

size_t Encode(const OrderReplace& m, uint8_t* out) {
  return Begin(out, OrderReplace::kType, m.header)
      .U64(m.original_ref).U64(m.new_ref).U32(m.shares).U32(m.price)
      .size();
}

size_t Encode(const OrderExecuted& m, uint8_t* out) {
  return Begin(out, OrderExecuted::kType, m.header)
      .U64(m.order_ref).U32(m.executed_shares).U64(m.match_number)
      .size();
}

size_t Encode(const CrossTrade& m, uint8_t* out) {
  return Begin(out, CrossTrade::kType, m.header)
      .U64(m.shares).Text(m.stock).U32(m.cross_price).U64(m.match_number).Char(m.cross_type)
      .size();
}

size_t Encode(const Noii& m, uint8_t* out) {
  return Begin(out, Noii::kType, m.header)
      .U64(m.paired_shares).U64(m.imbalance_shares).Char(m.imbalance_direction).Text(m.stock)
      .U32(m.far_price).U32(m.near_price).U32(m.reference_price).Char(m.cross_type)
      .Char(m.price_variation)
      .size();
}

size_t Encode(const Message& m, uint8_t* out) {
  return std::visit([out](const auto& msg) { return Encode(msg, out); }, m);
}

// ---- Decoders -------------------------------------------------------------------------
// Each checks the message, reads the header, then the fields in wire order. The result is
// built in a local and assigned only on success.

DecodeStatus Decode(std::span<const uint8_t> msg, SystemEvent* out) {
  SystemEvent m;
  Reader r(nullptr);
  if (DecodeStatus s = Begin<SystemEvent>(msg, &m.header, &r); s != DecodeStatus::kOk) return s;
  m.event_code = r.Char();
  *out = m;
  return DecodeStatus::kOk;
}

DecodeStatus Decode(std::span<const uint8_t> msg, StockDirectory* out) {
  StockDirectory m;
  Reader r(nullptr);
  if (DecodeStatus s = Begin<StockDirectory>(msg, &m.header, &r); s != DecodeStatus::kOk) {
    return s;
  }
  m.stock = r.Text<8>();
  m.market_category = r.Char();
  m.financial_status = r.Char();
  m.round_lot_size = r.U32();
  m.round_lots_only = r.Char();
  m.issue_classification = r.Char();
  m.issue_sub_type = r.Text<2>();
  m.authenticity = r.Char();
  m.short_sale_threshold = r.Char();
  m.ipo_flag = r.Char();
  m.luld_tier = r.Char();
  m.etp_flag = r.Char();
  m.etp_leverage = r.U32();
  m.inverse = r.Char();
  *out = m;
  return DecodeStatus::kOk;
}

DecodeStatus Decode(std::span<const uint8_t> msg, TradingAction* out) {
  TradingAction m;
  Reader r(nullptr);
  if (DecodeStatus s = Begin<TradingAction>(msg, &m.header, &r); s != DecodeStatus::kOk) {
    return s;
  }
  m.stock = r.Text<8>();
  m.trading_state = r.Char();
  m.reserved = r.Char();
  m.reason = r.Text<4>();
  *out = m;
  return DecodeStatus::kOk;
}

DecodeStatus Decode(std::span<const uint8_t> msg, AddOrder* out) {
  AddOrder m;
  Reader r(nullptr);
  if (DecodeStatus s = Begin<AddOrder>(msg, &m.header, &r); s != DecodeStatus::kOk) return s;
  m.order_ref = r.U64();
  m.side = r.Char();
  m.shares = r.U32();
  m.stock = r.Text<8>();
  m.price = r.U32();
  *out = m;
  return DecodeStatus::kOk;
}

DecodeStatus Decode(std::span<const uint8_t> msg, OrderCancel* out) {
  OrderCancel m;
  Reader r(nullptr);
  if (DecodeStatus s = Begin<OrderCancel>(msg, &m.header, &r); s != DecodeStatus::kOk) return s;
  m.order_ref = r.U64();
  m.cancelled_shares = r.U32();
  *out = m;
  return DecodeStatus::kOk;
}

DecodeStatus Decode(std::span<const uint8_t> msg, OrderDelete* out) {
  OrderDelete m;
  Reader r(nullptr);
  if (DecodeStatus s = Begin<OrderDelete>(msg, &m.header, &r); s != DecodeStatus::kOk) return s;
  m.order_ref = r.U64();
  *out = m;
  return DecodeStatus::kOk;
}

DecodeStatus Decode(std::span<const uint8_t> msg, OrderReplace* out) {
  OrderReplace m;
  Reader r(nullptr);
  if (DecodeStatus s = Begin<OrderReplace>(msg, &m.header, &r); s != DecodeStatus::kOk) {
    return s;
  }
  m.original_ref = r.U64();
  m.new_ref = r.U64();
  m.shares = r.U32();
  m.price = r.U32();
  *out = m;
  return DecodeStatus::kOk;
}

DecodeStatus Decode(std::span<const uint8_t> msg, OrderExecuted* out) {
  OrderExecuted m;
  Reader r(nullptr);
  if (DecodeStatus s = Begin<OrderExecuted>(msg, &m.header, &r); s != DecodeStatus::kOk) {
    return s;
  }
  m.order_ref = r.U64();
  m.executed_shares = r.U32();
  m.match_number = r.U64();
  *out = m;
  return DecodeStatus::kOk;
}

DecodeStatus Decode(std::span<const uint8_t> msg, CrossTrade* out) {
  CrossTrade m;
  Reader r(nullptr);
  if (DecodeStatus s = Begin<CrossTrade>(msg, &m.header, &r); s != DecodeStatus::kOk) return s;
  m.shares = r.U64();
  m.stock = r.Text<8>();
  m.cross_price = r.U32();
  m.match_number = r.U64();
  m.cross_type = r.Char();
  *out = m;
  return DecodeStatus::kOk;
}

DecodeStatus Decode(std::span<const uint8_t> msg, Noii* out) {
  Noii m;
  Reader r(nullptr);
  if (DecodeStatus s = Begin<Noii>(msg, &m.header, &r); s != DecodeStatus::kOk) return s;
  m.paired_shares = r.U64();
  m.imbalance_shares = r.U64();
  m.imbalance_direction = r.Char();
  m.stock = r.Text<8>();
  m.far_price = r.U32();
  m.near_price = r.U32();
  m.reference_price = r.U32();
  m.cross_type = r.Char();
  m.price_variation = r.Char();
  *out = m;
  return DecodeStatus::kOk;
}

DecodeStatus DecodeMessage(std::span<const uint8_t> msg, Message* out) {
  if (msg.empty()) return DecodeStatus::kEmpty;
  switch (static_cast<char>(msg[0])) {
    case SystemEvent::kType: return DecodeInto<SystemEvent>(msg, out);
    case StockDirectory::kType: return DecodeInto<StockDirectory>(msg, out);
    case TradingAction::kType: return DecodeInto<TradingAction>(msg, out);
    case AddOrder::kType: return DecodeInto<AddOrder>(msg, out);
    case OrderCancel::kType: return DecodeInto<OrderCancel>(msg, out);
    case OrderDelete::kType: return DecodeInto<OrderDelete>(msg, out);
    case OrderReplace::kType: return DecodeInto<OrderReplace>(msg, out);
    case OrderExecuted::kType: return DecodeInto<OrderExecuted>(msg, out);
    case CrossTrade::kType: return DecodeInto<CrossTrade>(msg, out);
    case Noii::kType: return DecodeInto<Noii>(msg, out);
  }
  return DecodeStatus::kUnknownType;
}

}  // namespace ccx::itch
