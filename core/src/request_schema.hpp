// The request schema the validator checks (request.cpp): every field the
// contract allows, its type, and the plausible range of each number, as
// constant data.
//
// The ranges are plausibility bounds on what a clinician can type (a
// weight of 0.5 to 400 kg), not clinical thresholds; those live in content/.
// Each object's fields are listed in the order errors are reported.
#pragma once

#include <cstddef>
#include <string_view>

namespace mtorcalc::request_schema {

/// A read-only view of a constant array.
template <class T>
struct Span {
  const T* data = nullptr;
  std::size_t size = 0;
  constexpr Span() = default;
  template <std::size_t N>
  constexpr Span(const T (&array)[N]) : data(array), size(N) {}  // NOLINT: implicit by design
  [[nodiscard]] constexpr const T* begin() const { return data; }
  [[nodiscard]] constexpr const T* end() const { return data + size; }
  [[nodiscard]] constexpr bool empty() const { return size == 0; }
};

struct Field;

struct Spec {
  enum class Kind {
    object,
    number,
    integer,
    boolean,
    enumeration,
    string,
    string_array,
    object_array
  };
  Kind kind = Kind::object;
  double lo = 0, hi = 0;
  bool lo_exclusive = false;
  Span<std::string_view> values;    // enumeration
  Span<Field> fields;               // object, object_array
  Span<std::string_view> required;  // object, object_array
};

struct Field {
  std::string_view name;
  Spec spec;
};

constexpr Spec number(double lo, double hi) {
  Spec s;
  s.kind = Spec::Kind::number;
  s.lo = lo;
  s.hi = hi;
  return s;
}
/// Greater than zero, at most `hi`.
constexpr Spec positive(double hi) {
  Spec s = number(0, hi);
  s.lo_exclusive = true;
  return s;
}
constexpr Spec integer(double lo, double hi) {
  Spec s = number(lo, hi);
  s.kind = Spec::Kind::integer;
  return s;
}
constexpr Spec boolean() {
  Spec s;
  s.kind = Spec::Kind::boolean;
  return s;
}
constexpr Spec one_of(Span<std::string_view> values) {
  Spec s;
  s.kind = Spec::Kind::enumeration;
  s.values = values;
  return s;
}
/// A free string (a drug name, matched against another field).
constexpr Spec text() {
  Spec s;
  s.kind = Spec::Kind::string;
  return s;
}
/// An array of drug or therapy names (strings).
constexpr Spec names() {
  Spec s;
  s.kind = Spec::Kind::string_array;
  return s;
}
constexpr Spec object(Span<Field> fields, Span<std::string_view> required = {}) {
  Spec s;
  s.kind = Spec::Kind::object;
  s.fields = fields;
  s.required = required;
  return s;
}
constexpr Spec object_array(Span<Field> fields, Span<std::string_view> required) {
  Spec s = object(fields, required);
  s.kind = Spec::Kind::object_array;
  return s;
}

// ---- the schema (innermost objects first) ---------------------------------

constexpr std::string_view kContract[] = {"mtor-calc/1"};
constexpr std::string_view kIndication[] = {"tsc_renal_aml",
                                            "tsc_sega",
                                            "tsc_seizures",
                                            "tsc_facial_angiofibroma",
                                            "lam",
                                            "rcc",
                                            "pecoma",
                                            "breast_hr_positive",
                                            "net",
                                            "hnscc",
                                            "sarcoma_maintenance"};
constexpr std::string_view kDrug[] = {"everolimus",   "sirolimus",     "sirolimus_topical",
                                      "temsirolimus", "nab_sirolimus", "ridaforolimus"};
constexpr std::string_view kPatientSex[] = {"female", "male"};
constexpr std::string_view kPatientBsaFormula[] = {"mosteller", "dubois", "haycock",
                                                   "gehan_george"};
constexpr std::string_view kPatientHepaticChildPughClass[] = {"A", "B", "C"};
constexpr std::string_view kPatientHepaticAscites[] = {"none", "slight", "moderate"};
constexpr std::string_view kPatientHepaticEncephalopathy[] = {"none", "grade_1_2", "grade_3_4"};
constexpr Field kPatientHepatic[] = {
    {"child_pugh_class", one_of(kPatientHepaticChildPughClass)},
    {"bilirubin_mg_dl", number(0, 100)},
    {"albumin_g_dl", number(0, 10)},
    {"inr", number(0.1, 20)},
    {"ascites", one_of(kPatientHepaticAscites)},
    {"encephalopathy", one_of(kPatientHepaticEncephalopathy)},
};
constexpr Field kPatientLabs[] = {
    {"anc_per_ul", number(0, 500000)},
    {"platelets_per_ul", number(0, 5000000)},
    {"hemoglobin_g_dl", number(0, 30)},
    {"calcium_mg_dl", number(0, 30)},
    {"albumin_g_dl", number(0, 10)},
    {"ldh_u_l", number(0, 100000)},
    {"bilirubin_mg_dl", number(0, 100)},
    {"ast_u_l", number(0, 100000)},
    {"alt_u_l", number(0, 100000)},
    {"glucose_fasting_mg_dl", number(0, 5000)},
    {"triglycerides_mg_dl", number(0, 50000)},
    {"cholesterol_mg_dl", number(0, 5000)},
    {"creatinine_mg_dl", number(0, 50)},
};
constexpr Field kPatientLimits[] = {
    {"hemoglobin_lln_g_dl", positive(30)},       {"calcium_uln_mg_dl", positive(30)},
    {"ldh_uln_u_l", positive(100000)},           {"anc_uln_per_ul", positive(500000)},
    {"platelets_uln_per_ul", positive(5000000)}, {"bilirubin_uln_mg_dl", positive(100)},
    {"ast_uln_u_l", positive(100000)},           {"alt_uln_u_l", positive(100000)},
    {"creatinine_uln_mg_dl", positive(50)},      {"platelets_lln_per_ul", positive(5000000)},
    {"anc_lln_per_ul", positive(500000)},        {"cholesterol_uln_mg_dl", positive(5000)},
    {"glucose_uln_mg_dl", positive(5000)},
};
constexpr Field kPatient[] = {
    {"age_years", number(0, 120)},
    {"sex", one_of(kPatientSex)},
    {"weight_kg", number(0.5, 400)},
    {"height_cm", number(30, 250)},
    {"bsa_m2", number(0.1, 4)},
    {"bsa_formula", one_of(kPatientBsaFormula)},
    {"pregnant", boolean()},
    {"breastfeeding", boolean()},
    {"reproductive_potential", boolean()},
    {"karnofsky", integer(0, 100)},
    {"tsc_definite", boolean()},
    {"rapamycin_hypersensitivity", boolean()},
    {"hepatic", object(kPatientHepatic)},
    {"labs", object(kPatientLabs)},
    {"limits", object(kPatientLimits)},
};
constexpr Field kConditionAml[] = {
    {"largest_diameter_cm", number(0, 60)},
    {"growth_cm_per_year", number(-60, 60)},
    {"previous_largest_diameter_cm", number(0, 60)},
    {"months_between_measurements", positive(600)},
    {"aneurysm_mm", number(0, 300)},
    {"high_tumor_burden", boolean()},
    {"acute_hemorrhage", boolean()},
    {"needs_immediate_surgery", boolean()},
};
constexpr Field kConditionSega[] = {
    {"needs_intervention", boolean()},
    {"curatively_resectable", boolean()},
    {"acute_symptoms", boolean()},
    {"growing", boolean()},
};
constexpr Field kConditionSeizures[] = {
    {"partial_onset", boolean()},
    {"refractory", boolean()},
};
constexpr Field kConditionLam[] = {
    {"fev1_percent_predicted", number(1, 200)},
    {"fev1_decline_ml_per_year", number(-3000, 3000)},
    {"chylous_effusion", boolean()},
};
constexpr std::string_view kConditionRccHistology[] = {"clear_cell", "papillary", "chromophobe",
                                                       "unclassified", "other_non_clear_cell"};
constexpr Field kConditionRcc[] = {
    {"histology", one_of(kConditionRccHistology)},
    {"advanced", boolean()},
    {"prior_therapies", names()},
    {"months_since_diagnosis", number(0, 1200)},
    {"metastatic_organ_sites", integer(0, 30)},
    {"tsc_associated", boolean()},
};
constexpr Field kConditionPecoma[] = {
    {"malignant", boolean()},
    {"advanced", boolean()},
};
constexpr Field kConditionBreast[] = {
    {"postmenopausal", boolean()},
    {"hr_positive", boolean()},
    {"her2_negative", boolean()},
    {"prior_nonsteroidal_ai", boolean()},
};
constexpr std::string_view kConditionNetOrigin[] = {"pancreatic", "gastrointestinal", "lung"};
constexpr Field kConditionNet[] = {
    {"origin", one_of(kConditionNetOrigin)},
    {"progressive", boolean()},
    {"well_differentiated", boolean()},
    {"functional_carcinoid", boolean()},
};
constexpr Field kCondition[] = {
    {"aml", object(kConditionAml)},           {"sega", object(kConditionSega)},
    {"seizures", object(kConditionSeizures)}, {"lam", object(kConditionLam)},
    {"rcc", object(kConditionRcc)},           {"pecoma", object(kConditionPecoma)},
    {"breast", object(kConditionBreast)},     {"net", object(kConditionNet)},
};
constexpr std::string_view kTherapyFrequency[] = {"once_daily", "every_other_day", "twice_daily",
                                                  "weekly", "days_1_and_8_every_21_days"};
constexpr std::string_view kTherapyForm[] = {"tablet", "tablet_for_oral_suspension",
                                             "oral_solution", "iv_infusion", "topical_gel"};
constexpr std::string_view kTherapyResponse[] = {"responding", "stable", "progressing", "unknown"};
// Measured troughs, oldest first, each with the regimen taken up to it. A
// trough is drawn just before a dose, so its day is a whole day since the
// first dose (a fractional day would place it mid-interval).
constexpr Field kTroughHistory[] = {
    {"days_since_start", integer(0, 36500)},
    {"trough_ng_ml", positive(1000)},
    {"dose_mg", positive(1000)},
    {"frequency", one_of(kTherapyFrequency)},
};
constexpr std::string_view kTroughHistoryRequired[] = {"days_since_start", "trough_ng_ml",
                                                       "dose_mg", "frequency"};
constexpr Field kTherapy[] = {
    {"current_dose_mg", positive(1000)},
    {"frequency", one_of(kTherapyFrequency)},
    {"form", one_of(kTherapyForm)},
    {"trough_ng_ml", positive(1000)},
    {"target_trough_ng_ml", positive(1000)},
    {"days_on_current_dose", number(0, 36500)},
    {"months_on_therapy", number(0, 1200)},
    {"response", one_of(kTherapyResponse)},
    {"trough_history", object_array(kTroughHistory, kTroughHistoryRequired)},
};
constexpr std::string_view kAdverseEventsTerm[] = {"stomatitis",
                                                   "non_infectious_pneumonitis",
                                                   "hyperglycemia",
                                                   "dyslipidemia",
                                                   "thrombocytopenia",
                                                   "neutropenia",
                                                   "febrile_neutropenia",
                                                   "infection",
                                                   "other_non_hematologic",
                                                   "anemia",
                                                   "hypokalemia",
                                                   "hemorrhage"};
constexpr Field kAdverseEvents[] = {
    {"term", one_of(kAdverseEventsTerm)},
    {"grade", integer(1, 5)},
    {"recurrent", boolean()},
};
constexpr std::string_view kAdverseEventsRequired[] = {"term", "grade"};
// When each comedication was started or stopped relative to the current dose.
constexpr std::string_view kComedicationStatusStatus[] = {"ongoing_at_start", "started", "stopped"};
constexpr Field kComedicationStatus[] = {
    {"name", text()},
    {"status", one_of(kComedicationStatusStatus)},
    {"days_since_change", number(0, 3650)},
    {"dose_before_mg", positive(1000)},
};
constexpr std::string_view kComedicationStatusRequired[] = {"name", "status"};
constexpr Field kRequest[] = {
    {"contract", one_of(kContract)},
    {"indication", one_of(kIndication)},
    {"drug", one_of(kDrug)},
    {"patient", object(kPatient)},
    {"condition", object(kCondition)},
    {"therapy", object(kTherapy)},
    {"comedications", names()},
    {"comedication_status", object_array(kComedicationStatus, kComedicationStatusRequired)},
    {"adverse_events", object_array(kAdverseEvents, kAdverseEventsRequired)},
};
constexpr std::string_view kRequestRequired[] = {"contract", "indication"};
constexpr Spec kSchema = object(kRequest, kRequestRequired);

}  // namespace mtorcalc::request_schema
