// libFuzzer target for the engine's one entry point.
//
// Build: clang++ with -fsanitize=fuzzer,address,undefined (CMake option
// MTORCALC_FUZZ=ON, see scripts/fuzz). Besides crashes, leaks and undefined
// behaviour, every input is checked against the contract's invariants:
//   - the response is valid JSON, an object, and ASCII (each character
//     beyond it a \u escape);
//   - status is "ok" or "invalid_request";
//   - invalid_request has a non-empty errors array, each error with a string
//     path (JSON Pointer), a contract code and a message, and no clinical
//     section filled; ok has no errors;
//   - every id in any "refs" (or "<name>_refs") array appears in "references", and
//     "references" holds nothing else (each id once);
//   - the same input gives the same bytes a second time.
// A violated invariant aborts, so libFuzzer saves the input as a crash file.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>

#include "mtorcalc/engine.hpp"

namespace {

using json = nlohmann::json;

[[noreturn]] void violated(const char* what, const std::string& response) {
  std::fprintf(stderr, "INVARIANT VIOLATED: %s\nresponse (first 2000 bytes): %.2000s\n", what,
               response.c_str());
  std::abort();
}

void collect_refs(const json& j, std::set<std::string>& out, const std::string& response) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      // "refs", and the "<name>_refs" of derived values (bsa_refs, ...).
      const std::string& key = it.key();
      if (key == "refs" ||
          (key.size() > 5 && key.compare(key.size() - 5, 5, "_refs") == 0 && it->is_array())) {
        if (!it->is_array()) violated("a refs member is not an array", response);
        for (const auto& r : *it) {
          if (!r.is_string()) violated("a refs entry is not a string", response);
          out.insert(r.get<std::string>());
        }
      } else {
        collect_refs(*it, out, response);
      }
    }
  } else if (j.is_array()) {
    for (const auto& e : j) collect_refs(e, out, response);
  }
}

bool is_error_code(const json& c) {
  static const std::set<std::string> codes = {"malformed_json", "wrong_type",    "out_of_range",
                                              "unknown_value",  "unknown_field", "missing_required",
                                              "inconsistent"};
  return c.is_string() && codes.count(c.get<std::string>()) > 0;
}

void check(const std::string& response) {
  json r = json::parse(response, nullptr, /*allow_exceptions=*/false);
  if (r.is_discarded()) violated("response is not valid JSON", response);
  if (std::any_of(response.begin(), response.end(),
                  [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
    violated("response is not ASCII", response);
  if (!r.is_object()) violated("response is not an object", response);
  if (r.value("contract", "") != "mtor-calc/1") violated("contract is not mtor-calc/1", response);

  auto status = r.find("status");
  if (status == r.end() || !status->is_string()) violated("status missing", response);
  const std::string s = status->get<std::string>();
  auto errors = r.find("errors");
  if (errors == r.end() || !errors->is_array()) violated("errors is not an array", response);

  if (s == "invalid_request") {
    if (errors->empty()) violated("invalid_request without errors", response);
    for (const auto& e : *errors) {
      if (!e.is_object() || !e.contains("path") || !e["path"].is_string() ||
          !e.contains("message") || !e["message"].is_string() || !e.contains("code") ||
          !is_error_code(e["code"]))
        violated("malformed error entry", response);
      const std::string& p = e["path"].get_ref<const std::string&>();
      if (!p.empty() && p[0] != '/') violated("error path is not a JSON Pointer", response);
    }
    for (const char* k : {"eligibility", "regimen", "titration"})
      if (!r.contains(k) || !r[k].is_null())
        violated("invalid_request fills a clinical section", response);
    for (const char* k : {"toxicity", "interactions", "warnings", "monitoring", "references"})
      if (!r.contains(k) || !r[k].is_array() || !r[k].empty())
        violated("invalid_request fills a clinical list", response);
  } else if (s == "ok") {
    if (!errors->empty()) violated("ok with errors", response);
  } else {
    violated("status is neither ok nor invalid_request", response);
  }

  std::set<std::string> used;
  collect_refs(r, used, response);
  auto refs = r.find("references");
  if (refs == r.end() || !refs->is_array()) violated("references is not an array", response);
  std::set<std::string> listed;
  for (const auto& ref : *refs) {
    if (!ref.is_object() || !ref.contains("id") || !ref["id"].is_string())
      violated("reference without a string id", response);
    if (!listed.insert(ref["id"].get<std::string>()).second)
      violated("reference listed twice", response);
  }
  if (used != listed) violated("references differ from the ids used in refs", response);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string first = mtorcalc::evaluate(text);
  check(first);
  if (mtorcalc::evaluate(text) != first) violated("same request, different bytes", first);
  return 0;
}
