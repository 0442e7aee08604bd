// The catalogue without UI: the category tree built from the server's flat list (GET
// /api/categories, parent_id), a category's path ("粮油 / 食用油"), where a category may be
// moved, the shop's units, a barcode's check digit, a photo's checks, and the catalogue's
// refusals in the UI language.
import type { TFunction } from 'i18next';
import { PHOTO_MAX_BYTES } from '../api/products';
import type { Category } from '../api/types';
import { ApiError } from '../api/client';
import { describeError, translateValidation } from './errors';
import { stripFieldPrefix } from './fields';

export interface CategoryNode {
  category: Category;
  children: CategoryNode[];
}

/**
 * The flat list as a tree, in the list's order (the server's: each top-level category by
 * pinyin, followed by its own). A category whose parent is missing is shown at the top, and
 * a loop (which the server never makes) is cut rather than followed.
 */
export function categoryTree(list: readonly Category[]): CategoryNode[] {
  const byId = new Map(list.map((c) => [c.id, c]));
  const children = new Map<number | null, Category[]>();
  for (const c of list) {
    const parent = c.parent_id ?? null;
    const key = parent !== null && byId.has(parent) && parent !== c.id ? parent : null;
    children.set(key, [...(children.get(key) ?? []), c]);
  }
  const seen = new Set<number>();
  const build = (parent: number | null): CategoryNode[] =>
    (children.get(parent) ?? [])
      .filter((c) => {
        if (seen.has(c.id)) return false;
        seen.add(c.id);
        return true;
      })
      .map((c) => ({ category: c, children: build(c.id) }));
  const roots = build(null);
  // Categories only reachable through a loop: shown at the top too.
  for (const c of list) {
    if (seen.has(c.id)) continue;
    seen.add(c.id);
    roots.push({ category: c, children: build(c.id) });
  }
  return roots;
}

/** The category and those above it, the top first; empty for none or an unknown id. */
export function categoryPath(list: readonly Category[], id: number | null | undefined): Category[] {
  if (id === null || id === undefined) return [];
  const byId = new Map(list.map((c) => [c.id, c]));
  const path: Category[] = [];
  let cur = byId.get(id);
  while (cur && !path.includes(cur)) {
    path.unshift(cur);
    cur = cur.parent_id === null || cur.parent_id === undefined ? undefined : byId.get(cur.parent_id);
  }
  return path;
}

export const PATH_SEPARATOR = ' / ';

/** "粮油 / 食用油"; "" for none or an unknown id. */
export function categoryPathText(list: readonly Category[], id: number | null | undefined): string {
  return categoryPath(list, id)
    .map((c) => c.name)
    .join(PATH_SEPARATOR);
}

/** One choice of an antd TreeSelect (value, title, children). */
export interface CategoryOption {
  value: number;
  title: string;
  children?: CategoryOption[];
}

/** The tree as TreeSelect data; `label` may add e.g. a product count to a name. */
export function categoryOptions(
  list: readonly Category[],
  label: (c: Category) => string = (c) => c.name,
): CategoryOption[] {
  const toOption = (n: CategoryNode): CategoryOption =>
    n.children.length > 0
      ? { value: n.category.id, title: label(n.category), children: n.children.map(toOption) }
      : { value: n.category.id, title: label(n.category) };
  return categoryTree(list).map(toOption);
}

/** Does the TreeSelect's search text match this option (its name, case aside)? */
export function matchesCategory(search: string, option: { title?: unknown } | undefined): boolean {
  const text = typeof option?.title === 'string' ? option.title : '';
  return text.toLowerCase().includes(search.trim().toLowerCase());
}

/**
 * Where a category may go (the server keeps the tree two levels deep): under a top-level
 * category other than itself, and only when it has no sub-categories of its own. For a new
 * category (no id), every top-level one.
 */
export function parentChoices(list: readonly Category[], id?: number): Category[] {
  if (id !== undefined && list.some((c) => c.parent_id === id)) return [];
  return list.filter((c) => (c.parent_id === null || c.parent_id === undefined) && c.id !== id);
}

// ---- Units ----

/** The longest unit the server keeps, in characters. */
export const MAX_UNIT_CHARS = 10;

/** The settings' list from the editor's tags: trimmed, no blanks, no repeats (ignoring case). */
export function normalizeUnits(tags: readonly string[]): string[] {
  const out: string[] = [];
  for (const tag of tags) {
    const unit = tag.trim();
    if (unit && !out.some((o) => o.toLowerCase() === unit.toLowerCase())) out.push(unit);
  }
  return out;
}

/**
 * The shop's units (settings.units), read so that settings without the field (an older
 * server) give an empty list.
 */
export function shopUnits(settings: object | undefined): string[] {
  const units: unknown = settings && 'units' in settings ? settings.units : undefined;
  return Array.isArray(units) ? units.filter((u): u is string => typeof u === 'string') : [];
}

/** The units offered on the product form: the shop's, then the product's own if not among them. */
export function unitOptions(units: readonly string[] | undefined, current?: string | null): { value: string }[] {
  const list = normalizeUnits([...(units ?? []), ...(current ? [current] : [])]);
  return list.map((value) => ({ value }));
}

