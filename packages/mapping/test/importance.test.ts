import { describe, expect, it } from 'vitest';
import { importanceFromHeaders } from '../src/index';

describe('importance from headers', () => {
  const cases: Array<[Array<[string, string]>, string | null]> = [
    [[['Importance', 'High']], 'high'],
    [[['Importance', 'normal']], 'medium'],
    [[['Importance', 'low']], 'low'],
    [[['X-Priority', '1 (Highest)']], 'high'],
    [[['X-Priority', '2 (High)']], 'high'],
    [[['X-Priority', '3 (Normal)']], 'medium'],
    [[['X-Priority', '4']], 'low'],
    [[['X-Priority', '5 (Lowest)']], 'low'],
    [[['Priority', 'urgent']], 'high'],
    [[['Priority', 'non-urgent']], 'low'],
    [[['Priority', 'normal']], 'medium'],
    [[['X-MSMail-Priority', 'High']], 'high'],
    [[['X-MSMail-Priority', 'Low']], 'low'],
    [
      [
        ['Importance', 'High'],
        ['X-Priority', '5'],
      ],
      'high',
    ],
    [
      [
        ['Importance', 'whatever'],
        ['X-Priority', '5'],
      ],
      'low',
    ],
    [[['X-Priority', 'garbage']], null],
    [[], null],
  ];
  it.each(cases)('%j -> %s', (headers, expected) => {
    expect(
      importanceFromHeaders(headers.map(([name, value]) => ({ name: name.toLowerCase(), value }))),
    ).toBe(expected);
  });
});
