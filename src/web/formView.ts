/**
 * The page's setting fields, drawn from the settings table: for each setting with a field, a label, an input (or a
 * select), suggestions, a hint and a place for its message, with the ids the page reads (f-<field>, e-<field>,
 * h-<field>). A field of one mode only is hidden in the other (style.css: sweep-only, lrfind-only).
 */
import { defaultFor, SETTINGS, type Setting } from '../contract/settings.js';
import { h } from './dom.js';
import { fieldsOf } from './form.js';

/** The input of one setting, holding its default (a setting whose default is none shows a placeholder). */
function input(s: Setting, mode: 'sweep' | 'lr-find', described: string) {
  const name = s.field!;
  const value = defaultFor(s, mode);
  const web = s.web!;
  if (web.input === 'select') {
    const text = s.kind.format(value);
    const options = (web.options ?? []).map(([v, label]) => h('option', { value: v, selected: v === text }, label));
    return h('select', { id: `f-${name}`, name, 'aria-describedby': described }, ...options);
  }
  return h('input', {
    id: `f-${name}`,
    name,
    inputmode: web.input === 'text' ? null : web.input,
    autocomplete: 'off',
    spellcheck: web.input === 'text' ? 'false' : null,
    value: value === null ? null : s.kind.format(value),
    placeholder: web.placeholder ?? null,
    list: web.suggestions ? `l-${name}` : null,
    'aria-describedby': described,
  });
}

/** One field's block. */
function field(s: Setting, inSweep: boolean, inLrFind: boolean): HTMLElement {
  const name = s.field!;
  const web = s.web!;
  const only = inSweep && !inLrFind ? ' sweep-only' : inLrFind && !inSweep ? ' lrfind-only' : '';
  const hint = web.hint ? h('small', { id: `h-${name}` }, web.hint) : null;
  const suggestions = web.suggestions
    ? h('datalist', { id: `l-${name}` }, ...web.suggestions.map((v) => h('option', { value: v })))
    : null;
  const error = h('span', { class: 'error', id: `e-${name}`, 'data-error-for': name, 'aria-live': 'polite' });
  const described = [`e-${name}`, hint ? `h-${name}` : ''].filter(Boolean).join(' ');
  const control = input(s, inSweep ? 'sweep' : 'lr-find', described);
  return h(
    'div',
    { class: `field${web.wide ? ' wide' : ''}${only}` },
    h('label', { for: `f-${name}` }, s.label),
    control,
    suggestions,
    hint,
    error,
  );
}

/** Draws the fields of both modes, in table order, before `before` in its parent. */
export function drawFields(before: HTMLElement): void {
  const sweep = fieldsOf('sweep');
  const lrFind = fieldsOf('lr-find');
  for (const s of Object.values(SETTINGS) as Setting[]) {
    const inSweep = sweep.includes(s);
    const inLrFind = lrFind.includes(s);
    if (inSweep || inLrFind) before.before(field(s, inSweep, inLrFind));
  }
}
