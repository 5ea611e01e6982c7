// One change of the credit registry ledger requested from outside the market: a deposit, a
// withdrawal or a retirement (MARKET_RULES §8). LedgerOp is the payload of the exchange's
// journal records of kind kLedger: trivially copyable, fixed size, zero-initialised, so a
// replay of the journal gives Registry::Apply byte-identical inputs.
//
// Units: quantities in t-CO2 (one serial number = one t-CO2), cash in whole yen.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

#include "engine/core/types.h"

namespace ccx::settlement {

enum class LedgerOpType : uint8_t {
  kDepositCredits = 1,   ///< a block [first_serial, first_serial + quantity - 1] arrives
  kWithdrawCredits = 2,  ///< credits leave the exchange (oldest first, or the given serials)
  kDepositCash = 3,      ///< amount_yen arrives
  kWithdrawCash = 4,     ///< amount_yen leaves (only from what is available)
  kRetire = 5,           ///< credits are cancelled for offsetting (無効化); never move again
};

/// "deposit-credits", "withdraw-credits", "deposit-cash", "withdraw-cash", "retire"
/// (the words of the admin command and of the audit table); "?" for anything else.
std::string_view ToString(LedgerOpType t);

struct LedgerOp {
  LedgerOpType type = LedgerOpType::kDepositCredits;
  uint8_t pad0 = 0;
  CategoryId category = 0;      ///< credits only: the trading category of the block
  ParticipantId participant = 0;
  int32_t vintage = 0;          ///< deposit-credits: vintage year, e.g. 2024
  uint32_t pad1 = 0;
  int64_t quantity = 0;         ///< credits: t-CO2 (= number of serials), > 0
  /// deposit-credits: the block's first serial (its last is first + quantity - 1).
  /// withdraw-credits / retire: 0 = take the oldest deposits first (splitting as needed);
  /// otherwise exactly the serials [first_serial, last_serial] of `project`, which must all be
  /// held (not retired) by the participant in `category`, and quantity = last - first + 1.
  uint64_t first_serial = 0;
  uint64_t last_serial = 0;     ///< deposit-credits: first_serial + quantity - 1
  int64_t amount_yen = 0;       ///< cash: whole yen, > 0
  char program[16] = {};        ///< credits: registry program, e.g. "J-Credit" (NUL-padded)
  char project[32] = {};        ///< deposit-credits, serial withdraw/retire: project id
  char actor[32] = {};          ///< who asked: an operator name, "config", "ccx-registry"
  char reason[128] = {};        ///< why (free text); for retire the stated purpose (required)
};
static_assert(std::is_trivially_copyable_v<LedgerOp>);
static_assert(sizeof(LedgerOp) == 256);

/// Copies `text` into a fixed field, NUL-padded. False (field left empty) when it does not
/// fit with its terminating NUL.
template <size_t N>
bool SetField(char (&field)[N], std::string_view text) {
  std::memset(field, 0, N);
  if (text.size() >= N) return false;
  std::memcpy(field, text.data(), text.size());
  return true;
}

/// The text of a fixed field (up to its first NUL).
template <size_t N>
std::string_view FieldView(const char (&field)[N]) {
  return std::string_view(field, strnlen(field, N));
}

}  // namespace ccx::settlement
