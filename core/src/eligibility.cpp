#include "eligibility.hpp"

namespace mtorcalc {

using namespace std::string_view_literals;

std::string_view to_string(Status s) {
  switch (s) {
    case Status::indicated:
      return "indicated";
    case Status::consider:
      return "consider";
    case Status::not_indicated:
      return "not_indicated";
    case Status::contraindicated:
      return "contraindicated";
    case Status::insufficient_data:
      return "insufficient_data";
  }
  return "insufficient_data";
}

namespace {

std::string scoped_id(std::string_view scope, std::string_view kind, std::string_view code) {
  return std::string(scope) + "." + std::string(kind) + "." + std::string(code);
}

}  // namespace

std::optional<bool> Eligibility::record(std::string_view code, std::optional<bool> met) {
  const json& r = ctx_.rule(scoped_id(scope_, "criteria", code));
  if (!met)
    ++unknown_;
  else if (!*met)
    ++unmet_;
  ojson c = ojson::object();
  c["code"sv] = code;
  c["met"sv] = met ? ojson(*met) : ojson(nullptr);
  c["text"sv] = r.is_object() ? r.value("text"sv, std::string(code)) : std::string(code);
  c["refs"sv] = Ctx::refs_of(r);
  criteria_.push_back(std::move(c));
  return met;
}

std::optional<bool> Eligibility::criterion(std::string_view code, std::optional<bool> met,
                                           std::initializer_list<std::string_view> missing) {
  if (!met)
    for (std::string_view m : missing) this->missing(std::string(m));
  return record(code, met);
}

std::optional<bool> Eligibility::criterion(std::string_view code, std::optional<bool> met,
                                           std::vector<std::string> missing) {
  if (!met)
    for (auto& m : missing) this->missing(std::move(m));
  return record(code, met);
}

void Eligibility::missing(std::string pointer) {
  for (const auto& m : missing_)
    if (is_string_equal(m, pointer)) return;
  missing_.push_back(std::move(pointer));
}

void Eligibility::alternative(std::string_view code) {
  // The indication's own text first, then the drug's.
  std::string id = scoped_id(scope_, "alternatives", code);
  if (!ctx_.rule(id).is_object()) {
    id = drug_ + ".alternatives." + std::string(code);
    if (!ctx_.rule(id).is_object()) return;
  }
  if (list_has_code(alternatives_, code)) return;
  alternatives_.push_back(coded_text(id, code));
}

void Eligibility::note(std::string_view code) {
  const std::string id = scoped_id(scope_, "notes", code);
  if (!ctx_.rule(id).is_object()) return;
  notes_.push_back(coded_text(id, code));
}

void Eligibility::finish(Status status) {
  // Inputs a derived value lacks and the dose depends on (Child-Pugh
  // components that could still change the class) are lacking for this
  // question too.
  if (auto cp = ctx_.derived.find("child_pugh"sv); cp != ctx_.derived.end()) {
    if (auto m = cp->find("missing"); m != cp->end() && m->is_array())
      for (const auto& pointer : *m)
        if (pointer.is_string()) missing(pointer.get<std::string>());
  }
  ojson e = ojson::object();
  e["status"sv] = std::string(to_string(status));
  e["drug"sv] = drug_.empty() ? ojson(nullptr) : ojson(drug_);
  e["criteria"sv] = std::move(criteria_);
  e["missing"sv] = std::move(missing_);
  e["alternatives"sv] = std::move(alternatives_);
  e["notes"sv] = std::move(notes_);
  const json& scope = content::at(scope_);
  e["refs"sv] = Ctx::refs_of(scope);
  ctx_.eligibility = std::move(e);
}

}  // namespace mtorcalc
