#include "content.hpp"

#include <memory>
#include <mutex>

#include "content_data.hpp"

namespace mtorcalc::content {
namespace {

// Each content file is parsed on first use: the page's first answer should
// not wait for files its question never reads (issue 7).
struct LazyFile {
  std::string_view stem;
  std::string_view text;
  std::once_flag once;
  json value;
};

struct Files {
  std::unique_ptr<LazyFile[]> items;
  std::size_t count = 0;
};

const Files& lazy_files() {
  static const Files f = [] {
    Files out;
    out.count = embedded_file_count;
    out.items = std::make_unique<LazyFile[]>(embedded_file_count);
    for (std::size_t i = 0; i < embedded_file_count; ++i) {
      std::string_view name = embedded_files[i].name;
      out.items[i].stem = name.substr(0, name.rfind('.'));
      out.items[i].text = embedded_files[i].text;
    }
    return out;
  }();
  return f;
}

const json& parsed(LazyFile& f) {
  std::call_once(f.once,
                 [&f] { f.value = json::parse(f.text.begin(), f.text.end(), nullptr, false); });
  return f.value;
}

// The file whose stem is `stem`, parsed; null json when there is none.
const json& file(std::string_view stem) {
  static const json null_value;
  const Files& fs = lazy_files();
  for (std::size_t i = 0; i < fs.count; ++i)
    if (fs.items[i].stem == stem) return parsed(fs.items[i]);
  return null_value;
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
  static const json merged = [] {
    json m = json::object();
    const Files& fs = lazy_files();
    for (std::size_t i = 0; i < fs.count; ++i)
      m[std::string(fs.items[i].stem)] = parsed(fs.items[i]);
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

const json& at(std::string_view dotted_path) {
  std::size_t dot = dotted_path.find('.');
  const json& root = file(dotted_path.substr(0, dot));
  if (dot == std::string_view::npos) return root;
  return find_dotted(root, dotted_path.substr(dot + 1));
}

}  // namespace mtorcalc::content
