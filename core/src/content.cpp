#include "content.hpp"

#include <string>

#include "content_data.hpp"

namespace mtorcalc::content {

const std::vector<File>& files() {
  static const std::vector<File> f = [] {
    std::vector<File> v;
    for (std::size_t i = 0; i < embedded_file_count; ++i) {
      std::string_view name = embedded_files[i].name;
      v.push_back({name, name.substr(0, name.rfind('.')), embedded_files[i].text});
    }
    return v;
  }();
  return f;
}

const json& all() {
  // Parsed once, on first use (thread-safe static initialisation). A file
  // that is not JSON stays a discarded value: the content tests catch it.
  static const json merged = [] {
    json m = json::object();
    for (const File& f : files()) m[std::string(f.stem)] = json::parse(f.text, nullptr, false);
    return m;
  }();
  return merged;
}

const std::string& version() {
  static const std::string v = [] {
    const json& cv = at("manifest.content_version");
    std::string base = cv.is_string() ? cv.get<std::string>() : "unversioned";
    return base + "+" + embedded_content_hash;
  }();
  return v;
}

const json& find_dotted(const json& root, std::string_view dotted_path) {
  static const json null_value;
  const json* cur = &root;
  std::size_t pos = 0;
  while (pos <= dotted_path.size()) {
    std::size_t dot = dotted_path.find('.', pos);
    if (dot == std::string_view::npos) dot = dotted_path.size();
    std::string_view key = dotted_path.substr(pos, dot - pos);
    pos = dot + 1;
    if (!cur->is_object()) return null_value;
    auto it = cur->find(key);
    if (it == cur->end()) return null_value;
    cur = &*it;
  }
  return *cur;
}

const json& at(std::string_view dotted_path) {
  return find_dotted(all(), dotted_path);
}

const json& member(std::string_view stem, std::string_view key) {
  static const json null_value;
  const json& file = find_dotted(all(), stem);
  if (!file.is_object()) return null_value;
  auto it = file.find(key);
  return it == file.end() ? null_value : *it;
}

}  // namespace mtorcalc::content
