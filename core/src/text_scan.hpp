// Byte scanning shared by the response writer (writer.cpp) and the JSON
// reader (json_reader.cpp): both copy runs of plain text and stop only at
// bytes JSON treats specially.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace mtorcalc::text {

// Words are read from memory with memcpy and their lowest byte taken as the
// first: true on x86 and in WebAssembly, the engine's targets.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "text scanning assumes little endian");

// Byte classes for a JSON string scan: 0 is plain, 1 is a control character,
// '"' or '\\', 2 starts a multi-byte UTF-8 sequence that must be checked.
constexpr std::array<std::uint8_t, 256> byte_classes() {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = 1;
  t['"'] = 1;
  t['\\'] = 1;
  for (int c = 0x80; c < 0x100; ++c) t[c] = 2;
  return t;
}
inline constexpr std::array<std::uint8_t, 256> kByteClass = byte_classes();

// The high bit of each of the eight bytes in `word` (read from memory, so
// its lowest byte comes first) that is a control character, '"', '\\' or a
// non-ASCII byte: the classic "has a zero byte" bit trick. Its false
// positives only occur above a true hit (borrows run upwards), so a zero
// result is exact, and so is the lowest bit set.
constexpr std::uint64_t attention_mask(std::uint64_t word) {
  constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  auto has_zero = [](std::uint64_t v) { return (v - ones) & ~v & highs; };
  const std::uint64_t below_space = (word - ones * 0x20) & ~word & highs;
  return (word & highs) | below_space | has_zero(word ^ (ones * '"')) |
         has_zero(word ^ (ones * '\\'));
}

// Whether any byte of `word` needs attention (attention_mask).
constexpr bool needs_attention(std::uint64_t word) {
  return attention_mask(word) != 0;
}

// The offset (0-7) of the first byte that needs attention, from a non-zero
// attention_mask: bytes before it are plain and can be passed at once.
inline std::size_t first_attention(std::uint64_t mask) {
  return static_cast<std::size_t>(__builtin_ctzll(mask)) / 8;
}

// Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlong
// forms, no surrogates, nothing past U+10FFFF), or 0 when it is not one.
inline std::size_t utf8_length(const unsigned char* p, const unsigned char* end) {
  auto cont = [&](const unsigned char* q, unsigned char lo, unsigned char hi) {
    return q < end && *q >= lo && *q <= hi;
  };
  const unsigned char c = *p;
  if (c >= 0xC2 && c <= 0xDF) return cont(p + 1, 0x80, 0xBF) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    unsigned char lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    return cont(p + 1, lo, hi) && cont(p + 2, 0x80, 0xBF) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    unsigned char lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    return cont(p + 1, lo, hi) && cont(p + 2, 0x80, 0xBF) && cont(p + 3, 0x80, 0xBF) ? 4 : 0;
  }
  return 0;
}

// The code point of the well-formed UTF-8 sequence of `len` bytes at p
// (len from utf8_length, never 0).
inline std::uint32_t decode_utf8(const unsigned char* p, std::size_t len) {
  if (len == 1) return p[0];
  std::uint32_t cp = p[0] & (0xFFu >> (len + 1));
  for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (p[k] & 0x3Fu);
  return cp;
}

}  // namespace mtorcalc::text
