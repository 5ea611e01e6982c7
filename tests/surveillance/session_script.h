// SessionScript: builds an exchange journal programmatically, as ccx-exchange would have
// journaled it — OUCH inputs of named participants, clock inputs at the transitions,
// operator commands — for the surveillance tests and the replay benchmark. The records can
// be written to a journal file (JournalWriter) or replayed from memory.
#pragma once

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/market/schedule.h"
#include "gateway/core/order_entry.h"
#include "gateway/journal/journal.h"
#include "settlement/ledger_op.h"
#include "surveillance/replayer.h"

namespace ccx::test {

/// The shipped configuration (config/market.toml): 8 categories, PART01..PART10 and the
/// market makers MM0001..MM0003 (makers in the seven J-Credit/J-VER categories).
inline std::string ShippedConfig() { return std::string(CCX_SOURCE_ROOT) + "/config/market.toml"; }

/// Friday 2026-11-20, a trading day for every category (GXCR trades on Fridays).
inline const absl::CivilDay kFriday(2026, 11, 20);

/// Local (Tokyo) time of `day` as a timestamp, with milliseconds.
inline Timestamp Tokyo(int h, int m, int s = 0, int ms = 0, absl::CivilDay day = kFriday) {
  return LocalToTimestamp(day, h * 60 + m, 540) + s * kNanosPerSecond + ms * int64_t{1'000'000};
}

struct ScriptRecord {
  uint16_t type = 0;
  Timestamp time = 0;
  std::vector<uint8_t> payload;
};

class SessionScript {
 public:
  explicit SessionScript(const std::string& config = ShippedConfig()) {
    auto market = LoadMarketConfig(config);
    if (!market.ok()) throw std::runtime_error(std::string(market.status().message()));
    market_ = *market;
    auto reg = LoadParticipants(config, market_);
    if (!reg.ok()) throw std::runtime_error(std::string(reg.status().message()));
    participants_ = *reg;
    auto core = surveillance::CoreOptionsFromConfig(config, market_, participants_, 100);
    if (!core.ok()) throw std::runtime_error(std::string(core.status().message()));
    core_ = *core;
  }

  /// What the exchange's core runs with for this configuration (NOII interval 100 ms).
  const CoreOptions& core_options() const { return core_; }
  surveillance::ReplayOptions options(bool track_indicative = true) const {
    return surveillance::ReplayOptions{track_indicative, core_};
  }

  /// The exchange's settings (kSettings) and the configured deposits (kLedger) at `t`, as
  /// the exchange journals them when it starts with an empty journal.
  SessionScript& Deposits(Timestamp t) {
    CoreSettings settings;
    settings.noii_interval_ns = core_.noii_interval_ns;
    Add(static_cast<uint16_t>(InputKind::kSettings), t, &settings, sizeof settings);
    for (const settlement::LedgerOp& op : core_.settlement.deposits) {
      Add(static_cast<uint16_t>(InputKind::kLedger), t, &op, sizeof op);
    }
    return *this;
  }

  const MarketConfig& market() const { return market_; }
  const ParticipantRegistry& participants() const { return participants_; }
  const std::vector<ScriptRecord>& records() const { return records_; }
  std::vector<ScriptRecord>& mutable_records() { return records_; }

  ParticipantId Id(const std::string& user) const {
    const Participant* p = participants_.FindByUsername(user);
    if (p == nullptr) throw std::runtime_error("no participant " + user);
    return p->id;
  }

  /// An enter-order input: `side` 'B'/'S', price in yen, DAY unless `auction_tif`.
  SessionScript& Enter(Timestamp t, const std::string& user, const std::string& token, char side,
                       uint32_t qty, const std::string& category, uint32_t yen, bool auction_tif = false) {
    ouch::EnterOrder o;
    o.token = ouch::MakeToken(token);
    o.side = side;
    o.shares = qty;
    o.stock = ouch::MakeStock(category);
    o.price = yen * ouch::kPriceScale;
    o.tif = auction_tif ? 0 : 99999;
    return Ouch(t, user, o);
  }
  SessionScript& Replace(Timestamp t, const std::string& user, const std::string& token,
                         const std::string& new_token, uint32_t qty, uint32_t yen) {
    ouch::ReplaceOrder u;
    u.existing_token = ouch::MakeToken(token);
    u.replacement_token = ouch::MakeToken(new_token);
    u.shares = qty;
    u.price = yen * ouch::kPriceScale;
    u.tif = 99999;
    return Ouch(t, user, u);
  }
  /// Cancels `token` entirely (`leave` 0) or down to `leave`.
  SessionScript& Cancel(Timestamp t, const std::string& user, const std::string& token, uint32_t leave = 0) {
    ouch::CancelOrder x;
    x.token = ouch::MakeToken(token);
    x.shares = leave;
    return Ouch(t, user, x);
  }
  SessionScript& Ouch(Timestamp t, const std::string& user, const ouch::Inbound& m) {
    OuchInput in;
    in.participant = Id(user);
    in.length = static_cast<uint8_t>(ouch::Encode(m, in.message));
    return Add(static_cast<uint16_t>(InputKind::kOuch), t, &in, sizeof in);
  }
  SessionScript& Clock(Timestamp t) { return Add(static_cast<uint16_t>(InputKind::kClock), t, nullptr, 0); }
  SessionScript& Admin(Timestamp t, const Command& c) {
    return Add(static_cast<uint16_t>(InputKind::kAdmin), t, &c, sizeof c);
  }
  SessionScript& Add(uint16_t type, Timestamp t, const void* data, size_t n) {
    ScriptRecord r;
    r.type = type;
    r.time = t;
    r.payload.resize(n);
    if (n != 0) std::memcpy(r.payload.data(), data, n);
    records_.push_back(std::move(r));
    return *this;
  }

  /// Writes the records as a journal file at `path` (parent directories created).
  void Write(const std::string& path) const {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    auto w = JournalWriter::Open(path, FsyncMode::kNone, 1);
    if (!w.ok()) throw std::runtime_error(std::string(w.status().message()));
    for (const ScriptRecord& r : records_) {
      auto seq = w->Append(r.type, r.time, {r.payload.data(), r.payload.size()});
      if (!seq.ok()) throw std::runtime_error(std::string(seq.status().message()));
    }
    if (auto st = w->Close(); !st.ok()) throw std::runtime_error(std::string(st.message()));
  }

  /// Applies every record to `replayer` (sequence numbers from 1); the first error.
  absl::Status ReplayInto(surveillance::Replayer* replayer) const {
    uint64_t seq = 0;
    for (const ScriptRecord& r : records_) {
      JournalRecord rec;
      rec.sequence = ++seq;
      rec.timestamp_ns = r.time;
      rec.type = r.type;
      rec.payload = {r.payload.data(), r.payload.size()};
      if (auto st = replayer->Apply(rec); !st.ok()) return st;
    }
    return absl::OkStatus();
  }

 private:
  MarketConfig market_;
  ParticipantRegistry participants_;
  CoreOptions core_;
  std::vector<ScriptRecord> records_;
};

}  // namespace ccx::test
