// RefTable: the trading day's orders by the engine's order reference number, for routing
// engine events back to their participant and OUCH token. References are dense and grow
// by one per accepted order, so this is an array indexed by (reference − the day's first),
// kept in fixed chunks (no reallocation stall while a busy day grows) — a hash lookup per
// event was a fifth of the exchange core's time.
#pragma once

#include <array>
#include <deque>
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/core/types.h"

namespace ccx {

class RefTable {
 public:
  struct Entry {
    ParticipantId who = kNone;
    uint32_t info = 0;  ///< the order's index in OrderEntry's per-day order records
  };
  static constexpr ParticipantId kNone = UINT32_MAX;

  /// Forgets everything; references from `base` on may be set.
  void Reset(OrderRef base) {
    chunks_.clear();
    base_ = base;
  }
  /// The live entry of `ref`, or nullptr.
  Entry* Find(OrderRef ref) {
    if (ref < base_) return nullptr;
    const uint64_t i = ref - base_;
    if (i / kChunk >= chunks_.size()) return nullptr;
    Entry& e = (*chunks_[i / kChunk])[i % kChunk];
    return e.who == kNone ? nullptr : &e;
  }
  /// Records `ref` (≥ the base) as `who`'s order number `info`.
  void Set(OrderRef ref, ParticipantId who, uint32_t info) {
    const uint64_t i = ref - base_;
    while (i / kChunk >= chunks_.size()) chunks_.push_back(std::make_unique<Chunk>());
    (*chunks_[i / kChunk])[i % kChunk] = Entry{who, info};
  }
  void Erase(OrderRef ref) {
    if (Entry* e = Find(ref)) e->who = kNone;
  }

 private:
  static constexpr uint64_t kChunk = 1 << 16;
  using Chunk = std::array<Entry, kChunk>;
  std::vector<std::unique_ptr<Chunk>> chunks_;
  OrderRef base_ = 1;
};

/// A vector whose elements never move (fixed chunks): indexes and pointers stay valid as
/// it grows, and growing never copies what is there.
template <typename T, size_t kChunkSize = 16384>
class StableVector {
 public:
  size_t size() const { return size_; }
  T& operator[](size_t i) { return (*chunks_[i / kChunkSize])[i % kChunkSize]; }
  const T& operator[](size_t i) const { return (*chunks_[i / kChunkSize])[i % kChunkSize]; }
  /// Appends `v`; returns its index.
  size_t push_back(const T& v) {
    if (size_ / kChunkSize >= chunks_.size()) chunks_.push_back(std::make_unique<std::array<T, kChunkSize>>());
    (*this)[size_] = v;
    return size_++;
  }
  void clear() {
    chunks_.clear();
    size_ = 0;
  }

 private:
  std::vector<std::unique_ptr<std::array<T, kChunkSize>>> chunks_;
  size_t size_ = 0;
};

}  // namespace ccx
