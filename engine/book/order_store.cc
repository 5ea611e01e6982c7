#include "engine/book/order_store.h"

#include <algorithm>
#include <bit>

namespace ccx {

OrderStore::OrderStore(uint32_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {
  orders_.resize(capacity_);
  for (auto& o : orders_) o = Order{};
  const uint64_t cells = std::bit_ceil(static_cast<uint64_t>(capacity_) * 2);
  cells_.assign(cells, 0);
  mask_ = static_cast<uint32_t>(cells - 1);
  shift_ = 64 - std::countr_zero(cells);
}

uint32_t OrderStore::Insert(OrderRef ref) {
  if (size_ == capacity_ || ref == 0) return kNoSlot;
  uint32_t i = Home(ref) & mask_;
  while (cells_[i] != 0) {
    if (orders_[cells_[i] - 1].ref == ref) return kNoSlot;
    i = (i + 1) & mask_;
  }
  uint32_t slot;
  if (free_head_ != kNoSlot) {
    slot = free_head_;
    free_head_ = orders_[slot].next;
  } else {
    slot = high_water_++;
  }
  cells_[i] = slot + 1;
  orders_[slot].ref = ref;
  ++size_;
  return slot;
}

uint32_t OrderStore::Find(OrderRef ref) const {
  uint32_t i = Home(ref) & mask_;
  while (cells_[i] != 0) {
    const uint32_t slot = cells_[i] - 1;
    if (orders_[slot].ref == ref) return slot;
    i = (i + 1) & mask_;
  }
  return kNoSlot;
}

void OrderStore::Erase(uint32_t slot) {
  const OrderRef ref = orders_[slot].ref;
  uint32_t i = Home(ref) & mask_;
  while (cells_[i] != slot + 1) i = (i + 1) & mask_;
  // Backward-shift deletion keeps every probe chain unbroken without tombstones.
  uint32_t hole = i;
  uint32_t j = i;
  for (;;) {
    j = (j + 1) & mask_;
    if (cells_[j] == 0) break;
    const uint32_t home = Home(orders_[cells_[j] - 1].ref) & mask_;
    // Move cells_[j] into the hole unless its home lies cyclically in (hole, j].
    const bool home_in_between = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
    if (!home_in_between) {
      cells_[hole] = cells_[j];
      hole = j;
    }
  }
  cells_[hole] = 0;
  orders_[slot].ref = 0;
  orders_[slot].next = free_head_;
  free_head_ = slot;
  --size_;
}

void OrderStore::IndexInsert(uint32_t slot) {
  uint32_t i = Home(orders_[slot].ref) & mask_;
  while (cells_[i] != 0) i = (i + 1) & mask_;
  cells_[i] = slot + 1;
}

void OrderStore::EraseMany(const uint32_t* slots, size_t count) {
  // Below about one eighth of the live orders, single deletions touch less memory.
  if (count * 8 < size_) {
    for (size_t k = 0; k < count; ++k) Erase(slots[k]);
    return;
  }
  for (size_t k = 0; k < count; ++k) Release(slots[k]);
  RebuildIndex();
}

void OrderStore::RebuildIndex() {
  std::fill(cells_.begin(), cells_.end(), 0);
  for (uint32_t s = 0; s < high_water_; ++s) {
    if (orders_[s].ref != 0) IndexInsert(s);
  }
}

size_t OrderStore::MemoryBytes() const {
  return orders_.capacity() * sizeof(Order) + cells_.capacity() * sizeof(uint32_t);
}

}  // namespace ccx
