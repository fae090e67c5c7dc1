#include "json_reader.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "text_scan.hpp"

namespace mtorcalc {
namespace {

// A recursive-descent reader over the whole text. Every step that meets
// something JSON does not allow sets `failed_` and unwinds; the caller then
// answers a discarded value, as nlohmann's non-throwing parse does.
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

  [[nodiscard]] bool read_object(json& out, std::size_t depth) {
    if (depth > limits_.max_depth) return false;
    ++p_;  // '{'
    out = json::object();
    json::object_t& object = out.get_ref<json::object_t&>();
    skip_space();
    if (p_ < end_ && *p_ == '}') {
      ++p_;
      return true;
    }
    std::string key;
    while (true) {
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
      if (!read_value(slot->second, depth)) return false;
      skip_space();
      if (p_ == end_) return false;
      if (*p_ == '}') {
        ++p_;
        return true;
      }
      if (*p_ != ',') return false;
      ++p_;
      skip_space();
    }
  }

  [[nodiscard]] bool read_array(json& out, std::size_t depth) {
    if (depth > limits_.max_depth) return false;
    ++p_;  // '['
    out = json::array();
    json::array_t& array = out.get_ref<json::array_t&>();
    skip_space();
    if (p_ < end_ && *p_ == ']') {
      ++p_;
      return true;
    }
    while (true) {
      if (!read_value(array.emplace_back(), depth)) return false;
      skip_space();
      if (p_ == end_) return false;
      if (*p_ == ']') {
        ++p_;
        return true;
      }
      if (*p_ != ',') return false;
      ++p_;
      skip_space();
    }
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
        if (text::needs_attention(word)) break;
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
