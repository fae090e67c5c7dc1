// The bounds the engine enforces on any input, so that hostile requests are
// answered in bounded time and memory. Documented in README.md ("Limits").
#pragma once

#include <cstddef>

namespace mtorcalc::limits {
inline constexpr std::size_t max_request_bytes = 256 * 1024;
inline constexpr std::size_t max_depth = 16;        // nesting of objects/arrays
inline constexpr std::size_t max_list_items = 64;   // comedications, prior therapies, events
inline constexpr std::size_t max_name_chars = 100;  // one drug name
inline constexpr std::size_t max_errors = 100;      // errors reported per request
inline constexpr std::size_t echoed_chars = 40;     // user text quoted in a message
}  // namespace mtorcalc::limits
