// An amount in Chinese capitals (大写金额), as written on a sales receipt: 267.20 →
// 贰佰陆拾柒元贰角整. Works on integer minor units (fen), never on floats.

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'] as const;
/** Within a group of four digits, from the right. */
const PLACES = ['', '拾', '佰', '仟'] as const;
/** The groups of four digits, from the right: 万 is 10⁴, 亿 10⁸, 万亿 10¹². */
const GROUPS = ['', '万', '亿', '万亿'] as const;

/** The currencies whose amounts are written in 元, 角 and 分. */
const YUAN_CURRENCIES = new Set(['CNY', 'RMB', 'CNH']);

/** Is an amount in this currency (an ISO 4217 code) written in capitals on paper? */
export function writesInYuan(currencyCode: string): boolean {
  return YUAN_CURRENCIES.has(currencyCode.trim().toUpperCase());
}

/** The largest number of whole yuan written (below 10¹⁶, i.e. 万亿 groups at most). */
export const MAX_CAPITAL_YUAN = 10n ** 16n - 1n;

/** One group of four digits (1..9999), and whether it starts with a zero (0705 → 柒佰零伍). */
function group(n: number): { text: string; leadingZero: boolean } {
  let text = '';
  let zero = false;
  let leadingZero = false;
  for (let place = 3; place >= 0; place -= 1) {
    const d = Math.floor(n / 10 ** place) % 10;
    if (d === 0) {
      // Zeros inside a group are read once, and only before a digit (trailing ones are not).
      if (text) zero = true;
      else leadingZero = true;
      continue;
    }
    if (zero) text += '零';
    zero = false;
    text += (DIGITS[d] ?? '') + (PLACES[place] ?? '');
  }
  return { text, leadingZero };
}

/** Whole yuan in capitals, without 元: 10005 → 壹万零伍; 0 → "". */
function yuanText(yuan: bigint): string {
  const groups: number[] = [];
  for (let rest = yuan; rest > 0n; rest /= 10000n) groups.push(Number(rest % 10000n));
  let out = '';
  let skipped = false;
  for (let g = groups.length - 1; g >= 0; g -= 1) {
    const n = groups[g] ?? 0;
    if (n === 0) {
      // A whole group of zeros between digits is read as one 零 (壹亿零伍仟).
      if (out) skipped = true;
      continue;
    }
    const { text, leadingZero } = group(n);
    if (out && (skipped || leadingZero)) out += '零';
    out += text + GROUPS[g];
    skipped = false;
  }
  return out;
}

/**
 * An amount of fen in Chinese capitals, the way the People's Bank of China's rules for
 * 票据 and 结算凭证 write it (one of the forms they allow, always the same one):
 *
 * - whole yuan, then 元; 拾 always has its digit (壹拾元整, 壹拾万元整);
 * - zeros between digits are written as one 零 (壹仟零玖元, 壹万零伍元, 壹亿零伍仟元), a whole
 *   group of zeros (万 or 亿) too; zeros at the end of a group are not (壹拾万壹仟元,
 *   壹佰万元伍角整);
 * - 角 zero and 分 not: 零 after 元 (壹佰元零伍分); 元 zero and 角 not: nothing between
 *   (壹拾元伍角整);
 * - **整 at the end whenever there are no 分**: after 元 (贰佰元整) and after 角 (贰佰陆拾柒元
 *   贰角整); never after 分. (The rules allow leaving 整 off after 角; this always writes it,
 *   so a receipt cannot have a 分 added after printing.)
 * - under one yuan, no 元: 伍角整, 伍分, 叁角贰分; nothing at all is 零元整;
 * - a negative amount starts with 负.
 *
 * Throws a RangeError beyond 9,999,999,999,999,999.99 (the 万亿 groups), which no order reaches.
 */
export function chineseCapitals(fen: bigint): string {
  const negative = fen < 0n;
  const abs = negative ? -fen : fen;
  const yuan = abs / 100n;
  if (yuan > MAX_CAPITAL_YUAN) throw new RangeError(`${fen} fen is too large to write in capitals`);
  const jiao = Number((abs / 10n) % 10n);
  const fenDigit = Number(abs % 10n);
  const sign = negative ? '负' : '';
  if (abs === 0n) return '零元整';

  let out = yuan > 0n ? `${yuanText(yuan)}元` : '';
  if (jiao === 0 && fenDigit === 0) return `${sign}${out}整`;
  if (jiao > 0) out += `${DIGITS[jiao]}角`;
  else if (yuan > 0n) out += '零';
  out += fenDigit > 0 ? `${DIGITS[fenDigit]}分` : '整';
  return sign + out;
}
