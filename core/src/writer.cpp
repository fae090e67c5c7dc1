#include "writer.hpp"

#include <cmath>
#include <cstdint>

#include "content.hpp"

namespace mtorcalc {

using namespace std::string_view_literals;

namespace {

bool is_refs_key(std::string_view key) {
  return key == "refs"sv || (key.size() > 5 && key.substr(key.size() - 5) == "_refs"sv);
}

void note_reference(const std::string& id, std::vector<std::string>& ids) {
  for (const std::string& seen : ids)
    if (seen == id) return;
  ids.push_back(id);
}

// Each entry once, in first-use order.
void normalise_refs(ojson& list, std::vector<std::string>& ids) {
  ojson kept = ojson::array();
  for (ojson& e : list) {
    bool repeat = false;
    for (const ojson& k : kept) repeat = repeat || k == e;
    if (repeat) continue;
    if (e.is_string())
      note_reference(e.get_ref<const std::string&>(), ids);
    else
      normalise(e, ids);
    kept.push_back(std::move(e));
  }
  list = std::move(kept);
}

// nlohmann escapes DEL (U+007F) when writing ASCII; JSON does not ask for
// it, and answers carry it as it is.
void unescape_del(std::string& text) {
  constexpr std::string_view del = "\\u007f";
  if (text.find(del) == std::string::npos) return;
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] != '\\') {
      out += text[i++];
    } else if (text.compare(i, del.size(), del) == 0) {
      out += '\x7f';
      i += del.size();
    } else {
      out.append(text, i, 2);  // an escape pair: its second character is not a new escape
      i += 2;
    }
  }
  text = std::move(out);
}

}  // namespace

void normalise(ojson& j, std::vector<std::string>& reference_ids) {
  switch (j.type()) {
    case ojson::value_t::object:
      for (auto it = j.begin(); it != j.end(); ++it) {
        if (it->is_array() && is_refs_key(it.key()))
          normalise_refs(*it, reference_ids);
        else
          normalise(*it, reference_ids);
      }
      return;
    case ojson::value_t::array:
      for (ojson& e : j) normalise(e, reference_ids);
      return;
    case ojson::value_t::number_float: {
      const double x = j.get<double>();
      if (!std::isfinite(x))
        j = nullptr;
      else if (x == std::floor(x) && std::fabs(x) < 9007199254740992.0)
        j = static_cast<std::int64_t>(x);
      return;
    }
    default:
      return;
  }
}

ojson references_of(const std::vector<std::string>& reference_ids) {
  ojson out = ojson::array();
  for (const std::string& id : reference_ids) {
    const json& ref = content::member("references", id);
    ojson r = ojson::object();
    r["id"] = id;
    if (!ref.is_object()) {
      r["title"] = "(missing reference)";  // caught by the content tests; answered, not dropped
    } else {
      for (const char* k : {"title", "source", "section", "date", "verification", "note"}) {
        auto f = ref.find(k);
        if (f != ref.end() && f->is_string()) r[k] = *f;
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::string dump_answer(const ojson& j) {
  std::string text = j.dump(-1, ' ', true, nlohmann::detail::error_handler_t::replace);
  unescape_del(text);
  return text;
}

}  // namespace mtorcalc
