#include "request.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <utility>

#include "limits.hpp"
#include "request_schema.hpp"

namespace mtorcalc {

using namespace std::string_view_literals;

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::malformed_json:
      return "malformed_json";
    case ErrorCode::wrong_type:
      return "wrong_type";
    case ErrorCode::out_of_range:
      return "out_of_range";
    case ErrorCode::unknown_value:
      return "unknown_value";
    case ErrorCode::unknown_field:
      return "unknown_field";
    case ErrorCode::missing_required:
      return "missing_required";
    case ErrorCode::inconsistent:
      return "inconsistent";
  }
  return "inconsistent";
}

namespace {

std::string escape_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

// Shortens user-supplied text before it is echoed in an error message, and
// keeps it printable ASCII so that no invalid UTF-8 reaches the response.
std::string quote(std::string_view s) {
  std::string out = "\"";
  std::size_t n = 0;
  for (unsigned char c : s) {
    if (++n > limits::echoed_chars) {
      out += "...";
      break;
    }
    out += (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ? static_cast<char>(c) : '?';
  }
  return out + "\"";
}

std::string number_text(double v) {
  ojson j = v;
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) j = static_cast<long long>(v);
  return j.dump();
}

std::string type_name(const json& j) {
  switch (j.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::string:
      return "a string";
    case json::value_t::array:
      return "an array";
    case json::value_t::object:
      return "an object";
    default:
      return "a number";
  }
}

// ---- the schema -----------------------------------------------------------

using request_schema::Field;
using request_schema::Spec;

const Spec& schema() {
  return request_schema::kSchema;
}

// The schema of the field a JSON Pointer names (array items by index or
// "-"), nullptr when the schema has no such field.
const Spec* spec_at(std::string_view pointer) {
  const Spec* s = &schema();
  std::size_t at = 0;
  bool at_item = false;
  while (at < pointer.size()) {
    if (pointer[at] != '/') return nullptr;
    std::size_t next = pointer.find('/', at + 1);
    if (next == std::string_view::npos) next = pointer.size();
    std::string_view token = pointer.substr(at + 1, next - at - 1);
    at = next;
    if (s->kind == Spec::Kind::object_array && !at_item) {
      at_item = true;  // the token is the item's index; its fields follow
      continue;
    }
    if (s->kind != Spec::Kind::object && !at_item) return nullptr;
    at_item = false;
    const Spec* child = nullptr;
    for (const Field& f : s->fields)
      if (f.name == token) child = &f.spec;
    if (!child) return nullptr;
    s = child;
  }
  return s;
}

// The last key of a JSON Pointer (a field's name).
std::string_view last_key(std::string_view pointer) {
  auto slash = pointer.rfind('/');
  return slash == std::string_view::npos ? pointer : pointer.substr(slash + 1);
}

// An out_of_range error with the bounds of its field, when the schema has them.
RequestError out_of_range(std::string path, std::string message) {
  RequestError e{std::move(path), ErrorCode::out_of_range, std::move(message)};
  const Spec* s = spec_at(e.path);
  if (s && (s->kind == Spec::Kind::number || s->kind == Spec::Kind::integer)) {
    e.min = s->lo;
    e.max = s->hi;
    e.min_exclusive = s->lo_exclusive;
    e.unit = std::string(unit_of_field(last_key(e.path)));
  }
  return e;
}

// ---- the validator --------------------------------------------------------

// Where a value lies in the request: a chain of links on the validator's
// stack, made into JSON Pointer text only when an error names it.
struct Path {
  const Path* parent = nullptr;  // nullptr: the whole request
  std::string_view key;          // an object member's key
  std::size_t index = 0;         // an array item's index, when is_index
  bool is_index = false;

  [[nodiscard]] std::string text() const {
    if (!parent) return "";
    return parent->text() + "/" + (is_index ? std::to_string(index) : escape_token(key));
  }
};

class Validator {
 public:
  explicit Validator(std::vector<RequestError>& errors) : errors_(errors) {}

  void check(const json& j, const Spec& s, const Path& path) {
    using K = Spec::Kind;
    switch (s.kind) {
      case K::object:
        return check_object(j, s, path);
      case K::number:
      case K::integer:
        return check_number(j, s, path);
      case K::boolean:
        if (!j.is_boolean())
          fail(path, ErrorCode::wrong_type, "expected true or false, got " + type_name(j));
        return;
      case K::string:
        if (!j.is_string())
          fail(path, ErrorCode::wrong_type, "expected a string, got " + type_name(j));
        return;
      case K::enumeration:
        return check_enum(j, s, path);
      case K::string_array:
        return check_names(j, path);
      case K::object_array:
        return check_object_array(j, s, path);
    }
  }

