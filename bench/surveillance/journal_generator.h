// A synthetic trading day for the replay benchmark: `records` journal inputs on Friday
// 2026-11-20 as ccx-exchange would have journaled them — its settings, the configured
// deposits, clock
// inputs at every transition, and OUCH messages spread evenly over both acceptance phases:
// the participants who are no market makers send enters (60 %), cancels (25 %) and
// replaces (15 %) over the seven J-Credit/J-VER categories, prices drawn around each
// category's reference price (sd 2 %), quantities 1-1,000 (mostly small), so books cross
// and both auctions execute; every 50th input is a market maker re-pricing one of its
// two-sided quotes (100 t, 1-3 % from the reference price). Fixed seed: the same file
// every time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "engine/market/schedule.h"
#include "gateway/core/order_entry.h"
#include "gateway/journal/journal.h"
#include "surveillance/replayer.h"

namespace ccx::bench {

struct GeneratedJournal {
  uint64_t records = 0;
  uint64_t ouch = 0;
};

/// Writes the day to `path` (parent directories created). `core` supplies the configured
/// deposits (CoreOptions::settlement.deposits).
inline absl::StatusOr<GeneratedJournal> GenerateJournal(const std::string& path, const MarketConfig& market,
                                                        const ParticipantRegistry& people,
                                                        const CoreOptions& core, uint64_t records) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::filesystem::remove(path);
  auto w = JournalWriter::Open(path, FsyncMode::kNone, 1);
  if (!w.ok()) return w.status();
  GeneratedJournal g;
  const absl::CivilDay day(2026, 11, 20);
  auto at = [&](int minute) { return LocalToTimestamp(day, minute, market.utc_offset_minutes); };
  auto put = [&](InputKind kind, Timestamp t, const void* data, size_t n) -> absl::Status {
    auto seq = w->Append(static_cast<uint16_t>(kind), t, {static_cast<const uint8_t*>(data), n});
    if (!seq.ok()) return seq.status();
    ++g.records;
    return absl::OkStatus();
  };
  CoreSettings settings;  // what the exchange journals first: its output-shaping options
  settings.noii_interval_ns = core.noii_interval_ns;
  if (auto st = put(InputKind::kSettings, at(6 * 60 + 59), &settings, sizeof settings); !st.ok()) return st;
  for (const auto& op : core.settlement.deposits) {
    if (auto st = put(InputKind::kLedger, at(6 * 60 + 59), &op, sizeof op); !st.ok()) return st;
  }
  std::vector<int> cats;
  for (size_t c = 0; c < market.categories.size() && cats.size() < 7; ++c) {
    if (market.categories[c].sessions.size() == 2) cats.push_back(static_cast<int>(c));
  }
  std::mt19937_64 rng(20261120);
  std::normal_distribution<double> move(0.0, 0.02);
  const size_t n_people = people.participants.size();
  (void)n_people;
  struct Live {
    std::string token;
    int category;
  };
  std::vector<std::vector<Live>> live(n_people);  // orders that may still rest
  std::vector<ParticipantId> traders;
  struct Maker {
    ParticipantId id;
    std::vector<int> categories;
  };
  std::vector<Maker> makers;
  for (const Participant& p : people.participants) {
    if (p.market_maker_in.empty()) {
      traders.push_back(p.id);
      continue;
    }
    Maker m{p.id, {}};
    for (const std::string& code : p.market_maker_in) {
      if (const int c = market.FindCategory(code); c >= 0) m.categories.push_back(c);
    }
    if (!m.categories.empty()) makers.push_back(m);
  }
  if (traders.empty()) return absl::InvalidArgumentError("no participant who is not a market maker");
  // The token of each maker's quote by (maker, category, side); empty = none yet.
  std::vector<std::string> quotes(people.participants.size() * market.categories.size() * 2);
  std::vector<uint64_t> next_token(n_people, 0);
  const uint64_t inputs = records > g.records + 8 ? records - g.records - 8 : 0;
  const uint64_t morning = inputs * 7 / 12;  // 3.5 h of the 6 h of acceptance
  // Phases: [08:00, 11:30) then [12:30, 15:00); clock inputs at each transition.
  const Timestamp m0 = at(8 * 60), m1 = at(11 * 60 + 30), a0 = at(12 * 60 + 30), a1 = at(15 * 60);
  if (auto st = put(InputKind::kClock, at(7 * 60), nullptr, 0); !st.ok()) return st;
  if (auto st = put(InputKind::kClock, m0 + 1'000'000, nullptr, 0); !st.ok()) return st;
  for (uint64_t i = 0; i < inputs; ++i) {
    if (i == morning) {
      if (auto st = put(InputKind::kClock, m1 + 4'000'000, nullptr, 0); !st.ok()) return st;
      if (auto st = put(InputKind::kClock, a0 + 2'000'000, nullptr, 0); !st.ok()) return st;
      for (auto& l : live) l.clear();  // most of the morning executed or is stale; start afresh
    }
    const bool am = i < morning;
    const Timestamp t0 = am ? m0 : a0, t1 = am ? m1 : a1;
    const uint64_t k = am ? i : i - morning, n = am ? morning : inputs - morning;
    const Timestamp t = t0 + 2'000'000 + static_cast<Timestamp>((t1 - t0 - 4'000'000) * (double(k) / double(n)));
    if (i % 50 == 25 && !makers.empty()) {  // a market maker re-prices a quote
      const Maker& m = makers[rng() % makers.size()];
      const int c = m.categories[rng() % m.categories.size()];
      const bool buy = rng() % 2 == 0;
      std::string& token = quotes[(m.id * market.categories.size() + static_cast<size_t>(c)) * 2 + (buy ? 0 : 1)];
      const double off = 0.01 + 0.02 * double(rng() % 1000) / 1000.0;
      const auto yen = static_cast<uint32_t>(market.categories[static_cast<size_t>(c)].reference_price *
                                             (buy ? 1.0 - off : 1.0 + off));
      OuchInput q;
      q.participant = m.id;
      const std::string next = "Q" + std::to_string(++next_token[m.id]);
      if (token.empty()) {
        ouch::EnterOrder o;
        o.token = ouch::MakeToken(next);
        o.side = buy ? 'B' : 'S';
        o.shares = 100;
        o.stock = ouch::MakeStock(market.categories[static_cast<size_t>(c)].code);
        o.price = yen * ouch::kPriceScale;
        o.tif = 99999;
        q.length = static_cast<uint8_t>(ouch::Encode(ouch::Inbound(o), q.message));
      } else {
        ouch::ReplaceOrder u;
        u.existing_token = ouch::MakeToken(token);
        u.replacement_token = ouch::MakeToken(next);
        u.shares = 100;
        u.price = yen * ouch::kPriceScale;
        u.tif = 99999;
        q.length = static_cast<uint8_t>(ouch::Encode(ouch::Inbound(u), q.message));
      }
      token = next;
      if (auto st = put(InputKind::kOuch, t, &q, sizeof q); !st.ok()) return st;
      ++g.ouch;
      continue;
    }
    const ParticipantId who = traders[rng() % traders.size()];
    OuchInput in;
    in.participant = who;
    const int roll = static_cast<int>(rng() % 100);
    auto& mine = live[who];
    if (roll < 25 && !mine.empty()) {
      const size_t j = rng() % mine.size();
      ouch::CancelOrder x;
      x.token = ouch::MakeToken(mine[j].token);
      mine[j] = mine.back();
      mine.pop_back();
      in.length = static_cast<uint8_t>(ouch::Encode(ouch::Inbound(x), in.message));
    } else if (roll < 40 && !mine.empty()) {
      const size_t j = rng() % mine.size();
      ouch::ReplaceOrder u;
      u.existing_token = ouch::MakeToken(mine[j].token);
      mine[j].token = std::to_string(++next_token[who]);
      u.replacement_token = ouch::MakeToken(mine[j].token);
      u.shares = 1 + static_cast<uint32_t>(rng() % 100);
      const CategoryConfig& cat = market.categories[static_cast<size_t>(mine[j].category)];
      u.price = static_cast<uint32_t>(cat.reference_price * (1.0 + move(rng))) * ouch::kPriceScale;
      u.tif = 99999;
      in.length = static_cast<uint8_t>(ouch::Encode(ouch::Inbound(u), in.message));
    } else {
      const int c = cats[rng() % cats.size()];
      const CategoryConfig& cat = market.categories[static_cast<size_t>(c)];
      ouch::EnterOrder o;
      const std::string token = std::to_string(++next_token[who]);
      o.token = ouch::MakeToken(token);
      o.side = rng() % 2 ? 'B' : 'S';
      const int size = static_cast<int>(rng() % 10);
      o.shares = static_cast<uint32_t>(size < 6 ? 1 + rng() % 10 : size < 9 ? 11 + rng() % 90 : 101 + rng() % 900);
      o.stock = ouch::MakeStock(cat.code);
      o.price = static_cast<uint32_t>(cat.reference_price * (1.0 + move(rng))) * ouch::kPriceScale;
      o.tif = rng() % 10 == 0 ? 0 : 99999;
      in.length = static_cast<uint8_t>(ouch::Encode(ouch::Inbound(o), in.message));
      mine.push_back({token, c});
      if (mine.size() > 4096) mine.erase(mine.begin(), mine.begin() + 1024);
    }
    if (auto st = put(InputKind::kOuch, t, &in, sizeof in); !st.ok()) return st;
    ++g.ouch;
  }
  if (auto st = put(InputKind::kClock, a1 + 5'000'000, nullptr, 0); !st.ok()) return st;
  if (auto st = w->Close(); !st.ok()) return st;
  return g;
}

}  // namespace ccx::bench
