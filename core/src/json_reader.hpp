// A JSON reader for the embedded clinical content and for the common case
// of a request (issue 7: speed). nlohmann's lexer reads a character at a
// time and keeps every token's text for its error messages; on the content
// a first answer reads, that was three quarters of a cold evaluation's
// instructions, and under WebAssembly each character is a call into the
// system library. This reader copies string runs whole.
//
// It answers only "this is the value" or "not accepted" (a discarded value),
// never why: a request it does not accept is read again by nlohmann's parser
// in request.cpp, which locates the error for the clinician. So a request
// answer is the same whichever reader accepted it.
#pragma once

#include <cstddef>
#include <string_view>

#include "json.hpp"

namespace mtorcalc {

/// What the reader does with a key its object already has.
enum class DuplicateKeys {
  last_wins,  // as nlohmann's parse: the later value replaces the earlier
  reject,     // not accepted (a request reports duplicates, request.cpp)
};

struct JsonReadLimits {
  std::size_t max_depth;  // objects and arrays nested deeper are not accepted
  DuplicateKeys duplicate_keys;
};

/// The value `text` holds, exactly as `json::parse(text, nullptr, false)`
/// gives it: the same types (unsigned, signed and floating numbers) and
/// values. A discarded value for text that nlohmann would not accept (bad
/// syntax, invalid UTF-8, a number out of a double's range) and for text
/// beyond `limits`. tests/unit/test_json_reader.cpp holds it to that on
/// every embedded file and member, every case request and malformed text.
[[nodiscard]] json read_json(std::string_view text, JsonReadLimits limits);

namespace content {
/// The content nests a handful of levels; anything deeper is malformed.
inline constexpr std::size_t kMaxContentDepth = 64;
inline constexpr JsonReadLimits kContentReadLimits{kMaxContentDepth, DuplicateKeys::last_wins};
}  // namespace content

}  // namespace mtorcalc
