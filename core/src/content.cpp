#include "content.hpp"

#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <mutex>

#include "content_data.hpp"

namespace mtorcalc::content {
namespace {

// Each content file is parsed on first use: the page's first answer should
// not wait for files its question never reads (issue 7). One entry per
// files() entry, in the same order.
struct Parsed {
  std::once_flag once;
  json value;
};

Parsed* parsed_files() {
  static const std::unique_ptr<Parsed[]> parsed = std::make_unique<Parsed[]>(files().size());
  return parsed.get();
}

const json& parsed(std::size_t i) {
  Parsed& p = parsed_files()[i];
  const std::string_view text = files()[i].text;
  std::call_once(p.once, [&] { p.value = json::parse(text.begin(), text.end(), nullptr, false); });
  return p.value;
}

// The file whose stem is `stem`, parsed; null json when there is none.
const json& file(std::string_view stem) {
  static const json null_value;
  const std::vector<File>& fs = files();
  for (std::size_t i = 0; i < fs.size(); ++i)
    if (fs[i].stem == stem) return parsed(i);
  return null_value;
}

}  // namespace

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
  static const json merged = [] {
    json m = json::object();
    for (std::size_t i = 0; i < files().size(); ++i) m[std::string(files()[i].stem)] = parsed(i);
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

namespace {

const json& lookup(std::string_view dotted_path) {
  std::size_t dot = dotted_path.find('.');
  const json& root = file(dotted_path.substr(0, dot));
  if (dot == std::string_view::npos) return root;
  return find_dotted(root, dotted_path.substr(dot + 1));
}

// The paths found so far, per thread: an evaluation reads a hundred or so
// rules, each a walk of three to five objects by key, and the same ones again
// for the next request. Only paths that exist are kept, so the table is
// bounded by the content (request text such as an unknown drug name never
// enters it). The keys view strings owned by `names`, which never move.
struct FoundPaths {
  std::deque<std::string> names;
  std::unordered_map<std::string_view, const json*> nodes;
};

}  // namespace

const json& at(std::string_view dotted_path) {
  thread_local FoundPaths found;
  auto it = found.nodes.find(dotted_path);
  if (it != found.nodes.end()) return *it->second;
  const json& node = lookup(dotted_path);
  if (!node.is_null()) {
    const std::string& name = found.names.emplace_back(dotted_path);
    found.nodes.emplace(name, &node);
  }
  return node;
}

}  // namespace mtorcalc::content
