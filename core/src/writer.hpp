// The response writer: one pass over the response tree that serialises it,
// prints whole numbers without a fraction, names each reference once per
// "refs" list, and collects the reference ids in first-use order so that the
// "references" section can be appended from text prepared once per content.
//
// Writing was the largest cost of an evaluation (issue 7): this pass replaces
// three walks of the tree (normalise, collect, dump) and the rebuilding of
// every reference object per request.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "json.hpp"

namespace mtorcalc {

/// A piece of an answer prepared once per content: a warning, a monitoring
/// item, an expected-response line. Its text is written as it stands and its
/// reference ids are noted as if the writer had met them in the tree. Most of
/// an answer is such content, the same for every request that reaches it;
/// building and escaping it per request was most of an evaluation (issue 7).
struct Fragment {
  std::string code;               // the item's "code", for de-duplication
  std::string text;               // the item as JSON text
  std::vector<std::string> refs;  // reference ids in the order written
};

/// A response node standing for `f`, which must outlive every tree holding
/// it (fragments live in caches that last as long as the content). It is a
/// binary node: a parsed request never holds one, so a request cannot forge it.
[[nodiscard]] ojson fragment_node(const Fragment& f);

/// The fragment a node stands for; nullptr when it is not a fragment node.
[[nodiscard]] const Fragment* fragment_of(const ojson& node);

/// Prepares a fragment from a tree (the writer's own rules apply).
[[nodiscard]] Fragment make_fragment(std::string code, const ojson& item);

class ResponseWriter {
 public:
  /// `expected_bytes` reserves room for the text (an answer is ~16 KB); the
  /// small texts prepared once per content reserve nothing, since a string
  /// keeps its capacity when it is moved into a table.
  explicit ResponseWriter(std::size_t expected_bytes = 0) {
    out_.reserve(expected_bytes);
    // An answer cites a few dozen references; a fragment a handful.
    if (expected_bytes) ids_.reserve(64);
  }

  /// Writes `j` as JSON text, as nlohmann's dump(-1) with every character
  /// beyond ASCII escaped and invalid UTF-8 replaced, after the
  /// normalisation above.
  void write(const ojson& j);

  /// Writes an object's opening brace and members, leaving it open for
  /// more members and the closing brace.
  void write_members(const ojson& object);

  /// Writes a string value with JSON escaping, then `after` unless it is 0
  /// (a member's ':').
  void write_string(std::string_view s, char after = 0);

  /// Appends text that is already JSON.
  void raw(std::string_view text) { out_.append(text); }

  /// The reference ids met in "refs" / "<name>_refs" lists so far, in order.
  [[nodiscard]] const std::vector<std::string_view>& reference_ids() const { return ids_; }

  /// Writes a prepared fragment and notes its reference ids.
  void write_fragment(const Fragment& f);

  /// Notes a reference id met outside the tree; `id` must outlive the writer.
  void note_reference(std::string_view id);

  /// Appends the "references" array for the ids met so far.
  void write_references();

  /// The text written so far; the writer starts a new text (the reference
  /// ids met are kept).
  [[nodiscard]] std::string take() {
    std::string text = std::move(out_);
    out_.clear();
    return text;
  }

 private:
  void write_refs_list(const ojson& list);
  // Writes a code point as the JSON escape \uXXXX, or as a surrogate pair
  // beyond U+FFFF.
  void write_code_point(std::uint32_t cp);
  // Writes a whole number, digits only (std::to_chars: no string made).
  template <class Integer>
  void write_integer(Integer v);

  std::string out_;
  std::vector<std::string_view> ids_;  // point into the tree being written
};

}  // namespace mtorcalc