 private:
  void fail(const Path& path, ErrorCode code, std::string message) {
    if (errors_.size() >= limits::max_errors) return;
    errors_.push_back({path.text(), code, std::move(message)});
  }
  // An out_of_range error with the bounds the value must lie within.
  void fail_range(const Path& path, std::string message, double min, double max,
                  std::string_view unit, bool min_exclusive = false) {
    if (errors_.size() >= limits::max_errors) return;
    errors_.push_back({path.text(), ErrorCode::out_of_range, std::move(message), min, max,
                       min_exclusive, std::string(unit)});
  }

  void check_object(const json& j, const Spec& s, const Path& path) {
    if (!j.is_object()) {
      fail(path, ErrorCode::wrong_type, "expected an object, got " + type_name(j));
      return;
    }
    for (const auto& [key, value] : j.items()) {
      const Spec* child = nullptr;
      for (const Field& f : s.fields)
        if (f.name == key) {
          child = &f.spec;
          break;  // names are unique (a unit test checks)
        }
      const Path child_path{&path, key};
      if (!child) {
        fail(child_path, ErrorCode::unknown_field, "unknown field " + quote(key));
        continue;
      }
      if (value.is_null()) continue;  // null means "not given", as when absent
      check(value, *child, child_path);
    }
    for (std::string_view name : s.required) {
      auto it = j.find(name);
      if (it == j.end() || it->is_null())
        fail(Path{&path, name}, ErrorCode::missing_required,
             "required field " + quote(name) + " is missing");
    }
  }

  void check_number(const json& j, const Spec& s, const Path& path) {
    if (!j.is_number()) {
      fail(path, ErrorCode::wrong_type, "expected a number, got " + type_name(j));
      return;
    }
    double v = j.get<double>();
    const std::string_view unit = path.is_index ? "" : unit_of_field(path.key);
    if (!std::isfinite(v)) {
      fail_range(path, "number is too large", s.lo, s.hi, unit, s.lo_exclusive);
      return;
    }
    if (s.kind == Spec::Kind::integer && v != std::floor(v)) {
      fail(path, ErrorCode::wrong_type, "expected a whole number, got " + number_text(v));
      return;
    }
    bool below = s.lo_exclusive ? v <= s.lo : v < s.lo;
    if (below || v > s.hi) {
      std::string range =
          s.lo_exclusive ? "greater than " + number_text(s.lo) + " and at most " + number_text(s.hi)
                         : "between " + number_text(s.lo) + " and " + number_text(s.hi);
      fail_range(path, "must be " + range + ", got " + number_text(v), s.lo, s.hi, unit,
                 s.lo_exclusive);
    }
  }

  void check_enum(const json& j, const Spec& s, const Path& path) {
    if (!j.is_string()) {
      fail(path, ErrorCode::wrong_type, "expected a string, got " + type_name(j));
      return;
    }
    const auto& v = j.get_ref<const std::string&>();
    for (const auto& allowed : s.values)
      if (allowed == v) return;
    std::string list;
    for (std::string_view allowed : s.values) {
      if (!list.empty()) list += ", ";
      list += allowed;
    }
    fail(path, ErrorCode::unknown_value,
         "unknown value " + quote(v) + "; expected one of: " + list);
  }

  void check_names(const json& j, const Path& path) {
    if (!j.is_array()) {
      fail(path, ErrorCode::wrong_type, "expected an array of names, got " + type_name(j));
      return;
    }
    if (j.size() > limits::max_list_items) {
      fail_range(path, "at most " + std::to_string(limits::max_list_items) + " names", 0,
                 static_cast<double>(limits::max_list_items), "");
      return;
    }
    for (std::size_t i = 0; i < j.size(); ++i) {
      const Path item{&path, {}, i, true};
      if (!j[i].is_string())
        fail(item, ErrorCode::wrong_type, "expected a name (string), got " + type_name(j[i]));
      else if (j[i].get_ref<const std::string&>().empty() ||
               j[i].get_ref<const std::string&>().size() > limits::max_name_chars)
        fail_range(item,
                   "a name has 1 to " + std::to_string(limits::max_name_chars) + " characters", 1,
                   static_cast<double>(limits::max_name_chars), "characters");
    }
  }

