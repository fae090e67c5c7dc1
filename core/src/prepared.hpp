// Values made once from the content and kept for the life of the process.
//
// The content never changes while the engine runs, so anything made only from
// it (an item's JSON text, a reference's text, a drug's compiled conditions)
// is the same for every request that needs it: the first one makes it, the
// others read it (issue 7). Every such cache in the engine is this one.
//
// Each thread has its own caches: a lookup takes no lock (a lock and unlock
// per lookup were 2 % of an evaluation), and a value is only ever read by the
// thread that made it. A thread that evaluates makes the values it needs
// once, like the first thread did; they live as long as the thread.
#pragma once

#include <cstring>
#include <deque>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>

namespace mtorcalc {

/// The value kept for `key`, made by `build()` on first use. There is one
/// cache per value type: a key names everything its value depends on, and
/// starts with what kind of value it is when one type serves several kinds
/// ("reference|", "units|"). Keys come from content ids and engine
/// codes, never from request text, so each cache is bounded by the content;
/// the one exception, a dose's units (units_json), caps its own count.
/// Values never move (std::unordered_map keeps its nodes in place), so the
/// reference stays valid for the life of the calling thread. `build` must
/// not read the same cache.
/// A lookup allocates nothing: keys are compared as views, and a key is
/// copied only when its value is made.
template <class T, class Build>
[[nodiscard]] const T& prepared(std::string_view key, Build&& build);

/// `parts` joined by `separator` into `key` (a cache key, or a dotted
/// content id with '.'), reusing its capacity: for a lookup on every
/// request, with a `thread_local` scratch string at the call site, a key
/// without an allocation. The build function must not reuse that scratch.
inline const std::string& join_key_into(std::string& key,
                                        std::initializer_list<std::string_view> parts,
                                        char separator = '|') {
  // Sized once and copied into place: an append per part and separator
  // was a call into the C++ library each (issue 7).
  std::size_t size = parts.size() > 0 ? parts.size() - 1 : 0;
  for (std::string_view p : parts) size += p.size();
  key.resize(size);
  char* out = key.data();
  bool first = true;
  for (std::string_view p : parts) {
    if (!first) *out++ = separator;
    first = false;
    if (!p.empty()) std::memcpy(out, p.data(), p.size());
    out += p.size();
  }
  return key;
}

/// `parts` joined by '|' in a new string, sized once instead of growing
/// (and reallocating) part by part.
[[nodiscard]] inline std::string join_key(std::initializer_list<std::string_view> parts) {
  std::string key;
  join_key_into(key, parts);
  return key;
}

namespace detail {
// The calling thread's cache of one value type (not of one caller: `Build`
// is a different type at every call site). Each key is kept in `keys` (a
// deque never moves its strings), and the map is keyed by views of them, so
// a lookup by view needs no std::string.
template <class T>
struct PreparedCache {
  std::deque<std::string> keys;
  std::unordered_map<std::string_view, T> values;
};
template <class T>
PreparedCache<T>& prepared_cache() {
  thread_local PreparedCache<T> cache;
  return cache;
}
}  // namespace detail

template <class T, class Build>
const T& prepared(std::string_view key, Build&& build) {
  detail::PreparedCache<T>& cache = detail::prepared_cache<T>();
  auto it = cache.values.find(key);
  if (it == cache.values.end()) {
    T value = build();
    it = cache.values.emplace(cache.keys.emplace_back(key), std::move(value)).first;
  }
  return it->second;
}

}  // namespace mtorcalc
