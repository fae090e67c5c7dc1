// labels.js — human words for the contract's codes. Presentation only: a
// code the page does not know is shown as the code with underscores as
// spaces, never hidden.
import { AE_TERMS, ALL_FORMS, ALL_FREQUENCIES, DRUGS, INDICATIONS, fieldByPath } from './fields.js';

const map = (pairs) => Object.fromEntries(pairs);

const TABLES = {
  status: {
    indicated: 'Indicated', consider: 'Consider', not_indicated: 'Not indicated',
    contraindicated: 'Contraindicated', insufficient_data: 'Insufficient data',
  },
  drug: {
    everolimus: 'everolimus', sirolimus: 'sirolimus (oral)', sirolimus_topical: 'sirolimus (topical gel)',
    temsirolimus: 'temsirolimus', nab_sirolimus: 'nab-sirolimus',
  },
  drugLong: map(DRUGS),
  indication: map(INDICATIONS),
  frequency: map(ALL_FREQUENCIES.map(([k, v]) => [k, v.toLowerCase()])),
  form: { ...map(ALL_FORMS.map(([k, v]) => [k, v.toLowerCase()])), iv_infusion: 'intravenous infusion' },
  route: { oral: 'oral', iv: 'intravenous', topical: 'topical' },
  action: { continue: 'Continue', withhold: 'Withhold', discontinue: 'Discontinue' },
  resume: { same_dose: 'resume at the same dose', reduced_dose: 'resume at a reduced dose' },
  ixAction: { avoid: 'Avoid', reduce_dose: 'Reduce the dose', increase_dose: 'Increase the dose', monitor: 'Monitor' },
  ixClass: {
    strong_cyp3a4_inhibitor: 'strong CYP3A4/P-gp inhibitor', moderate_cyp3a4_inhibitor: 'moderate CYP3A4/P-gp inhibitor',
    strong_cyp3a4_inducer: 'strong CYP3A4 inducer', calcineurin_inhibitor: 'calcineurin inhibitor',
    ace_inhibitor: 'ACE inhibitor', live_vaccine: 'live vaccine',
  },
  severity: { serious: 'Serious', caution: 'Caution', info: 'Information' },
  term: map(AE_TERMS),
  risk: { favorable: 'favourable', intermediate: 'intermediate', poor: 'poor' },
  v: {
    confirmed: 'confirmed', unconfirmed: 'unconfirmed', single_source: 'single source',
    old_label: 'older label', conflict: 'sources conflict',
  },
  // Why a rule carries the "not confirmed" mark, after the mark itself.
  vWhy: { unconfirmed: '', single_source: 'single source', old_label: 'older label', conflict: 'sources conflict' },
  errorCode: {
    malformed_json: 'not readable', wrong_type: 'wrong type', out_of_range: 'out of range',
    unknown_value: 'unknown value', unknown_field: 'unknown field', missing_required: 'required',
    inconsistent: 'inconsistent',
  },
};

export function label(table, code) {
  if (code === null || code === undefined) return '';
  const t = TABLES[table];
  if (t && Object.prototype.hasOwnProperty.call(t, code)) return t[code];
  return String(code).replace(/_/g, ' ');
}

// Engine and content text as a reader should see it: a request path such as
// "(therapy.form)" becomes the form's own label, an adverse-event code
// spelled out with spaces gets the page's name for it, "iv infusion" is
// written out, and "1 weeks" is singular. The meaning never changes.
const TERM_WORDS = AE_TERMS.filter(([k]) => k.includes('_')).map(([k, v]) => [new RegExp(`\\b${k.replace(/_/g, '[ _]')}\\b`, 'gi'), v.toLowerCase()]);
export function prose(text) {
  if (typeof text !== 'string') return text ?? '';
  let t = text.replace(/\s*\(((?:patient|therapy|condition|comedications)(?:\.[a-z0-9_]+)+)\)/g, (m, path) => {
    const field = fieldByPath.get(`/${path.replace(/\./g, '/')}`);
    return field ? ` (the “${field.label}” field)` : '';
  });
  for (const [re, words] of TERM_WORDS) t = t.replace(re, words);
  return t.replace(/\biv infusion\b/gi, 'intravenous infusion').replace(/\b1 (day|week|month|year)s\b/g, '1 $1');
}
