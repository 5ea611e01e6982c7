// A Fenwick (binary indexed) tree of non-negative int64 quantities over price levels.
// Point update, prefix sum and "last index whose prefix sum is <= x" (one descent), each
// O(log n) with no allocation after construction. The Pricer reads the book's cumulative
// bid/ask ladder through these.
#pragma once

#include <cstdint>
#include <vector>

namespace ccx {

class Fenwick {
 public:
  Fenwick() = default;
  /// A tree of `size` zero entries; `size` must be a power of two.
  explicit Fenwick(uint32_t size) : n_(size), tree_(size + 1, 0) {}

  uint32_t size() const { return n_; }

  /// Adds `delta` at index `i` (0-based, i < size). Values must stay non-negative.
  void Add(uint32_t i, int64_t delta) {
    for (uint32_t k = i + 1; k <= n_; k += k & (~k + 1)) tree_[k] += delta;
  }

  /// Sum of entries [0, i]; i < 0 gives 0; i >= size gives the total.
  int64_t Prefix(int64_t i) const {
    if (i < 0) return 0;
    uint32_t k = i >= n_ ? n_ : static_cast<uint32_t>(i) + 1;
    int64_t s = 0;
    for (; k > 0; k &= k - 1) s += tree_[k];
    return s;
  }

  /// The largest index i with Prefix(i) <= x, or -1 when Prefix(0) > x (or x < 0).
  /// Relies on all entries being non-negative (prefix sums non-decreasing).
  int64_t LastPrefixAtMost(int64_t x) const {
    if (x < 0) return -1;
    uint32_t pos = 0;
    for (uint32_t step = n_; step > 0; step >>= 1) {
      const uint32_t next = pos + step;
      if (next <= n_ && tree_[next] <= x) {
        pos = next;
        x -= tree_[next];
      }
    }
    return static_cast<int64_t>(pos) - 1;
  }

  /// Rebuilds the tree from plain values in O(n); values.size() == size().
  void Assign(const std::vector<int64_t>& values) {
    tree_[0] = 0;
    for (uint32_t k = 1; k <= n_; ++k) tree_[k] = values[k - 1];
    for (uint32_t k = 1; k <= n_; ++k) {
      const uint32_t parent = k + (k & (~k + 1));
      if (parent <= n_) tree_[parent] += tree_[k];
    }
  }

 private:
  uint32_t n_ = 0;
  std::vector<int64_t> tree_;  // 1-based
};

}  // namespace ccx
