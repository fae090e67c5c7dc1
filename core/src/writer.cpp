#include "writer.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "content.hpp"
#include "prepared.hpp"
#include "text_scan.hpp"

namespace mtorcalc {

using namespace std::string_view_literals;

namespace {

using text::attention_mask;
using text::decode_utf8;
using text::first_attention;
using text::kByteClass;
using text::needs_attention;
using text::utf8_length;

// A reference's response object, {id, title, source, section, date,
// verification, note}, serialised on first use and kept: references are the
// largest part of an answer and never depend on the request. Each is read
// from its own member of references.json, so a first answer parses only the
// references it cites (prepared.hpp). Empty when the content has no such
// reference.
const std::string& reference_text(std::string_view id) {
  thread_local std::string scratch;
  return prepared<std::string>(join_key_into(scratch, {"reference", id}), [&] {
    const json& ref = content::member("references", id);
    if (!ref.is_object()) return std::string();
    ResponseWriter w;
    w.raw("{\"id\":");
    w.write_string(id);
    for (const char* k : {"title", "source", "section", "date", "verification", "note"}) {
      auto f = ref.find(k);
      if (f == ref.end() || !f->is_string()) continue;
      w.raw(",\"");
      w.raw(k);
      w.raw("\":");
      w.write_string(f->get_ref<const std::string&>());
    }
    w.raw("}");
    return w.take();
  });
}

// True when `key` names a list of reference ids ("refs", "bsa_refs", ...).
bool is_refs_key(std::string_view key) {
  return key == "refs"sv || (key.size() > 5 && key.substr(key.size() - 5) == "_refs"sv);
}

// Fragment nodes: a binary node of this subtype holding the fragment's address.
constexpr std::uint8_t kFragmentSubtype = 0x4d;  // 'M'

}  // namespace

ojson fragment_node(const Fragment& f) {
  const Fragment* address = &f;
  ojson::binary_t::container_type bytes(sizeof address);
  std::memcpy(bytes.data(), &address, sizeof address);
  return ojson::binary(std::move(bytes), kFragmentSubtype);
}

const Fragment* fragment_of(const ojson& node) {
  if (!node.is_binary()) return nullptr;
  const auto& b = node.get_binary();
  const Fragment* address = nullptr;
  if (!b.has_subtype() || b.subtype() != kFragmentSubtype || b.size() != sizeof address)
    return nullptr;
  std::memcpy(&address, b.data(), sizeof address);
  return address;
}

Fragment make_fragment(std::string code, const ojson& item) {
  ResponseWriter w;
  w.write(item);
  Fragment f;
  f.code = std::move(code);
  for (std::string_view id : w.reference_ids()) f.refs.emplace_back(id);
  f.text = w.take();
  return f;
}

void ResponseWriter::write_fragment(const Fragment& f) {
  out_ += f.text;
  for (const std::string& id : f.refs) note_reference(id);
}

template <class Integer>
void ResponseWriter::write_integer(Integer v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, static_cast<std::size_t>(r.ptr - buf));
}

void ResponseWriter::write_code_point(std::uint32_t cp) {
  static const char hex[] = "0123456789abcdef";
  auto unit = [&](std::uint32_t u) {
    const char esc[6] = {
        '\\', 'u', hex[(u >> 12) & 0xF], hex[(u >> 8) & 0xF], hex[(u >> 4) & 0xF], hex[u & 0xF]};
    out_.append(esc, 6);
  };
  if (cp < 0x10000) {
    unit(cp);
    return;
  }
  cp -= 0x10000;
  unit(0xD800 + (cp >> 10));
  unit(0xDC00 + (cp & 0x3FF));
}

