// From a response tree to an answer's text. The tree is normalised, then
// dumped once by nlohmann as compact ASCII JSON.
#pragma once

#include <string>
#include <vector>

#include "json.hpp"

namespace mtorcalc {

/// Normalises a response tree in place, visiting it in the order it is
/// written: a whole-number double becomes an integer ("10", not "10.0", the
/// same number for every reader), a non-finite one null, and a list of
/// reference ids ("refs", "<name>_refs") names each id once. The ids met are
/// appended to `reference_ids` in first-use order, each once.
void normalise(ojson& j, std::vector<std::string>& reference_ids);

/// The "references" section for these ids: each reference's object from
/// content/references.json ({id, title, source, section, date,
/// verification, note}, the members it has).
[[nodiscard]] ojson references_of(const std::vector<std::string>& reference_ids);

/// The text of `j`: compact, every character beyond ASCII a \u escape (a
/// page decodes ASCII text faster), invalid UTF-8 replaced, never a throw.
[[nodiscard]] std::string dump_answer(const ojson& j);

}  // namespace mtorcalc
