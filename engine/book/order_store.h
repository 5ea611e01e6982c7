// Fixed-capacity storage of resting orders: a pool of 32-byte records with a free list, and
// an open-addressing index from order reference number to pool slot. Both are allocated
// once at construction (capacity from configuration); nothing allocates afterwards.
//
// Memory per resting order: 32 bytes of record + 2 index cells of 4 bytes (load <= 1/2)
// = 40 bytes at full capacity.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/core/types.h"

namespace ccx {

constexpr uint32_t kNoSlot = UINT32_MAX;

/// One resting order. `prev`/`next` link the orders of one price level and side in time
/// order (or the free list, through `next`).
struct Order {
  OrderRef ref;               // 8
  ParticipantId participant;  // 4
  Price price;                // 4  yen, the limit as entered
  Qty qty;                    // 4  open quantity
  uint32_t prev;              // 4
  uint32_t next;              // 4
  Side side;                  // 1
  Tif tif;                    // 1
  uint8_t pad[2];             // 2
};
static_assert(sizeof(Order) == 32, "resting order record must stay 32 bytes");

class OrderStore {
 public:
  /// Storage for at most `capacity` resting orders (capacity >= 1).
  explicit OrderStore(uint32_t capacity);

  uint32_t capacity() const { return capacity_; }
  uint32_t size() const { return size_; }
  bool full() const { return size_ == capacity_; }

  /// Takes a free slot, indexes it under `ref` and returns it; kNoSlot when the store is
  /// full or `ref` is already present. The record's fields other than `ref` are the caller's.
  uint32_t Insert(OrderRef ref);
  /// Slot of `ref`, or kNoSlot.
  uint32_t Find(OrderRef ref) const;
  /// Removes `ref`'s slot from the index and returns it to the free list.
  void Erase(uint32_t slot);
  /// Erases many slots at once (an auction's filled orders). When they are a large part of
  /// the store, frees the records and rebuilds the index in one pass over the pool, which
  /// is several times faster than as many backward-shift deletions (cache misses).
  void EraseMany(const uint32_t* slots, size_t count);
  /// Frees `slot` without touching the index, which is stale until RebuildIndex(): for an
  /// uncross that removes a large part of a big book in sequential passes over the pool.
  void Release(uint32_t slot) {
    orders_[slot].ref = 0;
    orders_[slot].next = free_head_;
    free_head_ = slot;
    --size_;
  }
  /// Rebuilds the index from the live records in one pass over the pool.
  void RebuildIndex();

  Order& at(uint32_t slot) { return orders_[slot]; }
  const Order& at(uint32_t slot) const { return orders_[slot]; }
  /// True when `slot` holds a live order (used by whole-book walks).
  bool live(uint32_t slot) const { return orders_[slot].ref != 0; }
  /// One past the highest slot ever used: whole-book walks scan [0, high_water()).
  uint32_t high_water() const { return high_water_; }

  /// Bytes held by the pool and the index.
  size_t MemoryBytes() const;

 private:
  void IndexInsert(uint32_t slot);
  uint32_t Home(OrderRef ref) const {
    return static_cast<uint32_t>((ref * 0x9E3779B97F4A7C15ull) >> shift_);
  }

  uint32_t capacity_;
  uint32_t size_ = 0;
  uint32_t high_water_ = 0;
  uint32_t free_head_ = kNoSlot;
  std::vector<Order> orders_;
  // Index cells hold slot + 1 (0 = empty); linear probing, backward-shift deletion.
  std::vector<uint32_t> cells_;
  uint32_t mask_ = 0;
  int shift_ = 0;
};

}  // namespace ccx
