// A small ledger history for the LedgerDb and ccx-registry tests: deposits, trades on the
// Friday before Golden Week, a settlement on 2026-05-13, a retirement, mirrored to SQLite.
#pragma once

#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "settlement/ledger_db.h"
#include "settlement/registry.h"
#include "tests/settlement/settlement_test_util.h"

namespace ccx::settlement::testing {

inline const absl::CivilDay kTradeDay(2026, 5, 1);
inline const absl::CivilDay kSettleDay(2026, 5, 13);

/// A fresh temporary data directory, removed by the destructor.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    path = std::filesystem::temp_directory_path() /
           ("ccx-settlement-" + std::to_string(std::random_device{}()) + "-" +
            std::to_string(reinterpret_cast<uintptr_t>(this) & 0xFFFF));
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string str() const { return path.string(); }
};

inline StatementNames Names(const Registry& r) {
  StatementNames n;
  for (ParticipantId p = 0; p < r.num_participants(); ++p) n.usernames.push_back(r.username(p));
  for (CategoryId c = 0; c < r.num_categories(); ++c) n.categories.push_back(r.category_code(c));
  n.utc_offset_minutes = Market().utc_offset_minutes;
  return n;
}

inline std::vector<std::string> Programs() {
  std::vector<std::string> out;
  for (const CategoryConfig& c : Market().categories) out.push_back(c.program);
  return out;
}

/// The history, input by input; each step is one journal sequence number (1, 2, ...).
/// `upto` stops after that many steps (the settlement is step 8, the retirement step 9).
inline void History(Registry& r, int upto = 99) {
  int step = 0;
  auto next = [&]() { return ++step <= upto; };
  auto ok = [](absl::Status st) {
    if (!st.ok()) throw std::runtime_error(std::string(st.message()));
  };
  if (next()) ok(r.Apply(DepositCredits(0, "JCRE", 30, "JPN-RE-A", 1), At(kTradeDay, 7), 1));
  if (next()) ok(r.Apply(DepositCredits(0, "JCRE", 50, "JPN-RE-B", 101), At(kTradeDay, 7), 2));
  if (next()) ok(r.Apply(Cash(LedgerOpType::kDepositCash, 2, 1'000'000), At(kTradeDay, 7), 3));
  if (next()) ok(r.Apply(Cash(LedgerOpType::kDepositCash, 3, 1'000'000), At(kTradeDay, 7), 4));
  if (next()) {  // the 15:00 auction: two trades
    r.BeginInput(5, At(kTradeDay, 15));
    for (auto [buyer, qty, price, match] :
         {std::tuple<ParticipantId, Qty, Price, MatchNumber>{2, 40, 3000, 1}, {3, 15, 3010, 3}}) {
      if (!r.ReserveSell(0, Cat("JCRE"), qty) || !r.ReserveBuy(buyer, int64_t{price} * qty)) {
        throw std::runtime_error("reservation refused");
      }
      r.OnSellExecuted(0, Cat("JCRE"), qty);
      r.OnBuyExecuted(buyer, qty, price, price);
      r.OnTrade(TradeEvent(kTradeDay, buyer, 0, "JCRE", qty, price, match));
    }
  }
  if (next()) r.SettleDue(absl::CivilDay(2026, 5, 7), At(absl::CivilDay(2026, 5, 7), 9), 6);
  if (next()) r.SettleDue(absl::CivilDay(2026, 5, 12), At(absl::CivilDay(2026, 5, 12), 9), 7);
  if (next()) r.SettleDue(kSettleDay, At(kSettleDay, 9), 8);
  if (next()) {
    ok(r.Apply(Take(LedgerOpType::kRetire, 2, "JCRE", 5, "JPN-RE-B", 101),
               At(kSettleDay, 10), 9));
  }
}

/// Mirrors every batch of `r` to `db`; returns how many were applied (not skipped).
inline int Mirror(Registry& r, LedgerDb& db) {
  int applied = 0;
  for (const ChangeBatch& b : r.TakeChanges()) {
    absl::StatusOr<bool> a = db.Apply(b);
    if (!a.ok()) throw std::runtime_error(std::string(a.status().message()));
    applied += *a ? 1 : 0;
  }
  return applied;
}

}  // namespace ccx::settlement::testing
