#include "content.hpp"

#include <cstdint>
#include <cstdio>

#include "content_data.hpp"

namespace mtorcalc::content {
namespace {

struct Loaded {
  json merged = json::object();
  std::string version;
};

std::string hex32(std::uint32_t v) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", v);
  return buf;
}

Loaded load() {
  Loaded l;
  std::uint32_t hash = 2166136261u;  // FNV-1a over every file, in name order
  for (const File& f : files()) {
    for (char c : f.name) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
    for (char c : f.text) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
    json parsed = json::parse(f.text.begin(), f.text.end(), nullptr, false);
    std::string stem(f.name.substr(0, f.name.rfind('.')));
    l.merged[stem] = std::move(parsed);
  }
  std::string base = "unversioned";
  const json& m = l.merged["manifest"];
  if (m.is_object() && m.contains("content_version") && m["content_version"].is_string())
    base = m["content_version"].get<std::string>();
  l.version = base + "+" + hex32(hash);
  return l;
}

const Loaded& loaded() {
  static const Loaded l = load();
  return l;
}

}  // namespace

const std::vector<File>& files() {
  static const std::vector<File> f = [] {
    std::vector<File> v;
    for (std::size_t i = 0; i < embedded_file_count; ++i)
      v.push_back({embedded_files[i].name, embedded_files[i].text});
    return v;
  }();
  return f;
}

const json& all() {
  return loaded().merged;
}
const std::string& version() {
  return loaded().version;
}

const json& find_dotted(const json& root, std::string_view dotted_path) {
  static const json null_value;
  const json* cur = &root;
  std::size_t start = 0;
  while (start <= dotted_path.size()) {
    std::size_t dot = dotted_path.find('.', start);
    std::string_view key = dotted_path.substr(
        start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (!cur->is_object()) return null_value;
    auto it = cur->find(key);
    if (it == cur->end()) return null_value;
    cur = &*it;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return *cur;
}

const json& at(std::string_view dotted_path) {
  return find_dotted(all(), dotted_path);
}

}  // namespace mtorcalc::content
