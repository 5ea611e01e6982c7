// TokenTable: the order tokens one participant used today (OUCH tokens are unique per
// session per day), mapped to what the gateway knows of each order. A hash table that
// grows *incrementally*: when it fills, a table twice the size takes over and the old
// entries move across a few at a time on later inserts, so a busy participant never sees
// one insert pay for rehashing everything (a plain flat_hash_map stalled order entry for
// ~30 ms at 100,000 tokens).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>

#include "absl/container/flat_hash_map.h"

namespace ccx {

template <typename V>
class TokenTable {
 public:
  using Key = std::array<char, 14>;

 private:
  // The 14 token bytes as two integers: compared and hashed without a memcmp call.
  struct Packed {
    uint64_t lo = 0;
    uint64_t hi = 0;
    friend bool operator==(const Packed&, const Packed&) = default;
    template <typename H>
    friend H AbslHashValue(H h, const Packed& k) {
      return H::combine(std::move(h), k.lo, k.hi);
    }
  };
  static Packed Pack(const Key& k) {
    Packed p;
    std::memcpy(&p.lo, k.data(), 8);
    std::memcpy(&p.hi, k.data() + 8, 6);
    return p;
  }

 public:

  /// A table with room for `initial` tokens before its first growth step.
  explicit TokenTable(size_t initial = 1 << 12) : limit_(initial) { cur_.reserve(limit_); }

  /// The entry of `k`, or nullptr. The pointer is valid until the next Insert.
  V* Find(const Key& key) {
    const Packed k = Pack(key);
    if (auto it = cur_.find(k); it != cur_.end()) return &it->second;
    if (old_.empty()) return nullptr;
    auto it = old_.find(k);
    if (it == old_.end()) return nullptr;
    return &cur_.try_emplace(k, it->second).first->second;  // moves ahead of the migration
  }
  bool Contains(const Key& key) const {
    const Packed k = Pack(key);
    return cur_.contains(k) || old_.contains(k);
  }

  /// Adds `key` with `v` unless it is there: the entry and whether it was added (valid
  /// until the next insert).
  std::pair<V*, bool> TryInsert(const Key& key, const V& v) {
    const Packed k = Pack(key);
    if (!old_.empty()) {
      if (auto it = old_.find(k); it != old_.end() && !cur_.contains(k)) {
        return {&cur_.try_emplace(k, it->second).first->second, false};
      }
    }
    if (cur_.size() >= limit_) Grow();
    auto [it, fresh] = cur_.try_emplace(k, v);  // one probe in the common case
    if (fresh) Migrate(kStep);
    return {&it->second, fresh};
  }

  /// Adds `k` (which must be absent) with `v`; returns its entry (valid until the next Insert).
  V& Insert(const Key& key, const V& v) {
    if (cur_.size() >= limit_) Grow();
    V& at = cur_.try_emplace(Pack(key), v).first->second;
    Migrate(kStep);
    return at;
  }

 private:
  static constexpr int kStep = 16;  // old entries moved per insert while migrating

  void Grow() {
    while (!old_.empty()) Migrate(1 << 20);  // finish the previous step (never in practice)
    old_.swap(cur_);
    cur_ = {};
    limit_ *= 2;
    cur_.reserve(limit_);
    mig_ = old_.begin();
  }
  void Migrate(int n) {
    if (old_.empty()) return;
    for (int i = 0; i < n && mig_ != old_.end(); ++i, ++mig_) cur_.try_emplace(mig_->first, mig_->second);
    if (mig_ == old_.end()) {
      old_ = {};
      mig_ = old_.end();
    }
  }

  absl::flat_hash_map<Packed, V> cur_;
  absl::flat_hash_map<Packed, V> old_;
  typename absl::flat_hash_map<Packed, V>::iterator mig_ = old_.end();
  size_t limit_;
};

}  // namespace ccx
