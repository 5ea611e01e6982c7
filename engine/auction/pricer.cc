#include "engine/auction/pricer.h"

#include <algorithm>

namespace ccx {

// Notation (level units, p in [L, U] = the band): D(p) demand at or above p, S(p) supply
// at or below p (both band-clamped, see book.h), V(p) = min(D, S), Q(p) = D - S.
// D is non-increasing and S non-decreasing, so Q is non-increasing and V is unimodal:
// V = S while Q >= 0 (rising), V = D once Q < 0 (falling). With k the last level where
// Q >= 0, the largest V is max(S(k), D(k+1)) and every run of "equal best" prices is found
// by one tree descent on D or S, so the whole §5 procedure costs O(log levels):
//
//   qty  D(p) ─┐                       ┌─ S(p)
//              └──────┐         ┌──────┘
//                     └──┐  ┌───┘          V(p) = min(D, S) peaks where they cross
//                        ╳                 k = last p with D(p) >= S(p)
//                     ┌──┘  └───┐
//   ────────────────────────────────────▶ price
Clearing PriceBook(const Book& b, Price base) {
  Clearing none;
  const Volume tb = b.total_buy();
  const Volume ts = b.total_sell();
  if (tb == 0 || ts == 0) return none;
  const int64_t lo = b.lo();
  const int64_t hi = b.hi();
  auto D = [&](int64_t p) { return b.DemandAtOrAbove(p); };
  auto S = [&](int64_t p) { return b.SupplyAtOrBelow(p); };
  auto Q = [&](int64_t p) { return D(p) - S(p); };

  // Step 1–2: the largest executable volume and the run of prices that reach it.
  const int64_t k = b.LastLevelWithNonNegativeSurplus();
  const Volume v_left = k >= lo ? S(k) : 0;
  const Volume v_right = k + 1 <= hi ? D(k + 1) : 0;
  const Volume vmax = std::max(v_left, v_right);
  if (vmax == 0) return none;
  int64_t a;
  int64_t z;
  if (v_left == vmax) {
    a = b.FirstLevelWithSupplyAtLeast(vmax);  // S(p) == vmax on [a, k]
    z = v_right == vmax ? b.LastLevelWithDemandAtLeast(vmax) : k;
  } else {
    a = k + 1;
    z = b.LastLevelWithDemandAtLeast(vmax);  // D(p) == vmax on [k+1, z]
  }

  // Step 3: smallest |Q| inside [a, z]. Q is non-increasing there.
  int64_t lo_kept;
  int64_t hi_kept;
  const Volume qa = Q(a);
  const Volume qz = Q(z);
  if (qa <= 0) {
    // V = D = vmax on the run, so Q = vmax - S(p): constant while S is.
    lo_kept = a;
    hi_kept = std::min(z, b.FirstLevelWithSupplyAtLeast(S(a) + 1) - 1);
  } else if (qz >= 0) {
    // V = S = vmax on the run, so Q = D(p) - vmax: constant while D is.
    hi_kept = z;
    lo_kept = std::max(a, b.LastLevelWithDemandAtLeast(D(z) + 1) + 1);
  } else {
    // Q changes sign between k and k+1 (a <= k < z).
    const Volume left = Q(k);        // >= 0
    const Volume right = -Q(k + 1);  // > 0
    lo_kept = left <= right ? std::max(a, b.LastLevelWithDemandAtLeast(D(k) + 1) + 1) : k + 1;
    hi_kept = right <= left ? std::min(z, b.FirstLevelWithSupplyAtLeast(S(k + 1) + 1) - 1) : k;
  }

  // Step 4: one-sided pressure picks an end.
  int64_t p;
  if (Q(hi_kept) > 0) {
    p = hi_kept;
  } else if (Q(lo_kept) < 0) {
    p = lo_kept;
  } else {
    // Step 5: drop prices where a better-priced order could not fill in full:
    // D(p+1) > vmax holds exactly for p < LastLevelWithDemandAtLeast(vmax+1), and
    // S(p-1) > vmax exactly for p > FirstLevelWithSupplyAtLeast(vmax+1).
    const int64_t r_lo = std::max(lo_kept, b.LastLevelWithDemandAtLeast(vmax + 1));
    const int64_t r_hi = std::min(hi_kept, b.FirstLevelWithSupplyAtLeast(vmax + 1));
    // The rules guarantee r_lo <= r_hi; if a future rule change broke that, the kept
    // range is the safe fallback (it still satisfies steps 1-3).
    const int64_t from = r_lo <= r_hi ? r_lo : lo_kept;
    const int64_t to = r_lo <= r_hi ? r_hi : hi_kept;
    const int64_t base_level = base / b.tick();
    p = std::clamp(base_level, from, to);
  }

  Clearing c;
  c.executes = true;
  c.price = static_cast<Price>(p * b.tick());
  c.buy_qty = D(p);
  c.sell_qty = S(p);
  c.volume = std::min(c.buy_qty, c.sell_qty);
  return c;
}

}  // namespace ccx
