import { describe, expect, it } from 'vitest';
import { MAX_CAPITAL_YUAN, chineseCapitals } from './chineseAmount';
import { parseCents } from './money';

/** The capitals of a decimal amount as the server sends it ("267.20"). */
const cap = (amount: string) => {
  const fen = parseCents(amount.replaceAll(',', ''));
  if (fen === null) throw new Error(`not money: ${amount}`);
  return chineseCapitals(fen);
};

describe('chineseCapitals', () => {
  it('writes the examples of the brief', () => {
    expect(cap('267.20')).toBe('贰佰陆拾柒元贰角整');
    expect(cap('100.05')).toBe('壹佰元零伍分');
    expect(cap('0.00')).toBe('零元整');
    expect(cap('10,005.00')).toBe('壹万零伍元整');
    // 整 whenever there are no 分, after 角 too (see the doc comment).
    expect(cap('1,000,000.50')).toBe('壹佰万元伍角整');
  });

  it('ends with 整 exactly when there are no 分', () => {
    expect(cap('1.00')).toBe('壹元整');
    expect(cap('1.50')).toBe('壹元伍角整');
    expect(cap('1.55')).toBe('壹元伍角伍分');
    expect(cap('1.05')).toBe('壹元零伍分');
    for (const a of ['3.00', '3.10', '3.01', '3.11', '0.10', '0.01', '1234.50', '1234.56']) {
      expect(cap(a).endsWith('整'), a).toBe(a.endsWith('0'));
    }
  });

  it('amounts under one yuan have no 元', () => {
    expect(cap('0.01')).toBe('壹分');
    expect(cap('0.05')).toBe('伍分');
    expect(cap('0.10')).toBe('壹角整');
    expect(cap('0.20')).toBe('贰角整');
    expect(cap('0.32')).toBe('叁角贰分');
  });

  it('always writes the digit before 拾', () => {
    expect(cap('10.00')).toBe('壹拾元整');
    expect(cap('10.50')).toBe('壹拾元伍角整');
    expect(cap('15.00')).toBe('壹拾伍元整');
    expect(cap('110.00')).toBe('壹佰壹拾元整');
    expect(cap('100000.00')).toBe('壹拾万元整');
    expect(cap('1000000000.00')).toBe('壹拾亿元整');
  });

  it('writes zeros between digits once, and trailing zeros of a group not at all', () => {
    expect(cap('1409.50')).toBe('壹仟肆佰零玖元伍角整');
    expect(cap('1009.00')).toBe('壹仟零玖元整');
    expect(cap('1680.32')).toBe('壹仟陆佰捌拾元叁角贰分');
    expect(cap('16409.02')).toBe('壹万陆仟肆佰零玖元零贰分');
    expect(cap('325.04')).toBe('叁佰贰拾伍元零肆分');
    expect(cap('107000.53')).toBe('壹拾万柒仟元伍角叁分');
    expect(cap('100100.00')).toBe('壹拾万零壹佰元整');
    expect(cap('101000.00')).toBe('壹拾万壹仟元整');
    expect(cap('100010.00')).toBe('壹拾万零壹拾元整');
    expect(cap('200.00')).toBe('贰佰元整');
    expect(cap('2000.00')).toBe('贰仟元整');
    expect(cap('2020.00')).toBe('贰仟零贰拾元整');
    expect(cap('20000.00')).toBe('贰万元整');
  });

  it('handles the 万 and 亿 groups, empty ones included', () => {
    expect(cap('10000.00')).toBe('壹万元整');
    expect(cap('10500.00')).toBe('壹万零伍佰元整');
    expect(cap('11000.00')).toBe('壹万壹仟元整');
    expect(cap('12345678.90')).toBe('壹仟贰佰叁拾肆万伍仟陆佰柒拾捌元玖角整');
    expect(cap('100000000.00')).toBe('壹亿元整');
    expect(cap('100000005.00')).toBe('壹亿零伍元整');
    expect(cap('100005000.00')).toBe('壹亿零伍仟元整');
    expect(cap('100050000.00')).toBe('壹亿零伍万元整');
    expect(cap('110000000.00')).toBe('壹亿壹仟万元整');
    expect(cap('1234567890.12')).toBe('壹拾贰亿叁仟肆佰伍拾陆万柒仟捌佰玖拾元壹角贰分');
    expect(cap('1000000000000.00')).toBe('壹万亿元整');
    expect(cap('1000000000001.00')).toBe('壹万亿零壹元整');
    expect(cap('100000000000000.00')).toBe('壹佰万亿元整');
  });

  it('is exact beyond what a float holds', () => {
    // 9007199254740993 fen is not a float; the digits all come through.
    expect(chineseCapitals(9007199254740993n)).toBe('玖拾万亿零柒佰壹拾玖亿玖仟贰佰伍拾肆万柒仟肆佰零玖元玖角叁分');
  });

  it('writes a negative amount with 负', () => {
    expect(cap('-5.05')).toBe('负伍元零伍分');
    expect(cap('-0.50')).toBe('负伍角整');
    expect(chineseCapitals(-0n)).toBe('零元整');
  });

  it('refuses what has no name in the 万亿 groups', () => {
    expect(() => chineseCapitals((MAX_CAPITAL_YUAN + 1n) * 100n)).toThrow(RangeError);
    expect(chineseCapitals(MAX_CAPITAL_YUAN * 100n + 99n)).toBe(
      '玖仟玖佰玖拾玖万亿玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分',
    );
  });
});