  void check_object_array(const json& j, const Spec& s, const Path& path) {
    if (!j.is_array()) {
      fail(path, ErrorCode::wrong_type, "expected an array, got " + type_name(j));
      return;
    }
    if (j.size() > limits::max_list_items) {
      fail_range(path, "at most " + std::to_string(limits::max_list_items) + " entries", 0,
                 static_cast<double>(limits::max_list_items), "");
      return;
    }
    Spec item = s;
    item.kind = Spec::Kind::object;
    for (std::size_t i = 0; i < j.size(); ++i) check_object(j[i], item, Path{&path, {}, i, true});
  }

  std::vector<RequestError>& errors_;
};

// ---- parsing with duplicate-key detection --------------------------------

// A SAX handler that builds the DOM like nlohmann's own and also reports
// duplicate keys, which JSON allows but which would silently drop a value.
class Sax : public nlohmann::detail::json_sax_dom_parser<json> {
  using Base = nlohmann::detail::json_sax_dom_parser<json>;

 public:
  Sax(json& out, std::vector<RequestError>& errors) : Base(out, false), errors_(errors) {
    frames_.reserve(8);
  }

  bool start_object(std::size_t n) {
    frames_.push_back({});
    if (frames_.size() > limits::max_depth) return depth_error();
    return Base::start_object(n);
  }
  bool end_object() {
    if (!frames_.empty()) frames_.pop_back();
    return Base::end_object();
  }
  bool start_array(std::size_t n) {
    frames_.push_back({});
    frames_.back().is_array = true;
    if (frames_.size() > limits::max_depth) return depth_error();
    return Base::start_array(n);
  }
  bool end_array() {
    if (!frames_.empty()) frames_.pop_back();
    return Base::end_array();
  }
  bool key(std::string& k) {
    Frame& f = frames_.back();
    f.current = k;
    const bool repeated = !f.add_key(k);
    if (repeated && errors_.size() < limits::max_errors)
      errors_.push_back({path(), ErrorCode::inconsistent,
                         "duplicate field " + quote(k) + "; give each field once"});
    return Base::key(k);
  }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& ex) {
    if (ex.id == 406) {  // a number too large for a double (1e999): valid JSON, out of any range
      parse_failed_ = true;
      errors_.push_back(
          out_of_range(path(), "number too large (at byte " + std::to_string(position) + ")"));
      return false;
    }
    std::string what = ex.what();
    // nlohmann's message quotes the offending input; keep only its reason.
    auto colon = what.find("syntax error"sv);
    std::string reason = colon == std::string::npos ? "invalid JSON" : "syntax error";
    auto detail = what.find(": "sv, colon == std::string::npos ? 0 : colon);
    if (detail != std::string::npos) {
      std::string tail = what.substr(detail + 2);
      auto last_read = tail.find("; last read"sv);
      reason = tail.substr(0, last_read);
    }
    parse_failed_ = true;
    errors_.push_back({"", ErrorCode::malformed_json,
                       "malformed JSON at byte " + std::to_string(position) + ": " +
                           quote(reason).substr(1, std::string::npos)});
    errors_.back().message.pop_back();
    return false;
  }

  [[nodiscard]] bool failed() const { return parse_failed_; }

 private:
  // An object's keys so far. A real request object has a few dozen at most,
  // where a linear scan beats a tree; a hostile one with thousands of keys
  // moves to a set, so that the time stays O(n log n).
  struct Frame {
    static constexpr std::size_t kLinearKeys = 32;
    std::vector<std::string> seen;
    std::set<std::string> many;
    // False when the key was already there.
    bool add_key(const std::string& k) {
      if (many.empty()) {
        for (const std::string& s : seen)
          if (s == k) return false;
        seen.push_back(k);
        if (seen.size() > kLinearKeys) {
          many.insert(seen.begin(), seen.end());
          seen.clear();
        }
        return true;
      }
      return many.insert(k).second;
    }
    std::string current;
    bool is_array = false;
  };
  bool depth_error() {
    if (!parse_failed_)
      errors_.push_back({"", ErrorCode::out_of_range,
                         "nesting deeper than " + std::to_string(limits::max_depth) + " levels", 1,
                         static_cast<double>(limits::max_depth), false, "levels"});
    parse_failed_ = true;
    return false;
  }
  std::string path() const {
    std::string p;
    for (const Frame& f : frames_)
      if (!f.is_array)
        p += "/" + escape_token(f.current);
      else
        p += "/-";
    return p;
  }

  std::vector<RequestError>& errors_;
  std::vector<Frame> frames_;
  bool parse_failed_ = false;
};

