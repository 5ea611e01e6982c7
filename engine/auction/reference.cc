#include "engine/auction/reference.h"

#include <algorithm>
#include <cstdlib>
#include <map>

#include "engine/auction/allocator.h"

namespace ccx {
namespace {

Price Clamp(Price p, const Band& band) { return std::clamp(p, band.lower, band.upper); }

struct Curve {
  Volume d = 0, s = 0;
  Volume v() const { return std::min(d, s); }
  Volume q() const { return d - s; }
};

Curve At(const std::vector<RefOrder>& orders, Price p, const Band& band) {
  Curve c;
  for (const auto& o : orders) {
    const Price e = Clamp(o.price, band);
    if (o.side == Side::kBuy && e >= p) c.d += o.qty;
    if (o.side == Side::kSell && e <= p) c.s += o.qty;
  }
  return c;
}

}  // namespace

Clearing ReferencePrice(const std::vector<RefOrder>& orders, Price base, Band band, Price tick) {
  std::vector<Price> prices;
  for (Price p = band.lower; p <= band.upper; p += tick) prices.push_back(p);
  std::map<Price, Curve> curve;
  for (Price p : prices) curve[p] = At(orders, p, band);
  // 1. Largest V.
  Volume vmax = 0;
  for (Price p : prices) vmax = std::max(vmax, curve[p].v());
  if (vmax == 0) return Clearing{};
  // 2. Keep the prices with the largest V.
  std::vector<Price> kept;
  for (Price p : prices) if (curve[p].v() == vmax) kept.push_back(p);
  // 3. Of those, the smallest |Q|.
  Volume qmin = -1;
  for (Price p : kept) {
    const Volume aq = std::llabs(curve[p].q());
    if (qmin < 0 || aq < qmin) qmin = aq;
  }
  std::vector<Price> kept2;
  for (Price p : kept) if (std::llabs(curve[p].q()) == qmin) kept2.push_back(p);
  // 4. One-sided surplus.
  bool all_pos = true, all_neg = true;
  for (Price p : kept2) {
    all_pos = all_pos && curve[p].q() > 0;
    all_neg = all_neg && curve[p].q() < 0;
  }
  Price price;
  if (all_pos) {
    price = kept2.back();
  } else if (all_neg) {
    price = kept2.front();
  } else {
    // 5. Drop prices where a better-priced order could not execute in full.
    std::vector<Price> rest;
    for (Price p : kept2) {
      const Volume d_above = p + tick <= band.upper ? curve[p + tick].d : 0;
      const Volume s_below = p - tick >= band.lower ? curve[p - tick].s : 0;
      if (d_above > vmax || s_below > vmax) continue;
      rest.push_back(p);
    }
    if (rest.empty()) rest = kept2;  // never happens under the rules
    const Price lo = rest.front(), hi = rest.back();
    price = base < lo ? lo : (base > hi ? hi : base);
  }
  Clearing c;
  c.executes = true;
  c.price = price;
  c.buy_qty = curve[price].d;
  c.sell_qty = curve[price].s;
  c.volume = std::min(c.buy_qty, c.sell_qty);
  return c;
}

RefOutcome ReferenceAuction(const std::vector<RefOrder>& orders, Price base, Band band,
                            Price tick, AllocationRule rule, Qty unit, MatchNumber first_match) {
  RefOutcome out;
  out.clearing = ReferencePrice(orders, base, band, tick);
  if (!out.clearing.executes) return out;
  const Price P = out.clearing.price;
  const Volume V = out.clearing.volume;
  std::vector<Execution> sides[2];
  for (int si = 0; si < 2; ++si) {
    const Side side = si == 0 ? Side::kBuy : Side::kSell;
    auto better = [&](const RefOrder& o) {
      const Price e = Clamp(o.price, band);
      return side == Side::kBuy ? e > P : e < P;
    };
    // Better-priced orders: by limit (best first), then arrival.
    std::vector<RefOrder> full, at_p;
    Volume full_qty = 0;
    for (const auto& o : orders) {
      if (o.side != side) continue;
      if (better(o)) {
        full.push_back(o);
        full_qty += o.qty;
      } else if (Clamp(o.price, band) == P) {
        at_p.push_back(o);
      }
    }
    std::sort(full.begin(), full.end(), [&](const RefOrder& x, const RefOrder& y) {
      if (x.price != y.price) return side == Side::kBuy ? x.price > y.price : x.price < y.price;
      return x.ref < y.ref;
    });
    for (const auto& o : full) sides[si].push_back(Execution{o.ref, o.participant, side, o.qty, 0, P, 0});
    std::sort(at_p.begin(), at_p.end(), [](const RefOrder& x, const RefOrder& y) { return x.ref < y.ref; });
    Volume left_units = (V - full_qty) / unit;
    Volume at_p_units = 0;
    for (const auto& o : at_p) at_p_units += o.qty / unit;
    std::vector<uint64_t> alloc(at_p.size(), 0);
    std::vector<size_t> order;  // execution order of at_p indices
    if (left_units >= at_p_units || rule == AllocationRule::kTime) {
      for (size_t i = 0; i < at_p.size(); ++i) {
        alloc[i] = std::min<uint64_t>(at_p[i].qty / unit, left_units);
        left_units -= alloc[i];
        order.push_back(i);
      }
    } else if (rule == AllocationRule::kProRata) {
      // Unit by unit: each unit to the order furthest below its exact share (largest
      // remaining fractional claim), ties to the earliest; exact shares are rational.
      uint64_t total = 0;
      for (const auto& o : at_p) total += o.qty / unit;
      const uint64_t units = static_cast<uint64_t>(left_units);
      for (size_t i = 0; i < at_p.size(); ++i) {
        alloc[i] = static_cast<uint64_t>(static_cast<unsigned __int128>(units) * (at_p[i].qty / unit) / total);
        order.push_back(i);
      }
      uint64_t given = 0;
      for (auto a : alloc) given += a;
      while (given < units) {
        size_t best = at_p.size();
        unsigned __int128 best_rem = 0;
        for (size_t i = 0; i < at_p.size(); ++i) {
          const unsigned __int128 exact = static_cast<unsigned __int128>(units) * (at_p[i].qty / unit);
          const unsigned __int128 have = static_cast<unsigned __int128>(alloc[i]) * total;
          if (have >= exact) continue;  // already at or above its share
          const unsigned __int128 rem = exact - have;
          if (best == at_p.size() || rem > best_rem) best = i, best_rem = rem;
        }
        ++alloc[best];
        ++given;
      }
    } else {
      // TSE, literally: groups by participant, ranked by size then earliest order; one unit
      // per group per round; inside a group, earliest order first.
      std::map<ParticipantId, std::vector<size_t>> by_p;
      for (size_t i = 0; i < at_p.size(); ++i) by_p[at_p[i].participant].push_back(i);
      struct G { uint64_t size; OrderRef earliest; std::vector<size_t> idx; uint64_t got; };
      std::vector<G> groups;
      for (auto& [pid, idx] : by_p) {
        uint64_t size = 0;
        for (size_t i : idx) size += at_p[i].qty / unit;
        groups.push_back(G{size, at_p[idx.front()].ref, idx, 0});
      }
      std::sort(groups.begin(), groups.end(), [](const G& x, const G& y) {
        return x.size != y.size ? x.size > y.size : x.earliest < y.earliest;
      });
      // Round after round. Identical whole rounds are batched (d rounds at once, d no larger
      // than any open group's room) so that huge quantities stay quick; the last, partial
      // round goes unit by unit in rank order.
      while (left_units > 0) {
        Volume open = 0;
        uint64_t room = UINT64_MAX;
        for (auto& g : groups) {
          if (g.got < g.size) ++open, room = std::min(room, g.size - g.got);
        }
        const uint64_t d = std::min<uint64_t>(room, static_cast<uint64_t>(left_units / open));
        if (d > 0) {
          for (auto& g : groups) {
            if (g.got < g.size) g.got += d, left_units -= d;
          }
          continue;
        }
        for (auto& g : groups) {
          if (left_units == 0) break;
          if (g.got < g.size) ++g.got, --left_units;
        }
      }
      for (auto& g : groups) {
        uint64_t left = g.got;
        for (size_t i : g.idx) {
          alloc[i] = std::min<uint64_t>(at_p[i].qty / unit, left);
          left -= alloc[i];
          order.push_back(i);
        }
      }
    }
    for (size_t i : order) {
      if (alloc[i] == 0) continue;
      const Qty q = static_cast<Qty>(alloc[i] * unit);
      sides[si].push_back(Execution{at_p[i].ref, at_p[i].participant, side, q, at_p[i].qty - q, P, 0});
    }
  }
  MatchNumber m = first_match;
  for (auto& e : sides[0]) e.match = m++;
  for (auto& e : sides[1]) e.match = m++;
  out.executions = sides[0];
  out.executions.insert(out.executions.end(), sides[1].begin(), sides[1].end());
  PairTrades(sides[0].data(), sides[0].size(), sides[1].data(), sides[1].size(), &out.trades);
  return out;
}

}  // namespace ccx
