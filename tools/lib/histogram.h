// A latency histogram in the HdrHistogram style: log-linear buckets (32 linear
// sub-buckets per power of two, so every value is kept within 1/32 ≈ 3 %), fixed memory,
// O(1) record, percentiles by walking the buckets. No per-sample storage.
#pragma once

#include <array>
#include <bit>
#include <cstdint>

namespace ccx {

class LatencyHistogram {
 public:

  /// Records one value (nanoseconds).
  void Record(uint64_t v) {
    ++counts_[Index(v)];
    ++total_;
    if (v > max_) max_ = v;
    if (v < min_) min_ = v;
  }
  /// Adds another histogram's counts.
  void Merge(const LatencyHistogram& o) {
    for (size_t i = 0; i < counts_.size(); ++i) counts_[i] += o.counts_[i];
    total_ += o.total_;
    if (o.max_ > max_) max_ = o.max_;
    if (o.min_ < min_) min_ = o.min_;
  }
  uint64_t count() const { return total_; }
  uint64_t max() const { return max_; }
  uint64_t min() const { return total_ ? min_ : 0; }
  /// The value at percentile `p` (0..100): the upper edge of the bucket holding it.
  uint64_t Percentile(double p) const {
    if (total_ == 0) return 0;
    const auto rank = static_cast<uint64_t>(p / 100.0 * static_cast<double>(total_) + 0.5);
    uint64_t seen = 0;
    for (size_t i = 0; i < counts_.size(); ++i) {
      seen += counts_[i];
      if (seen >= (rank == 0 ? 1 : rank)) {
        const uint64_t hi = UpperEdge(i);
        return hi > max_ ? max_ : hi;
      }
    }
    return max_;
  }

 private:
  // Values below 64 are exact. Above, v >> e lies in [32, 64) with e = msb - 5: 32 linear
  // sub-buckets per power of two (relative error below 1/32).
  static size_t Index(uint64_t v) {
    if (v < 64) return static_cast<size_t>(v);
    const int e = 63 - std::countl_zero(v) - 5;
    return 64 + static_cast<size_t>(e - 1) * 32 + static_cast<size_t>((v >> e) - 32);
  }
  static uint64_t UpperEdge(size_t i) {
    if (i < 64) return i;
    const size_t e = (i - 64) / 32 + 1;
    const uint64_t m = (i - 64) % 32 + 32;
    return ((m + 1) << e) - 1;
  }

  std::array<uint64_t, 64 + 59 * 32> counts_{};
  uint64_t total_ = 0;
  uint64_t max_ = 0;
  uint64_t min_ = UINT64_MAX;
};

}  // namespace ccx