void ResponseWriter::write_string(std::string_view s, char after) {
  // A short string that needs no escape (a key, a code, a unit: most
  // strings of an answer) is written, quotes and all, with one append. Its
  // bytes are checked as one word padded with spaces.
  constexpr std::size_t kShort = 24;
  if (s.size() <= kShort) {
    std::uint64_t words[kShort / 8];
    std::memset(words, ' ', sizeof words);
    std::memcpy(words, s.data(), s.size());
    bool plain = true;
    for (std::size_t k = 0; k * 8 < s.size(); ++k) plain = plain && !needs_attention(words[k]);
    if (plain) {
      char buf[kShort + 3] = {'"'};
      std::memcpy(buf + 1, s.data(), s.size());
      std::size_t n = s.size() + 1;
      buf[n++] = '"';
      if (after) buf[n++] = after;
      out_.append(buf, n);
      return;
    }
  }
  const std::size_t start = out_.size();
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  out_ += '"';
  std::size_t run = 0, i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    // Eight plain bytes at a time: most of an answer's text needs no escape.
    // A tail shorter than a word is checked as the string's last eight
    // bytes: they overlap bytes already passed, so a clean word means a
    // clean tail (a byte already escaped there only sends it byte by byte).
    if (i + 8 <= n || n >= 8) {
      const bool tail = i + 8 > n;
      const std::size_t from = tail ? n - 8 : i;
      std::uint64_t word;
      std::memcpy(&word, p + from, sizeof word);
      const std::uint64_t mask = attention_mask(word);
      if (mask == 0) {
        i = tail ? n : i + 8;
        continue;
      }
      // The bytes before the first that needs attention are plain (a tail's
      // first hit may lie before i, among bytes already passed).
      i = std::max(i, from + first_attention(mask));
    }
    const unsigned char c = p[i];
    const std::uint8_t k = kByteClass[c];
    if (k == 0) {
      ++i;
      continue;
    }
    if (k == 2) {
      const std::size_t len = utf8_length(p + i, end);
      if (len == 0) {
        // Not valid UTF-8 (it cannot come from a validated request or the
        // content): nlohmann's own replacement rules, never a throw.
        out_.resize(start);
        out_ +=
            ojson(std::string(s)).dump(-1, ' ', true, nlohmann::detail::error_handler_t::replace);
        if (after) out_ += after;
        return;
      }
      // Every answer is ASCII: a character beyond it is written as its
      // \u escape (two, a surrogate pair, beyond U+FFFF). The JSON is the
      // same; a browser or Node decodes 16 KB of ASCII about ten times
      // faster than the same text with a few dozen UTF-8 characters (issue 7).
      out_.append(s.data() + run, i - run);
      write_code_point(decode_utf8(p + i, len));
      run = i += len;
      continue;
    }
    out_.append(s.data() + run, i - run);
    switch (c) {
      case '"':
        out_ += "\\\"";
        break;
      case '\\':
        out_ += "\\\\";
        break;
      case '\b':
        out_ += "\\b";
        break;
      case '\f':
        out_ += "\\f";
        break;
      case '\n':
        out_ += "\\n";
        break;
      case '\r':
        out_ += "\\r";
        break;
      case '\t':
        out_ += "\\t";
        break;
      default:
        write_code_point(c);  // another control character: \u00XX
    }
    run = ++i;
  }
  out_.append(s.data() + run, s.size() - run);
  out_ += '"';
  if (after) out_ += after;
}

void ResponseWriter::note_reference(std::string_view id) {
  for (std::string_view seen : ids_)
    if (seen == id) return;
  ids_.push_back(id);
}

// A list of reference ids: each written once, in first-use order, and noted
// for the "references" section.
void ResponseWriter::write_refs_list(const ojson& list) {
  out_ += '[';
  bool first = true;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const ojson& e = list[i];
    bool repeat = false;
    for (std::size_t k = 0; k < i && !repeat; ++k) repeat = list[k] == e;
    if (repeat) continue;
    if (!first) out_ += ',';
    first = false;
    if (e.is_string()) {
      const std::string& id = e.get_ref<const std::string&>();
      note_reference(id);
      write_string(id);
    } else {
      write(e);
    }
  }
  out_ += ']';
}

void ResponseWriter::write_members(const ojson& object) {
  out_ += '{';
  bool first = true;
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (!first) out_ += ',';
    first = false;
    write_string(it.key(), ':');
    if (it->is_array() && is_refs_key(it.key()))
      write_refs_list(*it);
    else
      write(*it);
  }
}

void ResponseWriter::write(const ojson& j) {
  switch (j.type()) {
    case ojson::value_t::object:
      write_members(j);
      out_ += '}';
      return;
    case ojson::value_t::array: {
      out_ += '[';
      bool first = true;
      for (const auto& e : j) {
        if (!first) out_ += ',';
        first = false;
        write(e);
      }
      out_ += ']';
      return;
    }
    case ojson::value_t::string:
      write_string(j.get_ref<const std::string&>());
      return;
    case ojson::value_t::boolean:
      out_ += j.get<bool>() ? "true" : "false";
      return;
    case ojson::value_t::null:
      out_ += "null";
      return;
    case ojson::value_t::number_integer:
      write_integer(j.get<std::int64_t>());
      return;
    case ojson::value_t::number_unsigned:
      write_integer(j.get<std::uint64_t>());
      return;
    case ojson::value_t::number_float: {
      // Whole numbers print without a fraction ("10", not "10.0") so that
      // every entry point and every reader sees the same plain numbers.
      const double x = j.get<double>();
      if (!std::isfinite(x)) {
        out_ += "null";
      } else if (x == std::floor(x) && std::fabs(x) < 9007199254740992.0) {
        write_integer(static_cast<std::int64_t>(x));
      } else {
        char buf[64];
        char* e = nlohmann::detail::to_chars(buf, buf + sizeof buf, x);
        out_.append(buf, e);
      }
      return;
    }
    case ojson::value_t::binary:
      if (const Fragment* f = fragment_of(j)) {
        write_fragment(*f);
        return;
      }
      [[fallthrough]];
    default:
      out_ += j.dump(-1, ' ', true, nlohmann::detail::error_handler_t::replace);
      return;
  }
}

void ResponseWriter::write_references() {
  out_ += '[';
  bool first = true;
  for (std::string_view id : ids_) {
    if (!first) out_ += ',';
    first = false;
    const std::string& text = reference_text(id);
    if (!text.empty()) {
      out_ += text;
    } else {
      // Caught by the content tests; answered rather than dropped.
      out_ += "{\"id\":";
      write_string(id);
      out_ += ",\"title\":\"(missing reference)\"}";
    }
  }
  out_ += ']';
}

}  // namespace mtorcalc
