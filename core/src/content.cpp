#include "content.hpp"

#include <algorithm>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "content_data.hpp"
#include "json_reader.hpp"

namespace mtorcalc::content {
namespace {

// Content is parsed on first use, and only the part asked for: a file's
// member (or a member of a member) when a rule below it is read, the whole
// file only when asked for as a whole. The page's first answer should not
// wait for rules its question never reads (issue 7). The embed script gives
// each member's place in the file's text.
struct Parsed {
  std::once_flag once;
  json value;
};

const json& parse_once(Parsed& p, std::string_view text) {
  std::call_once(p.once, [&] { p.value = read_json(text, kContentReadLimits); });
  return p.value;
}

// One Parsed per file and per member (embedded_members' order).
struct Index {
  std::unique_ptr<Parsed[]> files = std::make_unique<Parsed[]>(embedded_file_count);
  std::unique_ptr<Parsed[]> members = std::make_unique<Parsed[]>(embedded_member_count);
};

Index& index() {
  static Index ix;
  return ix;
}

const json& parsed(std::size_t file) {
  return parse_once(index().files[file], files()[file].text);
}

// The parsed member, or nullptr when the file has no such member.
const json* member(std::size_t file, std::string_view parent, std::string_view key) {
  // The embed script sorts the members by (file, parent, key).
  const EmbeddedMember* begin = embedded_members;
  const EmbeddedMember* end = embedded_members + embedded_member_count;
  auto less = [](const EmbeddedMember& m, const EmbeddedMember& wanted) {
    if (m.file != wanted.file) return m.file < wanted.file;
    if (m.parent != wanted.parent) return m.parent < wanted.parent;
    return m.key < wanted.key;
  };
  const EmbeddedMember wanted{file, parent, key, 0, 0};
  const EmbeddedMember* it = std::lower_bound(begin, end, wanted, less);
  if (it == end || it->file != file || it->parent != parent || it->key != key) return nullptr;
  const std::size_t m = static_cast<std::size_t>(it - begin);
  return &parse_once(index().members[m], files()[file].text.substr(it->begin, it->end - it->begin));
}

// The index of the file whose stem is `stem`; files().size() when none.
std::size_t file_index(std::string_view stem) {
  const std::vector<File>& fs = files();
  std::size_t i = 0;
  while (i < fs.size() && fs[i].stem != stem) ++i;
  return i;
}

// The next dotted component of `path` from `pos`, advancing `pos` past it.
std::string_view next_component(std::string_view path, std::size_t& pos) {
  std::size_t dot = path.find('.', pos);
  std::string_view part = path.substr(pos, dot == std::string_view::npos ? dot : dot - pos);
  pos = dot == std::string_view::npos ? path.size() + 1 : dot + 1;
  return part;
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

const json& member(std::string_view stem, std::string_view key) {
  static const json null_value;
  std::size_t f = file_index(stem);
  if (f == files().size()) return null_value;
  const json* m = member(f, "", key);
  return m ? *m : null_value;
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
  std::size_t pos = 0;
  while (pos <= dotted_path.size()) {
    std::string_view key = next_component(dotted_path, pos);
    if (!cur->is_object()) return null_value;
    auto it = cur->find(key);
    if (it == cur->end()) return null_value;
    cur = &*it;
  }
  return *cur;
}

namespace {

const json& lookup(std::string_view dotted_path) {
  static const json null_value;
  std::size_t pos = 0;
  const std::size_t f = file_index(next_component(dotted_path, pos));
  if (f == files().size()) return null_value;
  if (pos > dotted_path.size()) return parsed(f);
  // The deepest member the path passes through, then the rest of the path
  // inside it.
  std::size_t after_first = pos;
  std::string_view first = next_component(dotted_path, after_first);
  if (after_first <= dotted_path.size()) {
    std::size_t after_second = after_first;
    std::string_view second = next_component(dotted_path, after_second);
    if (const json* m = member(f, first, second))
      return after_second > dotted_path.size() ? *m
                                               : find_dotted(*m, dotted_path.substr(after_second));
  }
  if (const json* m = member(f, "", first))
    return after_first > dotted_path.size() ? *m : find_dotted(*m, dotted_path.substr(after_first));
  return find_dotted(parsed(f), dotted_path.substr(pos));
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
