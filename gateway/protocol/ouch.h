// OUCH 4.2 messages as ccx uses them (PROTOCOL.md §2): inbound O/U/X in SoupBinTCP `U`
// packets, outbound S/A/U/C/E/J/I in `S` packets. Plain structs of fixed-width fields
// (alpha fields as space-padded char arrays, numbers as host integers, prices as the wire
// uint32 with 4 implied decimals), encoded into and decoded from caller buffers without
// allocation. Decoders check the type byte and the exact size; they do not judge field
// values (side `T`, a bad time in force, ... are the gateway's and engine's to reject).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "gateway/protocol/endian.h"

namespace ccx::ouch {

using Token = wire::Alpha<14>;  ///< order token: unique per session per trading day
using Stock = wire::Alpha<8>;   ///< category code
using Firm = wire::Alpha<4>;    ///< firm code; spaces = the login's default firm

/// Wire prices carry 4 implied decimals: 1,655 JPY is 16550000.
constexpr uint32_t kPriceScale = 10000;
/// The largest OUCH message ccx sends or accepts (`U` replaced).
constexpr size_t kMaxMessageSize = 80;

/// The token without its padding; the view lives as long as `token`.
inline std::string_view TokenView(const Token& token) { return wire::AlphaView(token); }
/// `text` as a token; false (token unchanged) if longer than 14 characters.
inline bool SetToken(Token* token, std::string_view text) { return wire::SetAlpha(token, text); }
/// `text` (at most 14 characters; cut if longer) as a token.
inline Token MakeToken(std::string_view text) { return wire::MakeAlpha<14>(text); }
/// The stock (category code) without its padding; the view lives as long as `stock`.
inline std::string_view StockView(const Stock& stock) { return wire::AlphaView(stock); }
/// `text` as a stock field; false (unchanged) if longer than 8 characters.
inline bool SetStock(Stock* stock, std::string_view text) { return wire::SetAlpha(stock, text); }
/// `text` (at most 8 characters; cut if longer) as a stock field.
inline Stock MakeStock(std::string_view text) { return wire::MakeAlpha<8>(text); }
/// The firm without its padding (empty = default firm).
inline std::string_view FirmView(const Firm& firm) { return wire::AlphaView(firm); }
/// `text` (at most 4 characters; cut if longer) as a firm field.
inline Firm MakeFirm(std::string_view text) { return wire::MakeAlpha<4>(text); }

// ---- Inbound (client to ccx) ----------------------------------------------------------

/// `O` enter order, 49 bytes.
struct EnterOrder {
  static constexpr char kType = 'O';
  static constexpr size_t kSize = 49;
  Token token = wire::BlankAlpha<14>();
  char side = 'B';  ///< `B`, `S` (`T`, `E` short sales are rejected by ccx)
  uint32_t shares = 0;
  Stock stock = wire::BlankAlpha<8>();
  uint32_t price = 0;  ///< 4 implied decimals
  uint32_t tif = 0;    ///< 99998/99999 = DAY, 0 = AUCTION
  Firm firm = wire::BlankAlpha<4>();
  char display = ' ';
  char capacity = ' ';
  char intermarket_sweep = ' ';
  uint32_t min_qty = 0;
  char cross_type = ' ';
  char customer_type = ' ';
  friend bool operator==(const EnterOrder&, const EnterOrder&) = default;
};

/// `U` replace order, 47 bytes.
struct ReplaceOrder {
  static constexpr char kType = 'U';
  static constexpr size_t kSize = 47;
  Token existing_token = wire::BlankAlpha<14>();
  Token replacement_token = wire::BlankAlpha<14>();
  uint32_t shares = 0;
  uint32_t price = 0;
  uint32_t tif = 0;
  char display = ' ';
  char intermarket_sweep = ' ';
  uint32_t min_qty = 0;
  friend bool operator==(const ReplaceOrder&, const ReplaceOrder&) = default;
};

/// `X` cancel order, 19 bytes.
struct CancelOrder {
  static constexpr char kType = 'X';
  static constexpr size_t kSize = 19;
  Token token = wire::BlankAlpha<14>();
  uint32_t shares = 0;  ///< the quantity to leave; 0 cancels all
  friend bool operator==(const CancelOrder&, const CancelOrder&) = default;
};

// ---- Outbound (ccx to client) ---------------------------------------------------------
// Timestamps: nanoseconds since midnight Asia/Tokyo of the trading date.

/// `S` system event, 10 bytes.
struct SystemEvent {
  static constexpr char kType = 'S';
  static constexpr size_t kSize = 10;
  uint64_t timestamp = 0;
  char event_code = 'S';  ///< `S` start of day, `E` end of day
  friend bool operator==(const SystemEvent&, const SystemEvent&) = default;
};

/// `A` accepted, 66 bytes.
struct Accepted {
  static constexpr char kType = 'A';
  static constexpr size_t kSize = 66;
  uint64_t timestamp = 0;
  Token token = wire::BlankAlpha<14>();
  char side = 'B';
  uint32_t shares = 0;
  Stock stock = wire::BlankAlpha<8>();
  uint32_t price = 0;
  uint32_t tif = 0;
  Firm firm = wire::BlankAlpha<4>();
  char display = ' ';
  uint64_t order_ref = 0;
  char capacity = ' ';
  char intermarket_sweep = ' ';
  uint32_t min_qty = 0;
  char cross_type = ' ';
  char order_state = 'L';  ///< `L` live, `D` dead
  char bbo_weight = ' ';
  friend bool operator==(const Accepted&, const Accepted&) = default;
};

/// `U` replaced, 80 bytes.
struct Replaced {
  static constexpr char kType = 'U';
  static constexpr size_t kSize = 80;
  uint64_t timestamp = 0;
  Token replacement_token = wire::BlankAlpha<14>();
  char side = 'B';
  uint32_t shares = 0;
  Stock stock = wire::BlankAlpha<8>();
  uint32_t price = 0;
  uint32_t tif = 0;
  Firm firm = wire::BlankAlpha<4>();
  char display = ' ';
  uint64_t order_ref = 0;
  char capacity = ' ';
  char intermarket_sweep = ' ';
  uint32_t min_qty = 0;
  char cross_type = ' ';
  char order_state = 'L';
  Token previous_token = wire::BlankAlpha<14>();
  char bbo_weight = ' ';
  friend bool operator==(const Replaced&, const Replaced&) = default;
};

/// `C` canceled, 28 bytes.
struct Canceled {
  static constexpr char kType = 'C';
  static constexpr size_t kSize = 28;
  uint64_t timestamp = 0;
  Token token = wire::BlankAlpha<14>();
  uint32_t decrement_shares = 0;
  char reason = 'U';  ///< U, I, T, S, D, Z (PROTOCOL.md §2)
  friend bool operator==(const Canceled&, const Canceled&) = default;
};

/// `E` executed, 40 bytes.
struct Executed {
  static constexpr char kType = 'E';
  static constexpr size_t kSize = 40;
  uint64_t timestamp = 0;
  Token token = wire::BlankAlpha<14>();
  uint32_t executed_shares = 0;
  uint32_t execution_price = 0;
  char liquidity_flag = 'I';  ///< `I` 11:30 auction, `C` 15:00 auction
  uint64_t match_number = 0;
  friend bool operator==(const Executed&, const Executed&) = default;
};

/// `J` rejected, 24 bytes.
struct Rejected {
  static constexpr char kType = 'J';
  static constexpr size_t kSize = 24;
  uint64_t timestamp = 0;
  Token token = wire::BlankAlpha<14>();
  char reason = 'O';  ///< PROTOCOL.md §2 reject reasons
  friend bool operator==(const Rejected&, const Rejected&) = default;
};

/// `I` cancel reject, 23 bytes.
struct CancelReject {
  static constexpr char kType = 'I';
  static constexpr size_t kSize = 23;
  uint64_t timestamp = 0;
  Token token = wire::BlankAlpha<14>();
  friend bool operator==(const CancelReject&, const CancelReject&) = default;
};

using Inbound = std::variant<EnterOrder, ReplaceOrder, CancelOrder>;
using Outbound =
    std::variant<SystemEvent, Accepted, Replaced, Canceled, Executed, Rejected, CancelReject>;

/// What a decoder found wrong (kOk: nothing).
enum class DecodeStatus : uint8_t {
  kOk,
  kEmpty,        ///< no bytes at all
  kUnknownType,  ///< a type byte that is no message of this direction
  kWrongType,    ///< a valid type, but not the one the caller asked to decode
  kBadSize,      ///< the size differs from the type's fixed size
};

/// Short name of a status, static storage.
std::string_view ToString(DecodeStatus status);

/// Size of the inbound message of `type` (49, 47, 19), or 0 if no inbound type.
size_t InboundSize(char type);
/// Size of the outbound message of `type`, or 0 if no outbound type.
size_t OutboundSize(char type);
/// Checks type and exact size of an inbound message (a `U` packet payload).
DecodeStatus CheckInbound(std::span<const uint8_t> msg);
/// Checks type and exact size of an outbound message (an `S` packet payload).
DecodeStatus CheckOutbound(std::span<const uint8_t> msg);
/// One line saying what is wrong with inbound `msg` for a `+` debug text; "" if valid.
std::string InboundErrorText(std::span<const uint8_t> msg);

/// Each Encode writes exactly T::kSize bytes at `out` (the caller provides them) and
/// returns T::kSize. Alpha fields are copied as they are (keep them space padded).
size_t Encode(const EnterOrder& m, uint8_t* out);
size_t Encode(const ReplaceOrder& m, uint8_t* out);
size_t Encode(const CancelOrder& m, uint8_t* out);
size_t Encode(const SystemEvent& m, uint8_t* out);
size_t Encode(const Accepted& m, uint8_t* out);
size_t Encode(const Replaced& m, uint8_t* out);
size_t Encode(const Canceled& m, uint8_t* out);
size_t Encode(const Executed& m, uint8_t* out);
size_t Encode(const Rejected& m, uint8_t* out);
size_t Encode(const CancelReject& m, uint8_t* out);
/// Encodes whichever message `m` holds (at most kMaxMessageSize bytes); returns its size.
size_t Encode(const Inbound& m, uint8_t* out);
size_t Encode(const Outbound& m, uint8_t* out);

/// Each Decode fills *out from `msg` if its type byte is T::kType and its size exactly
/// T::kSize; otherwise returns what is wrong and leaves *out unchanged.
DecodeStatus Decode(std::span<const uint8_t> msg, EnterOrder* out);
DecodeStatus Decode(std::span<const uint8_t> msg, ReplaceOrder* out);
DecodeStatus Decode(std::span<const uint8_t> msg, CancelOrder* out);
DecodeStatus Decode(std::span<const uint8_t> msg, SystemEvent* out);
DecodeStatus Decode(std::span<const uint8_t> msg, Accepted* out);
DecodeStatus Decode(std::span<const uint8_t> msg, Replaced* out);
DecodeStatus Decode(std::span<const uint8_t> msg, Canceled* out);
DecodeStatus Decode(std::span<const uint8_t> msg, Executed* out);
DecodeStatus Decode(std::span<const uint8_t> msg, Rejected* out);
DecodeStatus Decode(std::span<const uint8_t> msg, CancelReject* out);
/// Decodes any inbound message (dispatching on the type byte) into *out.
DecodeStatus DecodeInbound(std::span<const uint8_t> msg, Inbound* out);
/// Decodes any outbound message (dispatching on the type byte) into *out.
DecodeStatus DecodeOutbound(std::span<const uint8_t> msg, Outbound* out);

}  // namespace ccx::ouch
