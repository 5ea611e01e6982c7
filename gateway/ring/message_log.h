// MessageLog: the append-only list of one day's outbound messages of one stream (a
// participant's OUCH messages, or the ITCH feed), numbered from 1. One thread appends (the
// engine thread); any number of threads read concurrently what has been *released*.
//
// Two watermarks: size() counts what was appended (the writer's view); released() counts
// what may leave the process — the writer calls Release() only after the journal holds the
// inputs that caused those messages (group commit), so readers never send an effect before
// its cause is durable. Message bytes live in fixed chunks that never move, and the index
// too, so appending never copies, never invalidates a reader's view and never stalls on a
// big reallocation. Chunk tables are reserved with calloc (untouched pages cost nothing).
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <span>

namespace ccx {

class MessageLog {
 public:
  static constexpr uint32_t kDataChunk = 256u << 10;   ///< bytes per data chunk
  static constexpr uint32_t kIndexChunk = 16u << 10;   ///< index entries per chunk
  static constexpr uint32_t kMaxChunks = 16384;        ///< 4 GiB of data, 268 M messages

  MessageLog()
      : data_(static_cast<uint8_t**>(std::calloc(kMaxChunks, sizeof(uint8_t*)))),
        index_(static_cast<uint64_t**>(std::calloc(kMaxChunks, sizeof(uint64_t*)))) {
    if (data_ == nullptr || index_ == nullptr) throw std::bad_alloc();
  }
  ~MessageLog() {
    for (uint32_t i = 0; i < kMaxChunks && data_[i] != nullptr; ++i) std::free(data_[i]);
    for (uint32_t i = 0; i < kMaxChunks && index_[i] != nullptr; ++i) std::free(index_[i]);
    std::free(data_);
    std::free(index_);
  }
  MessageLog(const MessageLog&) = delete;
  MessageLog& operator=(const MessageLog&) = delete;

  /// Messages appended (writer thread only, or after the writer has stopped).
  uint64_t size() const { return size_.load(std::memory_order_relaxed); }
  /// Messages that may be read and sent by other threads.
  uint64_t released() const { return released_.load(std::memory_order_acquire); }
  /// Writer: makes everything appended so far visible to readers.
  void Release() { released_.store(size_.load(std::memory_order_relaxed), std::memory_order_release); }

  /// Message `seq` (1 ≤ seq ≤ released(), or ≤ size() on the writer thread). The view stays
  /// valid for the life of the log.
  std::span<const uint8_t> message(uint64_t seq) const {
    const uint64_t i = seq - 1;
    const uint64_t w = index_[i / kIndexChunk][i % kIndexChunk];
    return {data_[w >> 32] + ((w >> 8) & 0xFFFFFF), static_cast<size_t>(w & 0xFF)};
  }

  /// Writer: room for a message of `n` bytes (1 ≤ n ≤ 255) at the end; returns where to
  /// write it. The message counts in size() at once and in released() after Release().
  uint8_t* Append(uint32_t n) {
    if (chunk_ < 0 || used_ + n > kDataChunk) NewDataChunk();
    const uint64_t i = size_.load(std::memory_order_relaxed);
    if (i % kIndexChunk == 0) {
      if (i / kIndexChunk >= kMaxChunks) throw std::length_error("MessageLog: index full");
      index_[i / kIndexChunk] = static_cast<uint64_t*>(Alloc(kIndexChunk * sizeof(uint64_t)));
    }
    uint8_t* at = data_[chunk_] + used_;
    index_[i / kIndexChunk][i % kIndexChunk] =
        (static_cast<uint64_t>(chunk_) << 32) | (static_cast<uint64_t>(used_) << 8) | n;
    used_ += n;
    size_.store(i + 1, std::memory_order_relaxed);
    return at;
  }
  /// Writer: appends a copy of `msg`.
  void Add(std::span<const uint8_t> msg) {
    std::memcpy(Append(static_cast<uint32_t>(msg.size())), msg.data(), msg.size());
  }

 private:
  static void* Alloc(size_t n) {
    void* p = std::malloc(n);
    if (p == nullptr) throw std::bad_alloc();
    return p;
  }
  void NewDataChunk() {
    if (chunk_ + 1 >= static_cast<int64_t>(kMaxChunks)) throw std::length_error("MessageLog: data full");
    ++chunk_;
    data_[chunk_] = static_cast<uint8_t*>(Alloc(kDataChunk));
    used_ = 0;
  }

  uint8_t** data_;
  uint64_t** index_;
  int64_t chunk_ = -1;
  uint32_t used_ = 0;
  std::atomic<uint64_t> size_{0};
  std::atomic<uint64_t> released_{0};
};

}  // namespace ccx
