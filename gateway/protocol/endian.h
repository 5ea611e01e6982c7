// Byte-level helpers shared by the ccx wire codecs (SoupBinTCP, OUCH, MoldUDP64, ITCH):
// unsigned big-endian integers of 1, 2, 4, 6 and 8 bytes, and "alpha" fields (ASCII,
// fixed width, left-justified and padded with spaces on the right; PROTOCOL.md).
//
// Everything here works on caller-owned memory through raw pointers: the caller has
// already checked that the buffer is large enough (the message codecs check sizes once per
// message, then read or write fields with a Reader/Writer cursor). No allocation, no I/O.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace ccx::wire {

/// Writes the low `N` bytes of `v` big-endian at `out` (N in 1..8; higher bytes dropped).
template <size_t N>
constexpr void StoreBe(uint8_t* out, uint64_t v) {
  static_assert(N >= 1 && N <= 8);
  for (size_t i = 0; i < N; ++i) out[N - 1 - i] = static_cast<uint8_t>(v >> (8 * i));
}

/// Reads an `N`-byte big-endian unsigned integer at `in` (N in 1..8).
template <size_t N>
constexpr uint64_t LoadBe(const uint8_t* in) {
  static_assert(N >= 1 && N <= 8);
  uint64_t v = 0;
  for (size_t i = 0; i < N; ++i) v = (v << 8) | in[i];
  return v;
}

inline constexpr void StoreBe16(uint8_t* out, uint16_t v) { StoreBe<2>(out, v); }
inline constexpr void StoreBe32(uint8_t* out, uint32_t v) { StoreBe<4>(out, v); }
/// Writes the low 48 bits of `v` (ITCH timestamps); higher bits are dropped.
inline constexpr void StoreBe48(uint8_t* out, uint64_t v) { StoreBe<6>(out, v); }
inline constexpr void StoreBe64(uint8_t* out, uint64_t v) { StoreBe<8>(out, v); }
inline constexpr uint16_t LoadBe16(const uint8_t* in) {
  return static_cast<uint16_t>(LoadBe<2>(in));
}
inline constexpr uint32_t LoadBe32(const uint8_t* in) {
  return static_cast<uint32_t>(LoadBe<4>(in));
}
inline constexpr uint64_t LoadBe48(const uint8_t* in) { return LoadBe<6>(in); }
inline constexpr uint64_t LoadBe64(const uint8_t* in) { return LoadBe<8>(in); }

/// A fixed-width alpha field as stored in the message structs.
template <size_t N>
using Alpha = std::array<char, N>;

/// An alpha field of `N` spaces (the value of an empty field).
template <size_t N>
constexpr Alpha<N> BlankAlpha() {
  Alpha<N> a{};
  a.fill(' ');
  return a;
}

/// The text of an alpha field without its right padding (trailing spaces). The view
/// points into `a` and lives as long as `a`.
template <size_t N>
constexpr std::string_view AlphaView(const Alpha<N>& a) {
  size_t n = N;
  while (n > 0 && a[n - 1] == ' ') --n;
  return std::string_view(a.data(), n);
}

/// Sets `*a` to `text` left-justified and space padded. Returns false (and leaves `*a`
/// unchanged) if `text` is longer than `N`.
template <size_t N>
constexpr bool SetAlpha(Alpha<N>* a, std::string_view text) {
  if (text.size() > N) return false;
  a->fill(' ');
  for (size_t i = 0; i < text.size(); ++i) (*a)[i] = text[i];
  return true;
}

/// `text` as an alpha field, left-justified and space padded; the first `N` bytes only if
/// it is longer (use SetAlpha to detect that).
template <size_t N>
constexpr Alpha<N> MakeAlpha(std::string_view text) {
  Alpha<N> a = BlankAlpha<N>();
  for (size_t i = 0; i < text.size() && i < N; ++i) a[i] = text[i];
  return a;
}

/// Writes `text` into `n` bytes at `out`, right-justified (padded with spaces on the
/// left), as session names are (PROTOCOL.md §1). Returns false, writing nothing, if
/// `text` is longer than `n`.
inline bool PutRightJustified(uint8_t* out, size_t n, std::string_view text) {
  if (text.size() > n) return false;
  std::memset(out, ' ', n - text.size());
  std::memcpy(out + (n - text.size()), text.data(), text.size());
  return true;
}

/// `text` without leading and trailing spaces.
constexpr std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

/// Sequential big-endian writer over a caller buffer that the caller has sized; each call
/// writes one field and advances. Never allocates, never checks bounds.
class Writer {
 public:
  explicit constexpr Writer(uint8_t* out) : begin_(out), p_(out) {}
  /// One byte (an ASCII code or a one-character field).
  constexpr Writer& Char(char c) {
    *p_++ = static_cast<uint8_t>(c);
    return *this;
  }
  constexpr Writer& U16(uint16_t v) { return Be<2>(v); }
  constexpr Writer& U32(uint32_t v) { return Be<4>(v); }
  /// The low 48 bits of `v`.
  constexpr Writer& U48(uint64_t v) { return Be<6>(v); }
  constexpr Writer& U64(uint64_t v) { return Be<8>(v); }
  template <size_t N>
  constexpr Writer& Text(const Alpha<N>& a) {
    for (size_t i = 0; i < N; ++i) *p_++ = static_cast<uint8_t>(a[i]);
    return *this;
  }
  /// Bytes written so far.
  constexpr size_t size() const { return static_cast<size_t>(p_ - begin_); }

 private:
  template <size_t N>
  constexpr Writer& Be(uint64_t v) {
    StoreBe<N>(p_, v);
    p_ += N;
    return *this;
  }
  uint8_t* begin_;
  uint8_t* p_;
};

/// Sequential big-endian reader over bytes whose size the caller has checked; each call
/// reads one field and advances. Never checks bounds.
class Reader {
 public:
  explicit constexpr Reader(const uint8_t* in) : p_(in) {}
  constexpr char Char() { return static_cast<char>(*p_++); }
  constexpr uint16_t U16() { return static_cast<uint16_t>(Be<2>()); }
  constexpr uint32_t U32() { return static_cast<uint32_t>(Be<4>()); }
  constexpr uint64_t U48() { return Be<6>(); }
  constexpr uint64_t U64() { return Be<8>(); }
  template <size_t N>
  constexpr Alpha<N> Text() {
    Alpha<N> a{};
    for (size_t i = 0; i < N; ++i) a[i] = static_cast<char>(*p_++);
    return a;
  }

 private:
  template <size_t N>
  constexpr uint64_t Be() {
    uint64_t v = LoadBe<N>(p_);
    p_ += N;
    return v;
  }
  const uint8_t* p_;
};

}  // namespace ccx::wire
