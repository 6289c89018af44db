// SMD naming rules shared by every API family: xnames given as input, group labels,
// partition names, exclusive-group names and tags.

import { ValidationError } from './errors.js';
import { excerpt, quoted } from './excerpt.js';
import { requireText } from './validate.js';
import { type ParsedXname, parseXname, xnameType } from './xname.js';

const LABEL_PATTERN = /^[-a-z0-9:._]+$/;

/** A normalised, typed xname, or ValidationError on `field` (SMD: "xname ID 'X' is invalid"). */
export function requireXname(value: unknown, field: string): ParsedXname {
  const text = requireText(value, field, 64);
  const parsed = parseXname(text);
  if (!parsed) throw new ValidationError(field, `xname ID '${excerpt(text)}' is invalid`);
  return parsed;
}

/** A group label, exclusive-group name or tag: lower-cased, then `^[-a-z0-9:._]+$`. */
export function requireLabel(value: unknown, field: string): string {
  const label = requireText(value, field, 255).toLowerCase();
  if (!LABEL_PATTERN.test(label)) {
    throw new ValidationError(field, `${quoted(label)} is not a valid label: use only a-z, 0-9 and - : . _`);
  }
  return label;
}

/** An optional label; null or "" clears it. */
export function optionalLabel(value: unknown, field: string): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || value === '') return null;
  return requireLabel(value, field);
}

/** A partition name: a label that is also a Partition xname (p1, p1.2). */
export function requirePartitionName(value: unknown, field: string): string {
  const name = requireLabel(value, field);
  if (xnameType(name) !== 'Partition') throw new ValidationError(field, `Bad partition name ${quoted(name)}. Must be p# or p#.#`);
  return name;
}

/** A tag list (each tag a label), duplicates dropped; undefined when not given. */
export function optionalTags(value: unknown, field = 'tags'): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new ValidationError(field, 'must be a list of strings');
  return [...new Set(value.map((tag, i) => requireLabel(tag, `${field}.${i}`)))];
}
