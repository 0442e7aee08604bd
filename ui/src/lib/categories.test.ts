import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError, parseApiError } from '../api/client';
import { PHOTO_MAX_BYTES } from '../api/products';
import type { Category } from '../api/types';
import { initI18n } from '../i18n';
import {
  barcodeProblem,
  categoryOptions,
  categoryPath,
  categoryPathText,
  categoryTree,
  checkDigit,
  checkPhotoFile,
  describeCatalogueError,
  isCatalogueFieldError,
  matchesCategory,
  normalizeUnits,
  parentChoices,
  shopUnits,
  unitOptions,
} from './categories';

beforeAll(() => {
  initI18n('zh-CN');
});

const zh = () => i18next.getFixedT('zh-CN');
const en = () => i18next.getFixedT('en');

const cat = (id: number, name: string, parent_id: number | null = null, product_count = 0): Category => ({
  id,
  name,
  parent_id,
  product_count,
});

// As the server lists them: each top-level category followed by its own.
const LIST: Category[] = [
  cat(1, '粮油', null, 2),
  cat(3, '大米', 1, 4),
  cat(2, '食用油', 1, 5),
  cat(4, '饮料'),
  cat(5, '茶', 4, 1),
  cat(6, '日用品'),
];

describe('the category tree', () => {
  it('puts each category under its parent, in the order listed', () => {
    const tree = categoryTree(LIST);
    expect(tree.map((n) => n.category.name)).toEqual(['粮油', '饮料', '日用品']);
    expect(tree[0]?.children.map((n) => n.category.name)).toEqual(['大米', '食用油']);
    expect(tree[1]?.children.map((n) => n.category.name)).toEqual(['茶']);
    expect(tree[2]?.children).toEqual([]);
  });

  it('works whatever the order, and shows an orphan at the top', () => {
    const tree = categoryTree([cat(2, '食用油', 1), cat(9, '孤儿', 77), cat(1, '粮油')]);
    expect(tree.map((n) => n.category.name)).toEqual(['孤儿', '粮油']);
    expect(tree[1]?.children.map((n) => n.category.name)).toEqual(['食用油']);
    expect(categoryTree([])).toEqual([]);
  });

  it('never loops, and loses no category, on a list with a cycle', () => {
    const tree = categoryTree([cat(1, 'A', 2), cat(2, 'B', 1), cat(3, 'C', 3)]);
    const names: string[] = [];
    const walk = (ns: typeof tree) =>
      ns.forEach((n) => {
        names.push(n.category.name);
        walk(n.children);
      });
    walk(tree);
    expect(names.sort()).toEqual(['A', 'B', 'C']);
  });

  it('is offered to a TreeSelect as value, title and children', () => {
    expect(categoryOptions(LIST.slice(0, 3))).toEqual([
      {
        value: 1,
        title: '粮油',
        children: [
          { value: 3, title: '大米' },
          { value: 2, title: '食用油' },
        ],
      },
    ]);
    const counted = categoryOptions([cat(6, '日用品', null, 3)], (c) => `${c.name} (${c.product_count})`);
    expect(counted).toEqual([{ value: 6, title: '日用品 (3)' }]);
  });

  it('is searched by name', () => {
    expect(matchesCategory('食用', { title: '食用油' })).toBe(true);
    expect(matchesCategory(' tea ', { title: 'Green Tea' })).toBe(true);
    expect(matchesCategory('油', { title: '大米' })).toBe(false);
    expect(matchesCategory('油', undefined)).toBe(false);
  });
});

describe("a category's path", () => {
  it('names the category under its parent', () => {
    expect(categoryPath(LIST, 2).map((c) => c.name)).toEqual(['粮油', '食用油']);
    expect(categoryPathText(LIST, 2)).toBe('粮油 / 食用油');
    expect(categoryPathText(LIST, 6)).toBe('日用品');
  });

  it('is empty for none or an unknown category', () => {
    expect(categoryPathText(LIST, null)).toBe('');
    expect(categoryPathText(LIST, undefined)).toBe('');
    expect(categoryPathText(LIST, 99)).toBe('');
    expect(categoryPath([], 1)).toEqual([]);
  });

  it('stops at a loop', () => {
    expect(categoryPathText([cat(1, 'A', 2), cat(2, 'B', 1)], 1)).toBe('B / A');
  });
});

