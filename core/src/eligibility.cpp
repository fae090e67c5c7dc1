#include "eligibility.hpp"

#include <array>

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

// A criterion's rule entry and its three texts (met, unmet, unknown),
// prepared once per criterion id: one lookup per criterion and request.
struct CriterionTexts {
  const RuleEntry* rule = nullptr;
  std::array<Fragment, 3> texts;  // by answer_index
};

const CriterionTexts& criterion_texts(std::string_view id, std::string_view code) {
  return prepared<CriterionTexts>(id, [&] {
    CriterionTexts t;
    t.rule = &rule_entry(id);
    const json& r = *t.rule->rule;
    auto text = [&](std::optional<bool> met) {
      ojson c = ojson::object();
      c["code"sv] = std::string(code);
      c["met"sv] = met ? ojson(*met) : ojson(nullptr);
      c["text"sv] = r.is_object() ? r.value("text"sv, std::string(code)) : std::string(code);
      c["refs"sv] = Ctx::refs_of(r);
      return make_fragment(std::string(code), c);
    };
    for (std::optional<bool> answer : kAnswers) t.texts[answer_index(answer)] = text(answer);
    return t;
  });
}

// "<scope>.<kind>.<code>" in a per-thread scratch string.
const std::string& scoped_id(std::string_view scope, std::string_view kind, std::string_view code) {
  thread_local std::string id;
  return join_key_into(id, {scope, kind, code}, '.');
}

}  // namespace

std::optional<bool> Eligibility::record(std::string_view code, std::optional<bool> met) {
  const CriterionTexts& t = criterion_texts(scoped_id(scope_, "criteria", code), code);
  ctx_.use_rule(*t.rule);
  if (!met)
    ++unknown_;
  else if (!*met)
    ++unmet_;
  criteria_.push_back(fragment_node(t.texts[answer_index(met)]));
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
  alternatives_.push_back(fragment_node(coded_text(id, code)));
}

void Eligibility::note(std::string_view code) {
  const std::string& id = scoped_id(scope_, "notes", code);
  if (!ctx_.rule(id).is_object()) return;
  notes_.push_back(fragment_node(coded_text(id, code)));
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
