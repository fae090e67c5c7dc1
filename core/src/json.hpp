// The JSON types the engine uses. Responses keep insertion order so that the
// same request always gives the same bytes on every platform.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "pool.hpp"
#include "response_map.hpp"

namespace mtorcalc {
using json = nlohmann::json;  // parsed requests and content
// Responses: stable field order, nodes from the small-block pool.
using ojson = nlohmann::basic_json<response_map, std::vector, std::string, bool, std::int64_t,
                                   std::uint64_t, double, PoolAllocator>;

/// Whether `j` is the string `s`. nlohmann's `j == s` first builds a json
/// value from `s`, an allocation per comparison in the engine's inner loops.
template <class Json>
[[nodiscard]] inline bool is_string_equal(const Json& j, std::string_view s) {
  return j.is_string() && j.template get_ref<const typename Json::string_t&>() == s;
}
}  // namespace mtorcalc
