// The JSON types the engine uses. Responses keep insertion order so that the
// same request always gives the same bytes on every platform.
#pragma once

#include <nlohmann/json.hpp>

#include "response_map.hpp"

namespace mtorcalc {
using json = nlohmann::json;                       // parsed requests and content
using ojson = nlohmann::basic_json<response_map>;  // responses (stable field order)
}  // namespace mtorcalc
