#include "json_reader.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

#include "text_scan.hpp"

namespace mtorcalc {
namespace {

// The double nearest to the decimal number in [first, last) (JSON grammar,
// already checked), when one IEEE operation gives it exactly: the digits
// form an integer m <= 2^53 and the exponent e is within +-22, so that m and
// 10^|e| are both exact doubles and m * 10^e or m / 10^-e is correctly
// rounded (Clinger's fast path, as strtod's own). Otherwise nullopt, and
// the caller uses strtod. The content's and requests' numbers (2.5, 0.75,
// 1e-3) all take this path; under WebAssembly strtod works in software
// long double, slow and a large function to compile on a first answer.
std::optional<double> exact_decimal(const char* first, const char* last) {
  static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                      1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  constexpr std::uint64_t kMaxExact = std::uint64_t{1} << 53;
  const char* p = first;
  const bool negative = *p == '-';
  if (negative) ++p;
  std::uint64_t m = 0;
  long e = 0;
  for (; p < last && *p >= '0' && *p <= '9'; ++p) {
    if (m > kMaxExact / 10) return std::nullopt;
    m = m * 10 + static_cast<std::uint64_t>(*p - '0');
  }
  if (p < last && *p == '.') {
    for (++p; p < last && *p >= '0' && *p <= '9'; ++p) {
      if (m > kMaxExact / 10) return std::nullopt;
      m = m * 10 + static_cast<std::uint64_t>(*p - '0');
      --e;
    }
  }
  if (m > kMaxExact) return std::nullopt;
  if (p < last && (*p == 'e' || *p == 'E')) {
    ++p;
    const bool exp_negative = *p == '-';
    if (*p == '+' || *p == '-') ++p;
    long x = 0;
    for (; p < last; ++p) {
      if (x > 1000) return std::nullopt;  // far outside the fast path anyway
      x = x * 10 + (*p - '0');
    }
    e += exp_negative ? -x : x;
  }
  if (e < -22 || e > 22) return std::nullopt;
  double v = static_cast<double>(m);
  v = e < 0 ? v / kPow10[-e] : v * kPow10[e];
  return negative ? -v : v;
}

// A recursive-descent reader over the whole text. Every step returns false
// when it meets something JSON does not allow, and the steps above it
// return at once; read_document then answers a discarded value, as
// nlohmann's non-throwing parse does.
class Reader {
 public:
  Reader(std::string_view text, JsonReadLimits limits)
      : p_(reinterpret_cast<const unsigned char*>(text.data())),
        end_(p_ + text.size()),
        limits_(limits) {}

  [[nodiscard]] json read_document() {
    json out;
    // nlohmann skips a UTF-8 byte order mark at the start; so does this.
    if (end_ - p_ >= 3 && p_[0] == 0xEF && p_[1] == 0xBB && p_[2] == 0xBF) p_ += 3;
    skip_space();
    if (!read_value(out, 0)) return json(json::value_t::discarded);
    skip_space();
    if (p_ != end_) return json(json::value_t::discarded);
    return out;
  }

 private:
  const unsigned char* p_;
  const unsigned char* end_;
  JsonReadLimits limits_;

  void skip_space() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  [[nodiscard]] bool literal(std::string_view word) {
    if (static_cast<std::size_t>(end_ - p_) < word.size()) return false;
    if (std::memcmp(p_, word.data(), word.size()) != 0) return false;
    p_ += word.size();
    return true;
  }

  [[nodiscard]] bool read_value(json& out, std::size_t depth) {
    if (p_ == end_) return false;
    switch (*p_) {
      case '{':
        return read_object(out, depth + 1);
      case '[':
        return read_array(out, depth + 1);
      case '"': {
        out = json::string_t();
        return read_string(out.get_ref<json::string_t&>());
      }
      case 't':
        out = true;
        return literal("true");
      case 'f':
        out = false;
        return literal("false");
      case 'n':
        out = nullptr;
        return literal("null");
      default:
        return read_number(out);
    }
  }

  // The members of an object or the elements of an array, from just past
  // its opening bracket to just past `close`: `read_item` reads one, and
  // the items are separated by commas.
  template <class ReadItem>
  [[nodiscard]] bool read_sequence(unsigned char close, ReadItem&& read_item) {
    skip_space();
    if (p_ < end_ && *p_ == close) {
      ++p_;
      return true;
    }
    while (true) {
      if (!read_item()) return false;
      skip_space();
      if (p_ == end_) return false;
      if (*p_ == close) {
        ++p_;
        return true;
      }
      if (*p_ != ',') return false;
      ++p_;
      skip_space();
    }
  }

  [[nodiscard]] bool read_object(json& out, std::size_t depth) {
    if (depth > limits_.max_depth) return false;
    ++p_;  // '{'
    out = json::object();
    json::object_t& object = out.get_ref<json::object_t&>();
    std::string key;
    return read_sequence('}', [&] {
      if (p_ == end_ || *p_ != '"') return false;
      key.clear();
      if (!read_string(key)) return false;
      skip_space();
      if (p_ == end_ || *p_ != ':') return false;
      ++p_;
      skip_space();
      // A repeated key overwrites the earlier value, as nlohmann's does, or
      // is not accepted.
      auto [slot, inserted] = object.try_emplace(key);
      if (!inserted && limits_.duplicate_keys == DuplicateKeys::reject) return false;
      return read_value(slot->second, depth);
    });
  }

