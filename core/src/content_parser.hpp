// A JSON reader for the embedded clinical content only (issue 7: first
// answer). nlohmann's lexer reads a character at a time and keeps every
// token's text for its error messages; on the content a first answer reads,
// that was three quarters of the cold evaluation's instructions, and under
// WebAssembly each character is a call into the system library. This reader
// copies string runs whole. Requests, which are untrusted, are still read
// by nlohmann (request.cpp).
#pragma once

#include <string_view>

#include "json.hpp"

namespace mtorcalc::content {

/// The value `text` holds, exactly as `json::parse(text, nullptr, false)`
/// gives it: the same types (unsigned, signed and floating numbers), the last
/// of duplicate keys, and a discarded value for text that is not one JSON
/// value (bad syntax, invalid UTF-8, a number out of range, nesting deeper
/// than kMaxContentDepth). tests/unit/test_content.cpp holds it to that on
/// every embedded file and member and on malformed text.
[[nodiscard]] json parse_content_json(std::string_view text);

/// The content nests a handful of levels; anything deeper is malformed.
inline constexpr int kMaxContentDepth = 64;

}  // namespace mtorcalc::content
