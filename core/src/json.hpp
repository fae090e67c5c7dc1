// The JSON types the engine uses. Responses keep insertion order so that the
// same request always gives the same bytes on every platform.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "pool.hpp"
#include "response_map.hpp"

namespace mtorcalc {
// Parsed requests and content: nlohmann's json with its nodes (the objects'
// tree nodes, arrays, strings) from the small-block pool, since a request's
// tree is built and freed on every evaluation.
using json = nlohmann::basic_json<std::map, std::vector, std::string, bool, std::int64_t,
                                  std::uint64_t, double, PoolAllocator>;
// Responses: stable field order, nodes from the small-block pool. Binary
// values (the writer's fragment nodes, one per prepared item) keep their
// bytes in the pool too.
using ojson = nlohmann::basic_json<response_map, std::vector, std::string, bool, std::int64_t,
                                   std::uint64_t, double, PoolAllocator, nlohmann::adl_serializer,
                                   std::vector<std::uint8_t, PoolAllocator<std::uint8_t>>>;

/// Whether `j` is the string `s`. nlohmann's `j == s` first builds a json
/// value from `s`, an allocation per comparison in the engine's inner loops.
template <class Json>
[[nodiscard]] inline bool is_string_equal(const Json& j, std::string_view s) {
  return j.is_string() && j.template get_ref<const typename Json::string_t&>() == s;
}

/// Empties a response tree from the leaves up. nlohmann's destructor keeps
/// deep trees off the call stack by first moving every descendant onto a heap
/// vector (an allocation per container and a move per node: 7 % of an
/// evaluation, issue 7). A response is built by the engine and is a few
/// levels deep (a copied request value at most the reader's 16 more), so
/// recursion is safe here, and each container's destructor then finds it
/// empty and has nothing to move.
inline void release_tree(ojson& j) noexcept {
  if (j.is_object()) {
    auto& members = j.get_ref<ojson::object_t&>();
    for (auto& member : members) release_tree(member.second);
    members.clear();
  } else if (j.is_array()) {
    auto& items = j.get_ref<ojson::array_t&>();
    for (auto& item : items) release_tree(item);
    items.clear();
  }
}
}  // namespace mtorcalc