// nlohmann's parser with the handler above: the DOM, or false with the
// errors located.
bool read_with_located_errors(std::string_view text, json& doc, std::vector<RequestError>& errors) {
  Sax sax(doc, errors);
  const bool ok =
      json::sax_parse(text.begin(), text.end(), &sax, nlohmann::detail::input_format_t::json, true);
  return ok && !sax.failed();
}

}  // namespace

Parsed parse_and_validate(std::string_view text) {
  Parsed out;
  // The whole text's size carries no bounds: the page and the Node module
  // answer it before the engine (web/engine-call.js) with this same object.
  if (text.size() > limits::max_request_bytes) {
    out.errors.push_back(
        {"", ErrorCode::out_of_range,
         "request larger than " + std::to_string(limits::max_request_bytes) + " bytes"});
    return out;
  }
  // The parser takes a NUL byte for the end of the text, so "{...}\0junk"
  // would pass; JSON never has a raw NUL (inside a string it is \u0000).
  if (auto nul = text.find('\0'); nul != std::string_view::npos) {
    out.errors.push_back({"", ErrorCode::malformed_json,
                          "malformed JSON at byte " + std::to_string(nul + 1) + ": NUL byte"});
    return out;
  }
  json doc;
  if (!read_with_located_errors(text, doc, out.errors)) {
    if (out.errors.empty()) out.errors.push_back({"", ErrorCode::malformed_json, "malformed JSON"});
    // Only the parse error matters when the text is not JSON at all.
    std::vector<RequestError> kept;
    for (auto& e : out.errors)
      if (e.path.empty() || e.code == ErrorCode::out_of_range) kept.push_back(std::move(e));
    out.errors = std::move(kept);
    return out;
  }
  if (!doc.is_object()) {
    out.errors.push_back(
        {"", ErrorCode::wrong_type, "the request must be a JSON object, got " + type_name(doc)});
    return out;
  }
  Validator v(out.errors);
  v.check(doc, schema(), Path{});
  out.doc = std::move(doc);
  return out;
}

std::string_view unit_of_field(std::string_view name) {
  // Longest suffixes first: "_cm_per_year" before "_cm" cannot clash, but
  // "_mg_dl" must be read before "_mg" would be.
  static constexpr std::pair<std::string_view, std::string_view> kSuffixes[] = {
      {"_percent_predicted", "% predicted"},
      {"_ml_per_year", "mL/year"},
      {"_cm_per_year", "cm/year"},
      {"_per_ul", "/\xC2\xB5L"},
      {"_ng_ml", "ng/mL"},
      {"_mg_dl", "mg/dL"},
      {"_g_dl", "g/dL"},
      {"_u_l", "U/L"},
      {"_years", "years"},
      {"_m2", "m\xC2\xB2"},
      {"_kg", "kg"},
      {"_cm", "cm"},
      {"_mm", "mm"},
      {"_mg", "mg"},
  };
  for (const auto& [suffix, unit] : kSuffixes)
    if (name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix)
      return unit;
  if (name.rfind("days_", 0) == 0) return "days";
  if (name.rfind("months_", 0) == 0) return "months";
  return "";
}

// ---- typed access ---------------------------------------------------------

Request::Request(const json& doc) : doc_(doc) {
  indication_ = str({"indication"}).value_or("");
}

const json& Request::node(std::initializer_list<std::string_view> path) const {
  static const json null_value;
  const json* cur = &doc_;
  for (std::string_view key : path) {
    if (!cur->is_object()) return null_value;
    auto it = cur->find(key);
    if (it == cur->end()) return null_value;
    cur = &*it;
  }
  return *cur;
}

std::optional<double> Request::num(std::initializer_list<std::string_view> path) const {
  const json& j = node(path);
  if (!j.is_number()) return std::nullopt;
  return j.get<double>();
}

std::optional<bool> Request::flag(std::initializer_list<std::string_view> path) const {
  const json& j = node(path);
  if (!j.is_boolean()) return std::nullopt;
  return j.get<bool>();
}

std::optional<std::string> Request::str(std::initializer_list<std::string_view> path) const {
  const json& j = node(path);
  if (!j.is_string()) return std::nullopt;
  return j.get<std::string>();
}

std::vector<std::string> Request::strings(std::initializer_list<std::string_view> path) const {
  std::vector<std::string> out;
  const json& j = node(path);
  if (!j.is_array()) return out;
  for (const json& e : j)
    if (e.is_string()) out.push_back(e.get<std::string>());
  return out;
}

std::string pointer(std::initializer_list<std::string_view> path) {
  std::string p;
  for (std::string_view key : path) p += "/" + escape_token(key);
  return p;
}

}  // namespace mtorcalc