// ---- Barcodes ----

export type BarcodeKind = 'EAN-13' | 'UPC-A' | 'EAN-8';

/** The GS1 code a string of digits of this length is, if any. */
export function barcodeKind(code: string): BarcodeKind | null {
  if (!/^\d+$/.test(code)) return null;
  if (code.length === 13) return 'EAN-13';
  if (code.length === 12) return 'UPC-A';
  if (code.length === 8) return 'EAN-8';
  return null;
}

/** The GS1 check digit of a code without its last digit: from the right, digits weigh 3, 1, 3, ... */
export function checkDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = Number(body[body.length - 1 - i]);
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

export interface BarcodeProblem {
  code: string;
  kind: BarcodeKind;
  expected: number;
}

/**
 * A GS1 code (all digits, of an EAN-13, UPC-A or EAN-8 length) whose last digit is wrong,
 * as the server would refuse it; null for any other code (the server decides those).
 */
export function barcodeProblem(raw: string): BarcodeProblem | null {
  const code = raw.trim();
  const kind = barcodeKind(code);
  if (!kind) return null;
  const expected = checkDigit(code.slice(0, -1));
  return Number(code[code.length - 1]) === expected ? null : { code, kind, expected };
}

// ---- Photos ----

/** The types the server takes, for the file chooser. */
export const PHOTO_ACCEPT = 'image/jpeg,image/png,image/webp';
const PHOTO_TYPES = PHOTO_ACCEPT.split(',');

function photoTooLarge(limitBytes: number, t: TFunction): string {
  return t('products.photoTooLarge', { mb: Math.round((limitBytes / (1024 * 1024)) * 10) / 10 });
}

/**
 * Why this file will not be taken before it is even sent, or null. The server reads the
 * type from the file's bytes; a browser's type is only checked when it gives one.
 */
export function checkPhotoFile(file: { size: number; type?: string }, t: TFunction): string | null {
  if (file.size > PHOTO_MAX_BYTES) return photoTooLarge(PHOTO_MAX_BYTES, t);
  if (file.type && !PHOTO_TYPES.includes(file.type)) return t('products.photoType');
  if (file.size === 0) return t('validation.fileEmpty');
  return null;
}

// ---- The server's refusals ----

const BARCODE_DIGIT = /^(\S+) is not a valid (EAN-13|UPC-A|EAN-8): its last digit should be (\d)/;

/** The catalogue's own validation messages (English), in the UI language. */
function translateCatalogue(message: string, t: TFunction): string {
  const digit = BARCODE_DIGIT.exec(message);
  if (digit) return t('products.barcodeCheckDigit', { code: digit[1], kind: digit[2], expected: digit[3] });
  if (message === 'must not contain "/"') return t('categories.noSlash');
  if (message.startsWith('categories are two levels deep')) return t('categories.twoLevels');
  if (message.startsWith('this category has sub-categories')) return t('categories.mustStayTop');
  if (message === 'a category cannot be under itself') return t('categories.notUnderItself');
  if (message === 'no such category') return t('categories.noSuchCategory');
  if (message === 'the photo must be a JPEG, PNG or WebP image') return t('products.photoType');
  return translateValidation(message, t);
}

function str(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
}

/**
 * A failed catalogue request (a product, a category, a photo) in the UI language: the
 * catalogue's own codes and messages, anything else as everywhere else (describeError).
 */
export function describeCatalogueError(err: unknown, t: TFunction): string {
  if (!(err instanceof ApiError)) return describeError(err, t);
  const d = err.details;
  switch (err.code) {
    case 'barcode_taken':
      return t('products.barcodeTaken', { barcode: str(d['barcode']) });
    case 'category_taken':
      return t('categories.taken');
    case 'category_in_use':
      if (typeof d['products'] === 'number' && typeof d['children'] === 'number') {
        // The server's own message starts with the category's name.
        const name = /^(.+?) still holds /.exec(err.message)?.[1] ?? '';
        return t('categories.inUse', { name, products: d['products'], children: d['children'] });
      }
      return err.message;
    case 'payload_too_large': {
      const limit = d['limit_bytes'];
      return photoTooLarge(typeof limit === 'number' && limit > 0 ? limit : PHOTO_MAX_BYTES, t);
    }
  }
  if (err.status === 413) return photoTooLarge(PHOTO_MAX_BYTES, t);
  if (err.code === 'validation_failed' && err.field) {
    const msg = translateCatalogue(stripFieldPrefix(err.message, err.field), t);
    // The form shows a field's message on that field; elsewhere it is the whole text.
    return ['barcode', 'category_id', 'parent_id', 'name', 'photo'].includes(err.field)
      ? msg
      : describeError(err, t);
  }
  return describeError(err, t);
}

/** The fields whose refusals describeCatalogueError words itself (the form's own mapping does the rest). */
export function isCatalogueFieldError(err: unknown): err is ApiError {
  if (!(err instanceof ApiError)) return false;
  if (err.code === 'barcode_taken' || err.code === 'category_taken') return true;
  return err.code === 'validation_failed' && (err.field === 'barcode' || err.field === 'category_id');
}
