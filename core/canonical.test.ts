import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash } from './canonical.js';

describe('canonicalJson', () => {
  it('sorts object keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1, { z: 0, y: 'x' }], c: null } })).toBe('{"a":{"c":null,"d":[3,1,{"y":"x","z":0}]},"b":1}');
  });

  it('leaves out undefined members, writes undefined array items as null, as JSON.stringify does', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 2], c: {} })).toBe('{"b":[null,2],"c":{}}');
    expect(canonicalJson({ only: undefined })).toBe('{}');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('escapes strings and keys exactly as JSON.stringify', () => {
    const tricky = 'quote " backslash \\ tab \t lone \ud800 emoji 😀 \u2028 <script>';
    expect(canonicalJson({ [tricky]: tricky })).toBe(`{${JSON.stringify(tricky)}:${JSON.stringify(tricky)}}`);
    expect(JSON.parse(canonicalJson({ [tricky]: [tricky] }))).toEqual({ [tricky]: [tricky] });
  });

  it('hashes the same content alike whatever the key order', () => {
    expect(contentHash({ x: 1, y: { b: 2, a: 1 } }).equals(contentHash({ y: { a: 1, b: 2 }, x: 1 }))).toBe(true);
    expect(contentHash({ x: 1 }).equals(contentHash({ x: 2 }))).toBe(false);
  });
});