  [[nodiscard]] bool read_array(json& out, std::size_t depth) {
    if (depth > limits_.max_depth) return false;
    ++p_;  // '['
    out = json::array();
    json::array_t& array = out.get_ref<json::array_t&>();
    return read_sequence(']', [&] { return read_value(array.emplace_back(), depth); });
  }

  // Four hex digits after "\u", or -1.
  [[nodiscard]] long hex4() {
    if (end_ - p_ < 4) return -1;
    long v = 0;
    for (int i = 0; i < 4; ++i) {
      const unsigned char c = *p_++;
      v <<= 4;
      if (c >= '0' && c <= '9')
        v |= c - '0';
      else if (c >= 'a' && c <= 'f')
        v |= c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        v |= c - 'A' + 10;
      else
        return -1;
    }
    return v;
  }

  static void append_utf8(std::string& s, long cp) {
    if (cp < 0x80) {
      s += static_cast<char>(cp);
    } else if (cp < 0x800) {
      s += static_cast<char>(0xC0 | (cp >> 6));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      s += static_cast<char>(0xE0 | (cp >> 12));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      s += static_cast<char>(0xF0 | (cp >> 18));
      s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  // The escape after a backslash (p_ is past the backslash).
  [[nodiscard]] bool read_escape(std::string& s) {
    if (p_ == end_) return false;
    switch (*p_++) {
      case '"':
        s += '"';
        return true;
      case '\\':
        s += '\\';
        return true;
      case '/':
        s += '/';
        return true;
      case 'b':
        s += '\b';
        return true;
      case 'f':
        s += '\f';
        return true;
      case 'n':
        s += '\n';
        return true;
      case 'r':
        s += '\r';
        return true;
      case 't':
        s += '\t';
        return true;
      case 'u':
        break;
      default:
        return false;
    }
    long cp = hex4();
    if (cp < 0) return false;
    if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // a low surrogate alone
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      // A high surrogate must be followed by "\u" and a low one.
      if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return false;
      p_ += 2;
      const long low = hex4();
      if (low < 0xDC00 || low > 0xDFFF) return false;
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    append_utf8(s, cp);
    return true;
  }

  // A string from its opening quote; appends its value to `s`. Runs of
  // plain bytes are found eight at a time and copied whole.
  [[nodiscard]] bool read_string(std::string& s) {
    ++p_;  // '"'
    const unsigned char* run = p_;
    while (true) {
      while (end_ - p_ >= 8) {
        std::uint64_t word;
        std::memcpy(&word, p_, sizeof word);
        if (const std::uint64_t mask = text::attention_mask(word)) {
          p_ += text::first_attention(mask);  // the plain bytes before it
          break;
        }
        p_ += 8;
      }
      if (p_ == end_) return false;
      const std::uint8_t k = text::kByteClass[*p_];
      if (k == 0) {
        ++p_;
        continue;
      }
      if (k == 2) {
        const std::size_t len = text::utf8_length(p_, end_);
        if (len == 0) return false;
        p_ += len;
        continue;
      }
      // A quote ends the string; a backslash starts an escape; a control
      // character is not allowed unescaped.
      s.append(reinterpret_cast<const char*>(run), static_cast<std::size_t>(p_ - run));
      if (*p_ == '"') {
        ++p_;
        return true;
      }
      if (*p_ != '\\') return false;
      ++p_;
      if (!read_escape(s)) return false;
      run = p_;
    }
  }

  [[nodiscard]] bool digits() {
    const unsigned char* start = p_;
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    return p_ != start;
  }

  // A number in JSON's grammar, typed as nlohmann types it: an integer that
  // fits is unsigned (or signed when negative); a fraction, an exponent or
  // an integer that does not fit is floating; a non-finite one is an error.
  [[nodiscard]] bool read_number(json& out) {
    const unsigned char* start = p_;
    const bool negative = p_ < end_ && *p_ == '-';
    if (negative) ++p_;
    if (p_ == end_) return false;
    if (*p_ == '0')
      ++p_;
    else if (!digits())
      return false;
    bool integral = true;
    if (p_ < end_ && *p_ == '.') {
      ++p_;
      if (!digits()) return false;
      integral = false;
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (!digits()) return false;
      integral = false;
    }
    const char* first = reinterpret_cast<const char*>(start);
    const char* last = reinterpret_cast<const char*>(p_);
    if (integral) {
      if (negative) {
        std::int64_t v = 0;
        if (std::from_chars(first, last, v).ec == std::errc()) {
          out = v;
          return true;
        }
      } else {
        std::uint64_t v = 0;
        if (std::from_chars(first, last, v).ec == std::errc()) {
          out = v;
          return true;
        }
      }
    }
    if (const std::optional<double> v = exact_decimal(first, last)) {
      out = *v;
      return true;
    }
    // strtod needs a terminated copy; the engine never changes the C locale,
    // so '.' is the decimal point.
    const std::string token(first, last);
    const double v = std::strtod(token.c_str(), nullptr);
    if (!std::isfinite(v)) return false;
    out = v;
    return true;
  }
};

}  // namespace

json read_json(std::string_view text, JsonReadLimits limits) {
  return Reader(text, limits).read_document();
}

}  // namespace mtorcalc
