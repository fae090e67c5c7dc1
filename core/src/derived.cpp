#include "derived.hpp"

#include <algorithm>
#include <array>
#include <cmath>

// GCC 12 reports std::optional<double> captured by lambdas as "maybe
// uninitialized" (a known false positive, GCC PR 80635); every read below is
// guarded by has_value().
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace mtorcalc {

using namespace std::string_view_literals;

std::optional<double> bsa_by_formula(std::string_view formula, double weight_kg, double height_cm) {
  const json& f = content::at("calculators.bsa." + std::string(formula));
  if (!f.is_object()) return std::nullopt;
  double k = f["constant"sv].get<double>();
  double a = f["height_exponent"sv].get<double>();
  double b = f["weight_exponent"sv].get<double>();
  return k * std::pow(height_cm, a) * std::pow(weight_kg, b);
}

double corrected_calcium_mg_dl(double calcium_mg_dl, double albumin_g_dl) {
  const json& c = content::at("calculators.corrected_calcium");
  double factor = c["factor"sv].get<double>();
  double normal = c["normal_albumin_g_dl"sv].get<double>();
  return calcium_mg_dl + factor * (normal - albumin_g_dl);
}

namespace {

std::optional<double> first_num(const Request& req, std::initializer_list<std::string_view> a,
                                std::initializer_list<std::string_view> b) {
  auto v = req.num(a);
  return v ? v : req.num(b);
}

// Points for one Child-Pugh component from its content bands.
std::optional<int> points_numeric(const json& bands, std::optional<double> value,
                                  const Request& req) {
  if (!value) return std::nullopt;
  BandResult r = first_band(bands, *value, req);
  if (!r.band) return std::nullopt;
  return (*r.band)["points"sv].get<int>();
}

std::optional<int> points_category(const json& table, std::optional<std::string> value) {
  if (!value || !table.contains(*value)) return std::nullopt;
  return table[*value].get<int>();
}

std::string class_for_score(int score) {
  for (const json& c : content::at("calculators.child_pugh.classes")) {
    if (score >= c["min"sv].get<int>() && score <= c["max"sv].get<int>())
      return c["class"sv].get<std::string>();
  }
  return "";
}

// A score factor: present (true/false) or unknown (null) with the request
// paths it lacks (at most three: a value, albumin, a limit; constants below).
struct Factor {
  std::string_view code;
  std::optional<bool> present;
  std::array<std::string_view, 3> missing{};
  std::size_t missing_count = 0;

  void lacks(std::string_view pointer) { missing[missing_count++] = pointer; }
};

// A score's response object (without its group, which each score reads its
// own way) and the factor counts the group is read from.
struct ScoreResult {
  ojson json;
  int present_min = 0;
  int present_max = 0;
};

template <std::size_t N>
ScoreResult score_json(Ctx& ctx, std::string_view score_id, const Factor (&factors)[N]) {
  const json& s = ctx.rule("scores." + std::string(score_id));
  int present = 0, unknown = 0;
  ojson detail = ojson::array();
  detail.get_ref<ojson::array_t&>().reserve(N);
  ojson missing = ojson::array();
  for (std::size_t i = 0; i < N; ++i) {
    const Factor& f = factors[i];
    if (f.present == std::optional<bool>(true)) ++present;
    if (!f.present) ++unknown;
    ojson d = ojson::object();
    d["code"sv] = f.code;
    d["present"sv] = f.present ? ojson(*f.present) : ojson(nullptr);
    d["text"sv] = s["factors"sv][std::string(f.code)]["text"sv].template get<std::string>();
    detail.push_back(std::move(d));
    for (std::size_t i = 0; i < f.missing_count; ++i) {
      const std::string_view m = f.missing[i];
      bool dup = false;
      for (const auto& x : missing) dup = dup || is_string_equal(x, m);
      if (!dup) missing.push_back(std::string(m));
    }
  }
  ScoreResult r;
  r.json = ojson::object();
  r.json["factors"sv] = present;
  r.json["factors_unknown"sv] = unknown;
  r.json["factor_detail"sv] = std::move(detail);
  r.json["missing"sv] = std::move(missing);
  r.json["refs"sv] = Ctx::refs_of(s);
  r.present_min = present;
  r.present_max = present + unknown;
  return r;
}

// The limits and groups of the three RCC scores (content "scores"), read
// once: every RCC answer scores all three.
struct RccScoreContent {
  double imdc_karnofsky_lt = 0, imdc_months_lt = 0;
  double mskcc_karnofsky_lt = 0, mskcc_months_lt = 0, mskcc_ldh_uln_times = 0,
         mskcc_calcium_gt_mg_dl = 0;
  double arcc_ldh_uln_times = 0, arcc_calcium_gt_mg_dl = 0, arcc_months_lt = 0,
         arcc_karnofsky_min = 0, arcc_karnofsky_max = 0, arcc_sites_gt = 0;
  int arcc_poor_risk_min_factors = 0;
  const json* imdc_groups = nullptr;
  const json* mskcc_groups = nullptr;
};

const RccScoreContent& rcc_score_content() {
  static const RccScoreContent content = [] {
    const json& sc = content::at("scores");
    const json &imdc = sc["imdc"sv], &msk = sc["mskcc"sv], &arcc = sc["arcc"sv];
    RccScoreContent c;
    c.imdc_karnofsky_lt = imdc["factors"sv]["karnofsky"sv]["lt"sv].get<double>();
    c.imdc_months_lt = imdc["factors"sv]["diagnosis_to_treatment"sv]["lt_months"sv].get<double>();
    c.imdc_groups = &imdc["groups"sv];
    c.mskcc_karnofsky_lt = msk["factors"sv]["karnofsky"sv]["lt"sv].get<double>();
    c.mskcc_months_lt = msk["factors"sv]["diagnosis_to_treatment"sv]["lt_months"sv].get<double>();
    c.mskcc_ldh_uln_times = msk["factors"sv]["ldh"sv]["gt_uln_times"sv].get<double>();
    c.mskcc_calcium_gt_mg_dl = msk["factors"sv]["corrected_calcium"sv]["gt_mg_dl"sv].get<double>();
    c.mskcc_groups = &msk["groups"sv];
    c.arcc_ldh_uln_times = arcc["factors"sv]["ldh"sv]["gt_uln_times"sv].get<double>();
    c.arcc_calcium_gt_mg_dl = arcc["factors"sv]["corrected_calcium"sv]["gt_mg_dl"sv].get<double>();
    c.arcc_months_lt = arcc["factors"sv]["diagnosis_to_treatment"sv]["lt_months"sv].get<double>();
    c.arcc_karnofsky_min = arcc["factors"sv]["karnofsky"sv]["min"sv].get<double>();
    c.arcc_karnofsky_max = arcc["factors"sv]["karnofsky"sv]["max"sv].get<double>();
    c.arcc_sites_gt = arcc["factors"sv]["metastatic_sites"sv]["gt"sv].get<double>();
    c.arcc_poor_risk_min_factors = arcc["poor_risk_min_factors"sv].get<int>();
    return c;
  }();
  return content;
}

std::string group_for(const json& groups, int count) {
  for (const json& g : groups)
    if (count >= g["min"sv].get<int>() && count <= g["max"sv].get<int>())
      return g["group"sv].get<std::string>();
  return "";
}

// The lowest and highest points a component's content table can give.
std::pair<int, int> points_span(const json& table) {
  int lo = 0, hi = 0;
  auto take = [&](int p) {
    lo = lo == 0 ? p : std::min(lo, p);
    hi = std::max(hi, p);
  };
  if (table.is_array())
    for (const json& band : table) take(band["points"sv].get<int>());
  else if (table.is_object())
    for (const auto& [name, points] : table.items()) take(points.get<int>());
  return {lo, hi};
}

// One Child-Pugh component: its content table, the span of points it can
// give, and where the request holds it.
struct Component {
  const json* table = nullptr;
  std::pair<int, int> span;
  std::string_view pointer;
};

// The five components' tables from content "calculators.child_pugh", read
// once: every request scores them (the consistency check, the derived value
// and the range all need them), and the spans never change.
struct ChildPughTables {
  Component bilirubin, albumin, inr, ascites, encephalopathy;
};

const ChildPughTables& child_pugh_tables() {
  static const ChildPughTables tables = [] {
    const json& cp = content::at("calculators.child_pugh");
    auto component = [&](const char* key, std::string_view pointer) {
      const json& table = cp[key];
      return Component{&table, points_span(table), pointer};
    };
    return ChildPughTables{component("bilirubin_mg_dl", "/patient/hepatic/bilirubin_mg_dl"),
                           component("albumin_g_dl", "/patient/hepatic/albumin_g_dl"),
                           component("inr", "/patient/hepatic/inr"),
                           component("ascites", "/patient/hepatic/ascites"),
                           component("encephalopathy", "/patient/hepatic/encephalopathy")};
  }();
  return tables;
}

// The five components' points: each given one counts its points, each
// missing one its lowest and highest (so a complete set has min == max).
ChildPughRange score_components(const Request& req, int& known) {
  const ChildPughTables& t = child_pugh_tables();
  auto bili = first_num(req, {"patient", "hepatic", "bilirubin_mg_dl"},
                        {"patient", "labs", "bilirubin_mg_dl"});
  auto alb =
      first_num(req, {"patient", "hepatic", "albumin_g_dl"}, {"patient", "labs", "albumin_g_dl"});
  struct Part {
    std::optional<int> points;
    const Component& component;
  };
  const Part parts[] = {
      {points_numeric(*t.bilirubin.table, bili, req), t.bilirubin},
      {points_numeric(*t.albumin.table, alb, req), t.albumin},
      {points_numeric(*t.inr.table, req.num({"patient", "hepatic", "inr"}), req), t.inr},
      {points_category(*t.ascites.table, req.str({"patient", "hepatic", "ascites"})), t.ascites},
      {points_category(*t.encephalopathy.table, req.str({"patient", "hepatic", "encephalopathy"})),
       t.encephalopathy},
  };
  ChildPughRange r;
  known = 0;
  r.missing.reserve(static_cast<std::size_t>(
      std::count_if(std::begin(parts), std::end(parts), [](const Part& p) { return !p.points; })));
  for (const Part& part : parts) {
    if (part.points) {
      ++known;
      r.min_score += *part.points;
      r.max_score += *part.points;
    } else {
      r.min_score += part.component.span.first;
      r.max_score += part.component.span.second;
      r.missing.push_back(part.component.pointer);
    }
  }
  return r;
}

}  // namespace

std::optional<ChildPughRange> child_pugh_range(const Request& req) {
  int known = 0;
  ChildPughRange r = score_components(req, known);
  if (known == 0 || r.missing.empty()) return std::nullopt;
  return r;
}

std::optional<ChildPugh> child_pugh_from_components(const Request& req) {
  int known = 0;
  const ChildPughRange all = score_components(req, known);
  if (!all.missing.empty()) return std::nullopt;
  ChildPugh r;
  r.score = all.min_score;
  r.klass = class_for_score(r.score);
  return r;
}

Derived compute_derived(Ctx& ctx) {
  const Request& req = ctx.req;
  Derived d;
  ojson& out = ctx.derived;

  // Body-surface area: the clinician's own value wins; otherwise the formula
  // chosen (Mosteller by default) from weight and height.
  std::string formula = req.str({"patient", "bsa_formula"})
                            .value_or(content::at("calculators.bsa.default").get<std::string>());
  if (auto given = req.num({"patient", "bsa_m2"})) {
    d.bsa_m2 = round_to(*given, 2);
    out["bsa_m2"sv] = *d.bsa_m2;
    out["bsa_formula"sv] = "given";
    // The clinician's value is used, but the value from weight and height
    // is shown beside it, so that a slip (a BSA from another patient, height
    // in inches) is visible on the page rather than hidden in the dose.
    if (auto w = req.num({"patient", "weight_kg"}), h = req.num({"patient", "height_cm"}); w && h)
      if (auto bsa = bsa_by_formula(formula, *w, *h)) {
        out["bsa_m2_from_weight_height"sv] = round_to(*bsa, 2);
        out["bsa_formula_for_comparison"sv] = formula;
      }
  } else if (auto w = req.num({"patient", "weight_kg"}), h = req.num({"patient", "height_cm"});
             w && h) {
    if (auto bsa = bsa_by_formula(formula, *w, *h)) {
      const json& f = ctx.rule("calculators.bsa." + formula);
      d.bsa_m2 = round_to(*bsa, 2);
      out["bsa_m2"sv] = *d.bsa_m2;
      out["bsa_formula"sv] = formula;
      out["bsa_formula_text"sv] = f["text"sv].get<std::string>();
      out["bsa_refs"sv] = Ctx::refs_of(f);
    }
  }

  // Child-Pugh: from the five components when all are given, else the class.
  // The components are scored once here (child_pugh_from_components and
  // child_pugh_range are the same scoring, seen two ways).
  auto given_class = req.str({"patient", "hepatic", "child_pugh_class"});
  int known_components = 0;
  const ChildPughRange components = score_components(req, known_components);
  if (components.missing.empty()) {
    const json& r = ctx.rule("calculators.child_pugh");
    d.child_pugh_score = components.min_score;
    d.child_pugh_class = class_for_score(components.min_score);
    out["child_pugh"sv] = {{"score", components.min_score},
                           {"class", *d.child_pugh_class},
                           {"from", "components"},
                           {"refs", Ctx::refs_of(r)}};
  } else if (given_class) {
    d.child_pugh_class = *given_class;
    out["child_pugh"sv] = {{"score", nullptr}, {"class", *given_class}, {"from", "class_given"}};
  } else if (known_components > 0) {
    // Some components are missing but those given already rule out the first
    // class (bilirubin 3.5 and albumin 2.5 are 6 points before the other
    // three): the patient has hepatic impairment, and a full dose would be
    // wrong whatever the rest. The dose follows the worst class the missing
    // components allow; when they could still change the class the answer
    // says so and lists them (contract: what is lacking is reported, never
    // guessed). When the first class is still possible nothing is inferred.
    const json& r = ctx.rule("calculators.child_pugh");
    const std::string first = r["classes"sv][0]["class"sv].get<std::string>();
    const std::string lo = class_for_score(components.min_score),
                      hi = class_for_score(components.max_score);
    if (!lo.empty() && !hi.empty() && lo != first) {
      d.child_pugh_class = hi;
      ojson missing = ojson::array();
      if (lo != hi)
        for (std::string_view m : components.missing) missing.push_back(std::string(m));
      out["child_pugh"sv] = {{"score", nullptr},
                             {"score_min", components.min_score},
                             {"score_max", components.max_score},
                             {"class", hi},
                             {"class_range", ojson::array({lo, hi})},
                             {"from", lo == hi ? "components_partial" : "components_partial_worst"},
                             {"missing", std::move(missing)},
                             {"refs", Ctx::refs_of(r)}};
      if (lo != hi) ctx.warn("", "child_pugh_incomplete");
    }
  }

  // Corrected calcium (albumin from the labs, else from the hepatic panel).
  auto ca = req.num({"patient", "labs", "calcium_mg_dl"});
  auto alb =
      first_num(req, {"patient", "labs", "albumin_g_dl"}, {"patient", "hepatic", "albumin_g_dl"});
  if (ca && alb) {
    const json& r = ctx.rule("calculators.corrected_calcium");
    d.corrected_calcium_mg_dl = round_to(corrected_calcium_mg_dl(*ca, *alb), 2);
    out["corrected_calcium_mg_dl"sv] = *d.corrected_calcium_mg_dl;
    out["corrected_calcium_formula"sv] = r["text"sv].get<std::string>();
    out["corrected_calcium_refs"sv] = Ctx::refs_of(r);
  }

  // AML growth: given directly, or from two measurements.
  if (auto g = req.num({"condition", "aml", "growth_cm_per_year"})) {
    d.aml_growth_cm_per_year = round_to(*g, 2);
  } else {
    auto now = req.num({"condition", "aml", "largest_diameter_cm"});
    auto before = req.num({"condition", "aml", "previous_largest_diameter_cm"});
    auto months = req.num({"condition", "aml", "months_between_measurements"});
    if (now && before && months && *months > 0) {
      const json& r = ctx.rule("calculators.aml_growth");
      d.aml_growth_cm_per_year =
          round_to((*now - *before) * r["months_per_year"sv].get<double>() / *months, 2);
    }
  }
  if (d.aml_growth_cm_per_year) out["aml_growth_cm_per_year"sv] = *d.aml_growth_cm_per_year;

  // RCC prognostic scores, whenever any of their inputs is present.
  auto kps = req.num({"patient", "karnofsky"});
  auto months_dx = req.num({"condition", "rcc", "months_since_diagnosis"});
  auto hb = req.num({"patient", "labs", "hemoglobin_g_dl"});
  auto hb_lln = req.num({"patient", "limits", "hemoglobin_lln_g_dl"});
  auto ca_uln = req.num({"patient", "limits", "calcium_uln_mg_dl"});
  auto anc = req.num({"patient", "labs", "anc_per_ul"});
  auto anc_uln = req.num({"patient", "limits", "anc_uln_per_ul"});
  auto plt = req.num({"patient", "labs", "platelets_per_ul"});
  auto plt_uln = req.num({"patient", "limits", "platelets_uln_per_ul"});
  auto ldh = req.num({"patient", "labs", "ldh_u_l"});
  auto ldh_uln = req.num({"patient", "limits", "ldh_uln_u_l"});
  auto sites = req.num({"condition", "rcc", "metastatic_organ_sites"});
  std::optional<double> cca = d.corrected_calcium_mg_dl;

  bool any_score_input = kps || months_dx || hb || ca || anc || plt || ldh || sites;
  if (any_score_input || req.indication() == "rcc"sv) {
    const RccScoreContent& sc = rcc_score_content();
    auto cmp = [](std::string_view code, std::optional<double> v, std::optional<double> lim,
                  auto pred, std::string_view value_path,
                  std::string_view limit_path = {}) -> Factor {
      Factor f;
      f.code = code;
      if (v && lim) {
        f.present = pred(*v, *lim);
      } else {
        if (!v) f.lacks(value_path);
        if (!lim && !limit_path.empty()) f.lacks(limit_path);
      }
      return f;
    };
    constexpr std::string_view p_kps = "/patient/karnofsky",
                               p_months = "/condition/rcc/months_since_diagnosis",
                               p_hb = "/patient/labs/hemoglobin_g_dl",
                               p_hb_lln = "/patient/limits/hemoglobin_lln_g_dl",
                               p_ca = "/patient/labs/calcium_mg_dl",
                               p_alb = "/patient/labs/albumin_g_dl",
                               p_ca_uln = "/patient/limits/calcium_uln_mg_dl",
                               p_anc = "/patient/labs/anc_per_ul",
                               p_anc_uln = "/patient/limits/anc_uln_per_ul",
                               p_plt = "/patient/labs/platelets_per_ul",
                               p_plt_uln = "/patient/limits/platelets_uln_per_ul",
                               p_ldh = "/patient/labs/ldh_u_l",
                               p_ldh_uln = "/patient/limits/ldh_uln_u_l",
                               p_sites = "/condition/rcc/metastatic_organ_sites";
    auto cca_factor = [&](std::optional<double> limit, bool limit_is_lab) {
      Factor f;
      f.code = "corrected_calcium";
      if (cca && limit) {
        f.present = *cca > *limit;
      } else {
        if (!ca) f.lacks(p_ca);
        if (!alb) f.lacks(p_alb);
        if (!limit && limit_is_lab) f.lacks(p_ca_uln);
      }
      return f;
    };
    auto lt = [](double v, double l) { return v < l; };
    auto gt = [](double v, double l) { return v > l; };
    auto group = [](const json& groups, const ScoreResult& r) {
      std::string lo = group_for(groups, r.present_min);
      std::string hi = group_for(groups, r.present_max);
      return lo == hi ? ojson(lo) : ojson(nullptr);
    };

    // IMDC (Heng 2009): six factors against the local laboratory's limits.
    const Factor fi[] = {
        cmp("karnofsky", kps, sc.imdc_karnofsky_lt, lt, p_kps),
        cmp("diagnosis_to_treatment", months_dx, sc.imdc_months_lt, lt, p_months),
        cmp("hemoglobin", hb, hb_lln, lt, p_hb, p_hb_lln),
        cca_factor(ca_uln, true),
        cmp("neutrophils", anc, anc_uln, gt, p_anc, p_anc_uln),
        cmp("platelets", plt, plt_uln, gt, p_plt, p_plt_uln),
    };
    ScoreResult ij = score_json(ctx, "imdc", fi);
    ij.json["risk_group"sv] = group(*sc.imdc_groups, ij);
    out["imdc"sv] = std::move(ij.json);

    // MSKCC (Motzer 2002): five factors; LDH against 1.5 × ULN, calcium fixed.
    std::optional<double> ldh_limit =
        ldh_uln ? std::optional<double>(*ldh_uln * sc.mskcc_ldh_uln_times) : std::nullopt;
    const Factor fm[] = {
        cmp("karnofsky", kps, sc.mskcc_karnofsky_lt, lt, p_kps),
        cmp("diagnosis_to_treatment", months_dx, sc.mskcc_months_lt, lt, p_months),
        cmp("ldh", ldh, ldh_limit, gt, p_ldh, p_ldh_uln),
        cca_factor(sc.mskcc_calcium_gt_mg_dl, false),
        cmp("hemoglobin", hb, hb_lln, lt, p_hb, p_hb_lln),
    };
    ScoreResult mj = score_json(ctx, "mskcc", fm);
    mj.json["risk_group"sv] = group(*sc.mskcc_groups, mj);
    out["mskcc"sv] = std::move(mj.json);

    // ARCC poor risk (Hudes 2007, Torisel PI §14): at least 3 of 6.
    std::optional<double> arcc_ldh =
        ldh_uln ? std::optional<double>(*ldh_uln * sc.arcc_ldh_uln_times) : std::nullopt;
    Factor kps_band;
    kps_band.code = "karnofsky";
    if (kps)
      kps_band.present = *kps >= sc.arcc_karnofsky_min && *kps <= sc.arcc_karnofsky_max;
    else
      kps_band.lacks(p_kps);
    const Factor fa[] = {
        cmp("ldh", ldh, arcc_ldh, gt, p_ldh, p_ldh_uln),
        cmp("hemoglobin", hb, hb_lln, lt, p_hb, p_hb_lln),
        cca_factor(sc.arcc_calcium_gt_mg_dl, false),
        cmp("diagnosis_to_treatment", months_dx, sc.arcc_months_lt, lt, p_months),
        kps_band,
        cmp("metastatic_sites", sites, sc.arcc_sites_gt, gt, p_sites),
    };
    ScoreResult aj = score_json(ctx, "arcc", fa);
    const int need = sc.arcc_poor_risk_min_factors;
    aj.json["poor_risk"sv] = aj.present_min >= need  ? ojson(true)
                             : aj.present_max < need ? ojson(false)
                                                     : ojson(nullptr);
    out["arcc"sv] = std::move(aj.json);
  }

  // CTCAE grades that follow from a number (content "ctcae.lab_terms").
  ojson grades = ojson::array();
  const json& terms = content::at("ctcae.lab_terms");
  for (const auto& [term, spec] : terms.items()) {
    const std::string& field = spec["field"sv].get_ref<const std::string&>();
    auto v = req.num({"patient", "labs", field});
    if (!v) continue;
    BandResult r = first_band(spec["bands"sv], *v, req);
    const json& rule = ctx.rule("ctcae.lab_terms." + term);
    ojson g = ojson::object();
    g["term"sv] = term;
    g["grade"sv] =
        r.band ? ojson((*r.band)["grade"sv].get<int>()) : (r.unknown ? ojson(nullptr) : ojson(0));
    g["from"sv] = "/patient/labs/" + field;
    g["value"sv] = *v;
    g["version"sv] = spec["version"sv].get<std::string>();
    if (r.unknown) g["needs"sv] = "/patient/limits/" + spec["limit_field"sv].get<std::string>();
    g["adverse_event"sv] = spec.contains("adverse_event"sv)
                               ? ojson(spec["adverse_event"sv].get<std::string>())
                               : ojson(nullptr);
    g["refs"sv] = Ctx::refs_of(rule);
    grades.push_back(std::move(g));
  }
  if (!grades.empty()) out["ctcae"sv] = std::move(grades);
  return d;
}

}  // namespace mtorcalc
