// ITCH 5.0 messages as ccx publishes them (PROTOCOL.md §4) inside MoldUDP64 packets and
// the TCP snapshot: S, R, H, A, X, D, U, E, Q, I. Plain structs of fixed-width fields,
// encoded into and decoded from caller buffers without allocation. Every message starts
// with the 11-byte common header: type 1, stock locate 2, tracking number 2, timestamp 6
// (nanoseconds since midnight Asia/Tokyo, 48 bits). Decoders check the type byte and the
// exact size, not field values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <variant>

#include "gateway/protocol/endian.h"

namespace ccx::itch {

using Stock = wire::Alpha<8>;  ///< category code, left-justified, space padded

constexpr size_t kHeaderSize = 11;
/// Wire prices carry 4 implied decimals: 1,655 JPY is 16550000.
constexpr uint32_t kPriceScale = 10000;
/// The largest ITCH message ccx sends (`I` NOII).
constexpr size_t kMaxMessageSize = 50;
/// Timestamps are 48-bit on the wire; encoders keep the low 48 bits.
constexpr uint64_t kMaxTimestamp = (uint64_t{1} << 48) - 1;

/// The stock without its padding; the view lives as long as `stock`.
inline std::string_view StockView(const Stock& stock) { return wire::AlphaView(stock); }
/// `text` (at most 8 characters; cut if longer) as a stock field.
inline Stock MakeStock(std::string_view text) { return wire::MakeAlpha<8>(text); }

/// Fields of the common header after the type byte.
struct Header {
  uint16_t stock_locate = 0;     ///< 1-based category index from the directory; 0 = none
  uint16_t tracking_number = 0;
  uint64_t timestamp = 0;        ///< ns since midnight, < 2^48
  friend bool operator==(const Header&, const Header&) = default;
};

/// `S` system event, 12 bytes.
struct SystemEvent {
  static constexpr char kType = 'S';
  static constexpr size_t kSize = 12;
  Header header;
  char event_code = 'O';  ///< O, S, Q, M, E, C
  friend bool operator==(const SystemEvent&, const SystemEvent&) = default;
};

/// `R` stock directory, 39 bytes.
struct StockDirectory {
  static constexpr char kType = 'R';
  static constexpr size_t kSize = 39;
  Header header;
  Stock stock = wire::BlankAlpha<8>();
  char market_category = ' ';
  char financial_status = ' ';
  uint32_t round_lot_size = 0;  ///< the trading unit
  char round_lots_only = ' ';
  char issue_classification = ' ';
  wire::Alpha<2> issue_sub_type = wire::BlankAlpha<2>();
  char authenticity = ' ';
  char short_sale_threshold = ' ';
  char ipo_flag = ' ';
  char luld_tier = ' ';
  char etp_flag = ' ';
  uint32_t etp_leverage = 0;
  char inverse = ' ';
  friend bool operator==(const StockDirectory&, const StockDirectory&) = default;
};

/// `H` stock trading action, 25 bytes.
struct TradingAction {
  static constexpr char kType = 'H';
  static constexpr size_t kSize = 25;
  Header header;
  Stock stock = wire::BlankAlpha<8>();
  char trading_state = 'Q';  ///< `T` accepting, `Q` closed/auction pending, `H` halted
  char reserved = ' ';
  wire::Alpha<4> reason = wire::BlankAlpha<4>();
  friend bool operator==(const TradingAction&, const TradingAction&) = default;
};

/// `A` add order (no attribution), 36 bytes.
struct AddOrder {
  static constexpr char kType = 'A';
  static constexpr size_t kSize = 36;
  Header header;
  uint64_t order_ref = 0;
  char side = 'B';
  uint32_t shares = 0;
  Stock stock = wire::BlankAlpha<8>();
  uint32_t price = 0;
  friend bool operator==(const AddOrder&, const AddOrder&) = default;
};

/// `X` order cancel (partial), 23 bytes.
struct OrderCancel {
  static constexpr char kType = 'X';
  static constexpr size_t kSize = 23;
  Header header;
  uint64_t order_ref = 0;
  uint32_t cancelled_shares = 0;
  friend bool operator==(const OrderCancel&, const OrderCancel&) = default;
};

/// `D` order delete, 19 bytes.
struct OrderDelete {
  static constexpr char kType = 'D';
  static constexpr size_t kSize = 19;
  Header header;
  uint64_t order_ref = 0;
  friend bool operator==(const OrderDelete&, const OrderDelete&) = default;
};

/// `U` order replace, 35 bytes.
struct OrderReplace {
  static constexpr char kType = 'U';
  static constexpr size_t kSize = 35;
  Header header;
  uint64_t original_ref = 0;
  uint64_t new_ref = 0;
  uint32_t shares = 0;
  uint32_t price = 0;
  friend bool operator==(const OrderReplace&, const OrderReplace&) = default;
};

/// `E` order executed, 31 bytes.
struct OrderExecuted {
  static constexpr char kType = 'E';
  static constexpr size_t kSize = 31;
  Header header;
  uint64_t order_ref = 0;
  uint32_t executed_shares = 0;
  uint64_t match_number = 0;
  friend bool operator==(const OrderExecuted&, const OrderExecuted&) = default;
};

/// `Q` cross trade, 40 bytes: an auction result (shares 0 = no execution).
struct CrossTrade {
  static constexpr char kType = 'Q';
  static constexpr size_t kSize = 40;
  Header header;
  uint64_t shares = 0;
  Stock stock = wire::BlankAlpha<8>();
  uint32_t cross_price = 0;
  uint64_t match_number = 0;
  char cross_type = 'I';  ///< `I` 11:30, `C` 15:00
  friend bool operator==(const CrossTrade&, const CrossTrade&) = default;
};

/// `I` net order imbalance indicator (NOII), 50 bytes: the indicative auction.
struct Noii {
  static constexpr char kType = 'I';
  static constexpr size_t kSize = 50;
  Header header;
  uint64_t paired_shares = 0;     ///< indicative volume
  uint64_t imbalance_shares = 0;
  char imbalance_direction = 'N';  ///< `B`, `S`, `N`
  Stock stock = wire::BlankAlpha<8>();
  uint32_t far_price = 0;        ///< base price
  uint32_t near_price = 0;       ///< base price
  uint32_t reference_price = 0;  ///< indicative price
  char cross_type = 'I';
  char price_variation = ' ';
  friend bool operator==(const Noii&, const Noii&) = default;
};

using Message = std::variant<SystemEvent, StockDirectory, TradingAction, AddOrder, OrderCancel,
                             OrderDelete, OrderReplace, OrderExecuted, CrossTrade, Noii>;

/// What a decoder found wrong (kOk: nothing).
enum class DecodeStatus : uint8_t {
  kOk,
  kEmpty,        ///< no bytes at all
  kUnknownType,  ///< a type byte that is no ccx ITCH message
  kWrongType,    ///< a valid type, but not the one the caller asked to decode
  kBadSize,      ///< the size differs from the type's fixed size
};

/// Short name of a status, static storage.
std::string_view ToString(DecodeStatus status);

/// Size of the message of `type`, or 0 if ccx sends no such type.
size_t MessageSize(char type);

/// Each Encode writes exactly T::kSize bytes at `out` (the caller provides them) and
/// returns T::kSize. The timestamp keeps its low 48 bits.
size_t Encode(const SystemEvent& m, uint8_t* out);
size_t Encode(const StockDirectory& m, uint8_t* out);
size_t Encode(const TradingAction& m, uint8_t* out);
size_t Encode(const AddOrder& m, uint8_t* out);
size_t Encode(const OrderCancel& m, uint8_t* out);
size_t Encode(const OrderDelete& m, uint8_t* out);
size_t Encode(const OrderReplace& m, uint8_t* out);
size_t Encode(const OrderExecuted& m, uint8_t* out);
size_t Encode(const CrossTrade& m, uint8_t* out);
size_t Encode(const Noii& m, uint8_t* out);
/// Encodes whichever message `m` holds (at most kMaxMessageSize bytes); returns its size.
size_t Encode(const Message& m, uint8_t* out);

/// Each Decode fills *out from `msg` if its type byte is T::kType and its size exactly
/// T::kSize; otherwise returns what is wrong and leaves *out unchanged.
DecodeStatus Decode(std::span<const uint8_t> msg, SystemEvent* out);
DecodeStatus Decode(std::span<const uint8_t> msg, StockDirectory* out);
DecodeStatus Decode(std::span<const uint8_t> msg, TradingAction* out);
DecodeStatus Decode(std::span<const uint8_t> msg, AddOrder* out);
DecodeStatus Decode(std::span<const uint8_t> msg, OrderCancel* out);
DecodeStatus Decode(std::span<const uint8_t> msg, OrderDelete* out);
DecodeStatus Decode(std::span<const uint8_t> msg, OrderReplace* out);
DecodeStatus Decode(std::span<const uint8_t> msg, OrderExecuted* out);
DecodeStatus Decode(std::span<const uint8_t> msg, CrossTrade* out);
DecodeStatus Decode(std::span<const uint8_t> msg, Noii* out);
/// Decodes any ccx ITCH message (dispatching on the type byte) into *out.
DecodeStatus DecodeMessage(std::span<const uint8_t> msg, Message* out);

}  // namespace ccx::itch