describe('where a category may move', () => {
  it('under another top-level category, when it has no sub-categories', () => {
    expect(parentChoices(LIST, 2).map((c) => c.id)).toEqual([1, 4, 6]);
    expect(parentChoices(LIST, 6).map((c) => c.id)).toEqual([1, 4]);
    // 粮油 has sub-categories: it stays top-level.
    expect(parentChoices(LIST, 1)).toEqual([]);
  });

  it('a new one under any top-level category', () => {
    expect(parentChoices(LIST).map((c) => c.id)).toEqual([1, 4, 6]);
  });
});

describe('units', () => {
  it('are kept trimmed, without blanks or repeats', () => {
    expect(normalizeUnits([' 件 ', '箱', '', '  ', 'KG', 'kg', '箱'])).toEqual(['件', '箱', 'KG']);
  });

  it("are offered with the product's own unit added when the shop does not list it", () => {
    expect(unitOptions(['件', '箱'], '袋')).toEqual([{ value: '件' }, { value: '箱' }, { value: '袋' }]);
    expect(unitOptions(['件', '箱'], '箱')).toEqual([{ value: '件' }, { value: '箱' }]);
    expect(unitOptions(undefined, null)).toEqual([]);
  });

  it("are read from the shop's settings, none when the settings have no list", () => {
    expect(shopUnits({ business_name: '店', units: ['件', '箱'] })).toEqual(['件', '箱']);
    expect(shopUnits({ business_name: '店' })).toEqual([]);
    expect(shopUnits({ units: 'x' })).toEqual([]);
    expect(shopUnits(undefined)).toEqual([]);
  });
});

describe('barcodes', () => {
  it('computes the GS1 check digit', () => {
    expect(checkDigit('690123456789')).toBe(2);
    expect(checkDigit('400638133393')).toBe(1);
    expect(checkDigit('03600029145')).toBe(2);
    expect(checkDigit('9638507')).toBe(4);
  });

  it('finds a wrong last digit of an EAN-13, UPC-A or EAN-8 only', () => {
    expect(barcodeProblem('6901234567892')).toBeNull();
    expect(barcodeProblem(' 036000291452 ')).toBeNull();
    expect(barcodeProblem('96385074')).toBeNull();
    expect(barcodeProblem('6901234567891')).toEqual({ code: '6901234567891', kind: 'EAN-13', expected: 2 });
    expect(barcodeProblem('036000291450')).toEqual({ code: '036000291450', kind: 'UPC-A', expected: 2 });
    expect(barcodeProblem('96385070')).toEqual({ code: '96385070', kind: 'EAN-8', expected: 4 });
    // Any other code is the server's to judge.
    expect(barcodeProblem('ABC-123')).toBeNull();
    expect(barcodeProblem('12345')).toBeNull();
    expect(barcodeProblem('')).toBeNull();
  });
});

describe('photos', () => {
  it('are refused before sending when too large or not an image the server takes', () => {
    expect(PHOTO_MAX_BYTES).toBe(2_097_152);
    expect(checkPhotoFile({ size: PHOTO_MAX_BYTES, type: 'image/jpeg' }, zh())).toBeNull();
    expect(checkPhotoFile({ size: 1000, type: '' }, zh())).toBeNull();
    expect(checkPhotoFile({ size: PHOTO_MAX_BYTES + 1, type: 'image/png' }, zh())).toBe(
      '图片过大：商品图片不能超过 2 MB。',
    );
    expect(checkPhotoFile({ size: 3_000_000 }, en())).toBe(
      'The image is too large: a product photo can be at most 2 MB.',
    );
    expect(checkPhotoFile({ size: 1000, type: 'image/gif' }, zh())).toBe('商品图片必须是 JPEG、PNG 或 WebP 图片');
    expect(checkPhotoFile({ size: 0, type: 'image/webp' }, zh())).toBe('文件是空的');
  });
});

