// SpscRing: a preallocated single-producer/single-consumer ring of fixed-size records
// (Agrona/LMAX style), the way the gateway thread hands inputs to the engine thread. Push
// never blocks and never allocates: a full ring is reported to the producer (false). The
// consumer may sleep on the ring when it is empty (Wait) and the producer wakes it
// (futex), so an idle exchange burns no CPU and a busy one takes no system call per record.
#pragma once

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <memory>
#include <type_traits>

namespace ccx {

template <typename T>
class SpscRing {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  /// A ring of `capacity` records (rounded up to a power of two), allocated now.
  explicit SpscRing(size_t capacity) {
    size_t n = 1;
    while (n < capacity) n <<= 1;
    mask_ = n - 1;
    slots_ = std::make_unique<T[]>(n);
  }

  size_t capacity() const { return mask_ + 1; }

  /// Producer: appends `v` and wakes a sleeping consumer; false (nothing written) when
  /// the ring is full.
  bool TryPush(const T& v) {
    if (!TryPushQuiet(v)) return false;
    // The seq_cst store of head_ in TryPushQuiet and this seq_cst load of sleeping_ pair
    // with the consumer's seq_cst store of sleeping_ and load of head_ in Wait (Dekker):
    // one of the two always sees the other.
    if (sleeping_.load(std::memory_order_seq_cst) != 0) Wake();
    return true;
  }

  /// Producer: like TryPush, but never wakes a sleeping consumer (which then finds the
  /// record when it next looks).
  bool TryPushQuiet(const T& v) {
    const uint64_t head = head_.load(std::memory_order_relaxed);
    if (head - tail_cache_ > mask_) {
      tail_cache_ = tail_.load(std::memory_order_acquire);
      if (head - tail_cache_ > mask_) return false;
    }
    slots_[head & mask_] = v;
    head_.store(head + 1, std::memory_order_seq_cst);
    return true;
  }

  /// Consumer: copies up to `max` records into `out`; returns how many.
  size_t PopBatch(T* out, size_t max) {
    const uint64_t tail = tail_.load(std::memory_order_relaxed);
    uint64_t head = head_cache_;
    if (head == tail) head = head_cache_ = head_.load(std::memory_order_acquire);
    size_t n = static_cast<size_t>(head - tail);
    if (n > max) n = max;
    for (size_t i = 0; i < n; ++i) out[i] = slots_[(tail + i) & mask_];
    if (n > 0) tail_.store(tail + n, std::memory_order_release);
    return n;
  }

  bool Empty() const {
    return head_.load(std::memory_order_seq_cst) == tail_.load(std::memory_order_relaxed);
  }

  /// Consumer: spins for about `spin` checks, then sleeps until a record arrives, Wake() is
  /// called, or `timeout_ns` passes. Returns at once if records are waiting.
  void Wait(int spin, int64_t timeout_ns) {
    for (int i = 0; i < spin; ++i) {
      if (!Empty()) return;
#if defined(__x86_64__)
      __builtin_ia32_pause();
#endif
    }
    const uint32_t epoch = epoch_.load(std::memory_order_acquire);
    sleeping_.store(1, std::memory_order_seq_cst);
    if (head_.load(std::memory_order_seq_cst) == tail_.load(std::memory_order_relaxed)) {
      timespec ts{static_cast<time_t>(timeout_ns / 1'000'000'000),
                  static_cast<long>(timeout_ns % 1'000'000'000)};
      syscall(SYS_futex, reinterpret_cast<uint32_t*>(&epoch_), FUTEX_WAIT_PRIVATE, epoch, &ts,
              nullptr, 0);
    }
    sleeping_.store(0, std::memory_order_relaxed);
  }

  /// Wakes a sleeping consumer (any thread).
  void Wake() {
    epoch_.fetch_add(1, std::memory_order_acq_rel);
    syscall(SYS_futex, reinterpret_cast<uint32_t*>(&epoch_), FUTEX_WAKE_PRIVATE, 1, nullptr,
            nullptr, 0);
  }

 private:
  static_assert(sizeof(std::atomic<uint32_t>) == sizeof(uint32_t));
  alignas(64) std::atomic<uint64_t> head_{0};  // written by the producer
  uint64_t tail_cache_ = 0;                    // producer's view of tail_
  alignas(64) std::atomic<uint64_t> tail_{0};  // written by the consumer
  uint64_t head_cache_ = 0;                    // consumer's view of head_
  alignas(64) std::atomic<uint32_t> epoch_{0};
  std::atomic<uint32_t> sleeping_{0};
  size_t mask_ = 0;
  std::unique_ptr<T[]> slots_;
};

}  // namespace ccx
