#include "engine/book/book.h"

#include <algorithm>
#include <bit>

namespace ccx {
namespace {
// Largest level the grid may grow to (16.7 million ticks): guards against absurd prices.
constexpr int64_t kMaxLevel = (int64_t{1} << 24) - 2;
}  // namespace

Book::Book(Price tick, uint32_t max_orders, Band band)
    : tick_(tick > 0 ? tick : 1), store_(max_orders) {
  lo_ = std::max<int64_t>(1, band.lower / tick_);
  hi_ = std::max<int64_t>(lo_, band.upper / tick_);
  // Headroom: twice the band's upper limit, so that ordinary base-price moves never grow.
  EnsureLevels(std::min<int64_t>(2 * hi_ + 2, kMaxLevel));
  RebuildLadder();
}

void Book::EnsureLevels(int64_t max_level) {
  const uint64_t need = std::bit_ceil(static_cast<uint64_t>(max_level) + 2);
  if (need <= buy_.size()) return;
  buy_.resize(need);
  sell_.resize(need);
  fb_ = Fenwick(static_cast<uint32_t>(need));
  fs_ = Fenwick(static_cast<uint32_t>(need));
  fc_ = Fenwick(static_cast<uint32_t>(need));
  scratch_.assign(need, 0);
}

void Book::RebuildLadder() {
  const size_t n = buy_.size();
  total_buy_ = 0;
  total_sell_ = 0;
  for (size_t i = 0; i < n; ++i) {
    total_buy_ += buy_[i].qty;
    total_sell_ += sell_[i].qty;
  }
  // Buys: B[clamp(i)] summed.
  std::fill(scratch_.begin(), scratch_.end(), 0);
  for (size_t i = 0; i < n; ++i) scratch_[Clamp(static_cast<int64_t>(i))] += buy_[i].qty;
  fb_.Assign(scratch_);
  // C[i] = B[i-1] + S[i]: start from B shifted by one.
  std::vector<int64_t>& c = scratch_;
  for (size_t i = n - 1; i > 0; --i) c[i] = c[i - 1];
  c[0] = 0;
  for (size_t i = 0; i < n; ++i) c[Clamp(static_cast<int64_t>(i))] += sell_[i].qty;
  fc_.Assign(c);
  std::fill(scratch_.begin(), scratch_.end(), 0);
  for (size_t i = 0; i < n; ++i) scratch_[Clamp(static_cast<int64_t>(i))] += sell_[i].qty;
  fs_.Assign(scratch_);
}

void Book::SetBand(Band band) {
  lo_ = std::max<int64_t>(1, band.lower / tick_);
  hi_ = std::max<int64_t>(lo_, std::min<int64_t>(band.upper / tick_, kMaxLevel));
  EnsureLevels(std::min<int64_t>(2 * hi_ + 2, kMaxLevel));
  RebuildLadder();
}

void Book::LadderAdd(Side side, int64_t level, int64_t delta) {
  const auto pos = static_cast<uint32_t>(Clamp(level));
  if (side == Side::kBuy) {
    fb_.Add(pos, delta);
    fc_.Add(pos + 1, delta);  // pos + 1 <= hi + 1 < grid size
    total_buy_ += delta;
  } else {
    fs_.Add(pos, delta);
    fc_.Add(pos, delta);
    total_sell_ += delta;
  }
}

Book::AddStatus Book::Add(OrderRef ref, ParticipantId who, Side side, Price price, Qty qty,
                          Tif tif) {
  if (price <= 0 || price % tick_ != 0 || qty == 0) return AddStatus::kBadPrice;
  const int64_t level = price / tick_;
  if (level > kMaxLevel) return AddStatus::kBadPrice;
  if (level + 2 > static_cast<int64_t>(buy_.size())) {
    // Only orders priced beyond the grid (never produced by validated entry, which checks
    // the band) get here; growing keeps tools and tests that rest such orders correct.
    EnsureLevels(level);
    RebuildLadder();
  }
  if (store_.full()) return AddStatus::kFull;
  const uint32_t slot = store_.Insert(ref);
  if (slot == kNoSlot) return AddStatus::kDuplicate;
  Order& o = store_.at(slot);
  o.participant = who;
  o.price = price;
  o.qty = qty;
  o.side = side;
  o.tif = tif;
  Level& lv = side == Side::kBuy ? buy_[level] : sell_[level];
  o.prev = lv.tail;
  o.next = kNoSlot;
  if (lv.tail != kNoSlot) {
    store_.at(lv.tail).next = slot;
  } else {
    lv.head = slot;
  }
  lv.tail = slot;
  lv.qty += qty;
  LadderAdd(side, level, qty);
  return AddStatus::kOk;
}

void Book::Unlink(uint32_t slot) {
  Order& o = store_.at(slot);
  Level& lv = o.side == Side::kBuy ? buy_[o.price / tick_] : sell_[o.price / tick_];
  if (o.prev != kNoSlot) {
    store_.at(o.prev).next = o.next;
  } else {
    lv.head = o.next;
  }
  if (o.next != kNoSlot) {
    store_.at(o.next).prev = o.prev;
  } else {
    lv.tail = o.prev;
  }
  lv.qty -= o.qty;
}

bool Book::Cancel(OrderRef ref, Order* removed) {
  const uint32_t slot = store_.Find(ref);
  if (slot == kNoSlot) return false;
  const Order o = store_.at(slot);
  Unlink(slot);
  LadderAdd(o.side, o.price / tick_, -static_cast<int64_t>(o.qty));
  store_.Erase(slot);
  if (removed != nullptr) *removed = o;
  return true;
}

bool Book::Reduce(OrderRef ref, Qty new_qty) {
  const uint32_t slot = store_.Find(ref);
  if (slot == kNoSlot) return false;
  Order& o = store_.at(slot);
  if (new_qty == 0 || new_qty >= o.qty) return false;
  const int64_t delta = static_cast<int64_t>(new_qty) - static_cast<int64_t>(o.qty);
  const int64_t level = o.price / tick_;
  (o.side == Side::kBuy ? buy_[level] : sell_[level]).qty += delta;
  o.qty = new_qty;
  LadderAdd(o.side, level, delta);
  return true;
}

const Order* Book::Find(OrderRef ref) const {
  const uint32_t slot = store_.Find(ref);
  return slot == kNoSlot ? nullptr : &store_.at(slot);
}

Volume Book::QtyAtPrice(Side side, Price price) const {
  if (price <= 0 || price % tick_ != 0) return 0;
  const auto level = static_cast<size_t>(price / tick_);
  const auto& lv = side == Side::kBuy ? buy_ : sell_;
  return level < lv.size() ? lv[level].qty : 0;
}

int64_t Book::LastLevelWithDemandAtLeast(Volume x) const {
  if (x <= 0) return hi_;
  if (x > total_buy_) return lo_ - 1;
  // D(p) >= x  <=>  B-prefix(p-1) <= TB - x  <=>  p - 1 <= last index with prefix <= TB - x.
  return std::min<int64_t>(fb_.LastPrefixAtMost(total_buy_ - x) + 1, hi_);
}

int64_t Book::FirstLevelWithSupplyAtLeast(Volume x) const {
  if (x <= 0) return lo_;
  if (x > total_sell_) return hi_ + 1;
  // S(p) >= x  <=>  p > last index with S-prefix <= x - 1.
  return std::max<int64_t>(fs_.LastPrefixAtMost(x - 1) + 1, lo_);
}

int64_t Book::LastLevelWithNonNegativeSurplus() const {
  // Q(p) >= 0  <=>  C-prefix(p) <= TB. Nothing is clamped below lo, so C-prefix(lo-1) = 0
  // and the answer is >= lo-1; C-prefix(hi+1) = TB + TS, so it is <= hi when TS > 0.
  const int64_t j = fc_.LastPrefixAtMost(total_buy_);
  return std::min<int64_t>(std::max<int64_t>(j, lo_ - 1), hi_);
}

size_t Book::MemoryBytes() const {
  return store_.MemoryBytes() + (buy_.capacity() + sell_.capacity()) * sizeof(Level) +
         3 * (static_cast<size_t>(fb_.size()) + 1) * sizeof(int64_t) +
         scratch_.capacity() * sizeof(int64_t);
}

}  // namespace ccx
