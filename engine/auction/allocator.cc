#include "engine/auction/allocator.h"

#include <algorithm>

namespace ccx {
namespace {

// TSE simultaneous-order rule. Groups = participants; rounds of one unit per group in
// rank order. After t full rounds group i holds min(g_i, t); the largest t with
// sum_i min(g_i, t) <= units is found in one sweep over the sizes in ascending order,
// and the r < (#groups larger than t) units left over go one each to the first r groups
// in rank order (those are exactly the largest groups, so they still have room).
void ShareTse(uint64_t units, std::vector<Pick>& picks, ShareScratch& ss) {
  // Group: sort a copy by (participant, time). Each group is a run.
  std::vector<Pick>& scratch = ss.picks;
  scratch.assign(picks.begin(), picks.end());
  std::sort(scratch.begin(), scratch.end(), [](const Pick& x, const Pick& y) {
    return x.participant != y.participant ? x.participant < y.participant : x.ref < y.ref;
  });
  using Group = PickGroup;
  std::vector<Group>& groups = ss.groups;
  groups.clear();
  for (size_t i = 0; i < scratch.size();) {
    size_t j = i;
    uint64_t size = 0;
    while (j < scratch.size() && scratch[j].participant == scratch[i].participant) {
      size += scratch[j].lots;
      ++j;
    }
    groups.push_back(Group{size, scratch[i].ref, i, j - i, 0});
    i = j;
  }
  std::sort(groups.begin(), groups.end(), [](const Group& x, const Group& y) {
    return x.size != y.size ? x.size > y.size : x.earliest < y.earliest;
  });
  // Full rounds t: sweep sizes ascending (= groups reversed).
  const size_t n = groups.size();
  uint64_t full_sum = 0;  // sum of sizes of groups already full
  uint64_t t = groups.empty() ? 0 : groups.front().size;
  for (size_t k = 0; k < n; ++k) {
    const uint64_t s = groups[n - 1 - k].size;
    const uint64_t open_groups = n - k;
    if (full_sum + open_groups * s > units) {
      t = (units - full_sum) / open_groups;
      break;
    }
    full_sum += s;
  }
  uint64_t given = 0;
  for (auto& g : groups) {
    g.alloc = std::min(g.size, t);
    given += g.alloc;
  }
  for (size_t k = 0; k < n && given < units; ++k) {
    if (groups[k].size > t) {
      ++groups[k].alloc;
      ++given;
    }
  }
  // Inside a group, fill in time order. Output in group rank order, then time.
  picks.clear();
  for (const auto& g : groups) {
    uint64_t left = g.alloc;
    for (size_t i = g.first; i < g.first + g.count; ++i) {
      Pick p = scratch[i];
      p.alloc = std::min(p.lots, left);
      left -= p.alloc;
      picks.push_back(p);
    }
  }
}

void ShareTime(uint64_t units, std::vector<Pick>& picks) {
  for (auto& p : picks) {
    p.alloc = std::min(p.lots, units);
    units -= p.alloc;
  }
}

// Pro-rata with largest remainder: floor(units * lots / total) each, then one more unit to
// the orders with the largest remainders (ties: earliest order). unsigned __int128 keeps
// units * lots exact for any book size.
void ShareProRata(uint64_t units, std::vector<Pick>& picks, ShareScratch& ss) {
  std::vector<Pick>& scratch = ss.picks;
  uint64_t total = 0;
  for (const auto& p : picks) total += p.lots;
  uint64_t given = 0;
  scratch.clear();
  for (auto& p : picks) {
    const unsigned __int128 num = static_cast<unsigned __int128>(units) * p.lots;
    p.alloc = static_cast<uint64_t>(num / total);
    given += p.alloc;
    Pick r = p;
    r.slot = static_cast<uint32_t>(&p - picks.data());            // index into picks
    r.lots = static_cast<uint64_t>(num % total);                   // remainder
    scratch.push_back(r);
  }
  std::sort(scratch.begin(), scratch.end(), [](const Pick& x, const Pick& y) {
    return x.lots != y.lots ? x.lots > y.lots : x.ref < y.ref;
  });
  for (size_t k = 0; given < units && k < scratch.size(); ++k, ++given) {
    ++picks[scratch[k].slot].alloc;
  }
}

}  // namespace

void SharePicks(AllocationRule rule, uint64_t units, std::vector<Pick>& picks,
                ShareScratch& scratch) {
  switch (rule) {
    case AllocationRule::kTse: ShareTse(units, picks, scratch); return;
    case AllocationRule::kTime: ShareTime(units, picks); return;
    case AllocationRule::kProRata: ShareProRata(units, picks, scratch); return;
  }
}

// Bulk mode: find the orders that fill in full (clamped price better than P) in two
// sequential passes over the pool — count per level, then place into per-level buckets
// laid out in price priority (a counting sort), freeing each record as it is placed — then
// restore time order inside each bucket and emit the executions. Same output as the
// level walk.
void Allocator::FillBetterByScan(Book& book, Side side, int64_t p, Price price,
                                 std::vector<Execution>* executions) {
  OrderStore& store = book.store_;
  auto& levels = side == Side::kBuy ? book.buy_ : book.sell_;
  const int64_t n = static_cast<int64_t>(levels.size());
  std::vector<int64_t>& start = book.scratch_;  // one counter per level (RebuildLadder follows)
  std::fill(start.begin(), start.end(), 0);
  const uint32_t hw = store.high_water();
  auto better = [&](const Order& o) {
    if (o.ref == 0 || o.side != side) return false;
    const int64_t eff = book.Clamp(o.price / book.tick_);
    return side == Side::kBuy ? eff > p : eff < p;
  };
  for (uint32_t s = 0; s < hw; ++s) {
    const Order& o = store.at(s);
    if (better(o)) ++start[o.price / book.tick_];
  }
  int64_t total = 0;
  for (int64_t k = 0; k < n; ++k) {
    const int64_t i = side == Side::kBuy ? n - 1 - k : k;
    const int64_t c = start[i];
    start[i] = total;
    total += c;
  }
  full_.resize(static_cast<size_t>(total));
  for (uint32_t s = 0; s < hw; ++s) {
    const Order& o = store.at(s);
    if (!better(o)) continue;
    const int64_t lvl = o.price / book.tick_;
    full_[static_cast<size_t>(start[lvl]++)] = Full{o.ref, o.participant, o.qty};
    levels[lvl] = Book::Level{};
    store.Release(s);
  }
  // start[i] is now the end of level i's bucket; buckets follow each other in priority order.
  int64_t begin = 0;
  for (int64_t k = 0; k < n && begin < total; ++k) {
    const int64_t i = side == Side::kBuy ? n - 1 - k : k;
    const int64_t end = start[i];
    if (end - begin > 1) {
      std::sort(full_.begin() + begin, full_.begin() + end,
                [](const Full& x, const Full& y) { return x.ref < y.ref; });
    }
    begin = std::max(begin, end);
  }
  for (const Full& f : full_) {
    executions->push_back(Execution{f.ref, f.participant, side, f.qty, 0, price, 0});
  }
}

void Allocator::ExecuteSide(Book& book, Side side, int64_t p, Volume to_fill_at_p,
                            AllocationRule rule, Qty unit, Price price,
                            std::vector<Execution>* executions) {
  auto& levels = side == Side::kBuy ? book.buy_ : book.sell_;
  OrderStore& store = book.store_;
  const int64_t n = static_cast<int64_t>(levels.size());
  picks_.clear();
  if (bulk_) FillBetterByScan(book, side, p, price, executions);
  // Walk from the best price towards P. Buys: raw levels descending; sells: ascending.
  for (int64_t k = 0; k < n; ++k) {
    const int64_t i = side == Side::kBuy ? n - 1 - k : k;
    Book::Level& lv = levels[i];
    if (lv.head == kNoSlot) continue;
    const int64_t eff = book.Clamp(i);
    const bool better = side == Side::kBuy ? eff > p : eff < p;
    if (better) {  // (already emptied in bulk mode)
      for (uint32_t s = lv.head; s != kNoSlot;) {
        const Order o = store.at(s);
        executions->push_back(Execution{o.ref, o.participant, side, o.qty, 0, price, 0});
        filled_.push_back(s);
        s = o.next;
      }
      lv = Book::Level{};
    } else if (eff == p) {
      for (uint32_t s = lv.head; s != kNoSlot; s = store.at(s).next) {
        const Order& o = store.at(s);
        picks_.push_back(Pick{o.ref, o.participant, o.qty / unit, 0, s});
      }
    } else {
      break;
    }
  }
  if (picks_.empty() || to_fill_at_p <= 0) return;
  // Several raw levels can clamp to P at a band limit: restore time order.
  std::sort(picks_.begin(), picks_.end(),
            [](const Pick& x, const Pick& y) { return x.ref < y.ref; });
  uint64_t total = 0;
  for (const auto& pk : picks_) total += pk.lots;
  const uint64_t units = static_cast<uint64_t>(to_fill_at_p) / unit;
  if (units >= total) {
    for (auto& pk : picks_) pk.alloc = pk.lots;
  } else {
    SharePicks(rule, units, picks_, scratch_);
  }
  for (const auto& pk : picks_) {
    if (pk.alloc == 0) continue;
    Order& o = store.at(pk.slot);
    const Qty q = static_cast<Qty>(pk.alloc * unit);
    const Qty leaves = o.qty - q;
    executions->push_back(Execution{o.ref, o.participant, side, q, leaves, price, 0});
    if (leaves == 0) {
      book.Unlink(pk.slot);
      if (bulk_) {
        store.Release(pk.slot);
      } else {
        filled_.push_back(pk.slot);
      }
    } else {
      levels[o.price / book.tick_].qty -= q;
      o.qty = leaves;
    }
  }
}

void Allocator::Execute(Book& book, const Clearing& c, AllocationRule rule, Qty unit,
                        MatchNumber* next_match, std::vector<Execution>* executions,
                        std::vector<Trade>* trades) {
  if (!c.executes || c.volume <= 0) return;
  if (unit == 0) unit = 1;
  const int64_t p = c.price / book.tick();
  const size_t first = executions->size();
  filled_.clear();
  // In a big book the orders of a level are scattered over the pool, so walking the level
  // lists costs a cache miss per order; sequential pool scans are several times faster.
  bulk_ = book.store_.high_water() > bulk_threshold_;
  // Better-priced orders fill in full; what is left of V goes to the orders at P.
  const Volume buy_at_p = c.volume - book.DemandAtOrAbove(p + 1);
  const Volume sell_at_p = c.volume - book.SupplyAtOrBelow(p - 1);
  ExecuteSide(book, Side::kBuy, p, buy_at_p, rule, unit, c.price, executions);
  const size_t first_sell = executions->size();
  ExecuteSide(book, Side::kSell, p, sell_at_p, rule, unit, c.price, executions);
  if (bulk_) {
    book.store_.RebuildIndex();
  } else {
    book.store_.EraseMany(filled_.data(), filled_.size());
  }
  book.RebuildLadder();
  for (size_t i = first; i < executions->size(); ++i) (*executions)[i].match = (*next_match)++;
  PairTrades(executions->data() + first, first_sell - first, executions->data() + first_sell,
             executions->size() - first_sell, trades);
}

void PairTrades(const Execution* buys, size_t n_buys, const Execution* sells, size_t n_sells,
                std::vector<Trade>* trades) {
  size_t i = 0;
  size_t j = 0;
  Qty left_b = n_buys > 0 ? buys[0].qty : 0;
  Qty left_s = n_sells > 0 ? sells[0].qty : 0;
  while (i < n_buys && j < n_sells) {
    const Qty q = std::min(left_b, left_s);
    trades->push_back(Trade{buys[i].ref, sells[j].ref, buys[i].participant, sells[j].participant,
                            q, buys[i].price, buys[i].match, sells[j].match});
    left_b -= q;
    left_s -= q;
    if (left_b == 0 && ++i < n_buys) left_b = buys[i].qty;
    if (left_s == 0 && ++j < n_sells) left_s = sells[j].qty;
  }
}

}  // namespace ccx