describe("the catalogue's refusals", () => {
  const body = (code: string, message: string, details: Record<string, unknown> = {}) =>
    JSON.stringify({ error: { code, message, details } });

  it('say a taken barcode in the UI language, on the barcode field', () => {
    const err = parseApiError(
      409,
      body('barcode_taken', 'another product already has the barcode 6901234567892', {
        field: 'barcode',
        barcode: '6901234567892',
      }),
    );
    expect(isCatalogueFieldError(err)).toBe(true);
    expect(describeCatalogueError(err, zh())).toBe('条码 6901234567892 已被其他商品使用。');
    expect(describeCatalogueError(err, en())).toBe('Another product already has the barcode 6901234567892.');
  });

  it('say a wrong check digit in the UI language', () => {
    const err = parseApiError(
      422,
      body(
        'validation_failed',
        'barcode: 6901234567891 is not a valid EAN-13: its last digit should be 2 (a misread or mistyped code?)',
        { field: 'barcode' },
      ),
    );
    expect(isCatalogueFieldError(err)).toBe(true);
    expect(describeCatalogueError(err, zh())).toBe(
      '6901234567891 不是有效的 EAN-13 条码：最后一位应为 2（扫错或输错了？）',
    );
  });

  it("say why a category cannot be deleted, with the server's counts", () => {
    const err = parseApiError(
      409,
      body('category_in_use', '粮油 still holds 3 products and 2 sub-categories: move them first', {
        products: 3,
        children: 2,
      }),
    );
    expect(describeCatalogueError(err, zh())).toBe('「粮油」下还有 3 个商品和 2 个子分类，请先把它们移走。');
    expect(describeCatalogueError(err, en())).toBe(
      '粮油 still holds 3 products and 2 sub-categories: move them first.',
    );
    // Without the counts, the server's message as it is.
    const bare = new ApiError(409, 'category_in_use', 'it is in use', {}, true);
    expect(describeCatalogueError(bare, zh())).toBe('it is in use');
  });

  it("say a category's name and parent problems in the UI language", () => {
    const taken = new ApiError(409, 'category_taken', 'there is already a category 茶 here', { field: 'name' }, true);
    expect(describeCatalogueError(taken, zh())).toBe('这里已经有同名的分类。');
    const slash = new ApiError(422, 'validation_failed', 'name: must not contain "/"', { field: 'name' }, true);
    expect(describeCatalogueError(slash, zh())).toBe('分类名称不能包含“/”');
    const deep = new ApiError(
      422,
      'validation_failed',
      'parent_id: categories are two levels deep: pick a top-level category',
      { field: 'parent_id' },
      true,
    );
    expect(describeCatalogueError(deep, en())).toBe('Categories are two levels deep: pick a top-level category');
    const long = new ApiError(422, 'validation_failed', 'name: must be at most 40 characters', { field: 'name' }, true);
    expect(describeCatalogueError(long, zh())).toBe(zh()('validation.maxChars', { n: '40' }));
    const gone = new ApiError(422, 'validation_failed', 'category_id: no such category', { field: 'category_id' }, true);
    expect(isCatalogueFieldError(gone)).toBe(true);
    expect(describeCatalogueError(gone, zh())).toBe('分类不存在（可能刚被删除），请重新选择');
  });

  it("say a photo's refusals in the UI language", () => {
    const big = parseApiError(413, body('payload_too_large', 'too large', { limit_bytes: PHOTO_MAX_BYTES }));
    expect(describeCatalogueError(big, zh())).toBe('图片过大：商品图片不能超过 2 MB。');
    const notImage = new ApiError(
      422,
      'validation_failed',
      'photo: the photo must be a JPEG, PNG or WebP image',
      { field: 'photo' },
      true,
    );
    expect(describeCatalogueError(notImage, en())).toBe('The photo must be a JPEG, PNG or WebP image');
  });

  it('leave the rest to the usual wording', () => {
    const forbidden = new ApiError(403, 'forbidden', 'staff only', {}, true);
    expect(describeCatalogueError(forbidden, zh())).toBe('您没有权限执行此操作。');
    expect(isCatalogueFieldError(forbidden)).toBe(false);
    const sku = new ApiError(409, 'sku_taken', 'taken', { field: 'sku' }, true);
    expect(isCatalogueFieldError(sku)).toBe(false);
  });
});
