// provenance-view.js — under each field filled from a FHIR Bundle, a line
// saying where its value came from (resource, date) and whether it is older
// than the stated limit (fhir.js); it is read out with the field
// (aria-describedby) and says "Edited by hand" once the clinician changes
// the value. `inputId(path)` is the page's id for a field's control.
import { h } from './dom.js';
import { provenanceText } from './fhir.js';

export function showProvenance(form, provenance, inputId) {
  for (const el of form.querySelectorAll('.provenance')) {
    const input = document.getElementById(el.dataset.for);
    input?.setAttribute('aria-describedby', (input.getAttribute('aria-describedby') || '').replace(` ${el.id}`, ''));
    el.remove();
  }
  for (const [path, p] of Object.entries(provenance)) {
    const block = form.querySelector(`[data-field="${path}"]`);
    if (!block) continue;
    const id = `${inputId(path)}-src`;
    block.appendChild(h('p', { class: p.stale ? 'provenance stale' : 'provenance', id, dataset: { for: inputId(path) } }, provenanceText(p)));
    const input = document.getElementById(inputId(path));
    input?.setAttribute('aria-describedby', `${input.getAttribute('aria-describedby') || ''} ${id}`);
  }
}

export function markEdited(path, inputId) {
  const el = document.getElementById(`${inputId(path)}-src`);
  if (el && !el.classList.contains('edited')) {
    el.classList.add('edited');
    el.textContent = `Edited by hand (was: ${el.textContent})`;
  }
}
