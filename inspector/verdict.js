/**
 * A vendor's verdict on a receiver's answer (C1 judges the response document: approved, denied, provisioned, …
 * or an invalid response and what C1 then does), as a badge for lists and a note for the detail.
 */
import { el } from './dom.js';

/** `valid` with the outcome's kind (`provisioned`), or `invalid response`; the description in the title. */
export function verdictBadge(verdict) {
  if (verdict === undefined || verdict === null) return null;
  return el(
    'span',
    { class: `badge verdict ${verdict.valid ? 'valid' : 'invalid'}`, title: verdict.description },
    verdict.valid ? verdict.kind : 'invalid response',
  );
}

/** The verdict in words: whether the vendor accepts the answer, and what it made of it. */
export function verdictNote(verdict) {
  if (verdict === undefined || verdict === null) return null;
  return el(
    'p',
    { class: `verdict-note ${verdict.valid ? 'valid' : 'invalid'}` },
    el('strong', {}, verdict.valid ? 'Accepted: ' : 'Refused: '),
    verdict.description,
  );
}
