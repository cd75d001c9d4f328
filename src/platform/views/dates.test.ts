import { describe, expect, it } from 'vitest';
import { formatDate } from './dates.js';

describe('formatDate', () => {
  it('shows the era with the western year on Japanese pages', () => {
    expect(formatDate('1956-09-29', 'ja')).toBe('昭和31年（1956年）9月29日');
    expect(formatDate('1989-01-08', 'ja-easy')).toBe('平成元年（1989年）1月8日');
    expect(formatDate('1989-01-07', 'ja')).toBe('昭和64年（1989年）1月7日');
    expect(formatDate('2019-05-01', 'ja')).toBe('令和元年（2019年）5月1日');
  });

  it('shows day, month and year on English pages, and leaves anything else alone', () => {
    expect(formatDate('1956-09-29', 'en')).toMatch(/^29 Sept? 1956$/);
    expect(formatDate('not a date', 'ja')).toBe('not a date');
  });
});
