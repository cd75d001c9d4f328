/** The metrics query's checks and pure helpers: periods, presets, months, CSV cells (no database). */
import { describe, expect, it } from 'vitest';
import { addMonths, csvCell, csvText, monthsOf, parseMetricsQuery, presetPeriod } from './metrics.js';

const CMS = 'child-medical-subsidy';

describe('metrics query checks and helpers', () => {
  const known = { departments: new Set(['kodomo']), procedures: new Set([CMS]) };
  const issues = (raw: Record<string, string>) => {
    try {
      parseMetricsQuery(raw, '2026-03-31', known);
      return [];
    } catch (err) {
      return (err as { issues: { field: string }[] }).issues.map((i) => i.field);
    }
  };

  it('defaults to the last 12 months grouped by procedure and names each bad field', () => {
    expect(parseMetricsQuery({}, '2026-03-31', known)).toMatchObject({ from: '2025-04-01', to: '2026-03-31', by: 'procedure' });
    expect(parseMetricsQuery({ to: '2025-12-31' }, '2026-03-31', known)).toMatchObject({ from: '2025-01-01', to: '2025-12-31' });
    expect(issues({ from: '2026-02-30' })).toEqual(['from']);
    expect(issues({ from: '2026-03-01', to: '2026-02-01' })).toEqual(['to']);
    expect(issues({ from: '2023-01-01', to: '2026-01-01' })).toEqual(['to']);
    expect(issues({ from: '2023-01-01', to: '2025-12-31' })).toEqual([]);
    expect(issues({ by: 'week', department: 'nowhere', procedure: 'nothing', channel: 'fax' })).toEqual(['by', 'department', 'procedure', 'channel']);
  });

  it('presets, months and CSV cells', () => {
    expect(presetPeriod('this-month', '2026-03-31')).toEqual({ from: '2026-03-01', to: '2026-03-31' });
    expect(presetPeriod('3-months', '2026-03-31')).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(presetPeriod('12-months', '2026-02-28')).toEqual({ from: '2025-03-01', to: '2026-02-28' });
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(monthsOf('2025-11-15', '2026-02-01')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(['+1', '-1', '@a', '\tx'].map(csvCell)).toEqual(["'+1", "'-1", "'@a", "'\tx"]);
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(-1.5)).toBe('-1.5');
    expect(csvCell(null)).toBe('');
    expect(csvText([['a', 1], ['b', null]])).toBe('\uFEFFa,1\r\nb,\r\n');
  });
});

