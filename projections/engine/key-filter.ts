/**
 * A set of strings that answers "certainly not added" or "maybe added" (a Bloom filter that
 * adds a layer of twice the size whenever one fills), in about 1.2 bytes a key at a 1% false
 * positive rate instead of the hundred or so a Set spends on each string. False positives only
 * cost a lookup the caller would otherwise have made; there are no false negatives.
 */
export interface KeyFilter {
  add(key: string): void;
  mayHave(key: string): boolean;
  clear(): void;
}

const HASHES = 7;
// 9.6 bits a key with 7 hashes gives about 1% false positives.
const BITS_PER_KEY = 9.6;

interface Layer {
  bits: Uint32Array;
  size: number;
  capacity: number;
  count: number;
}

const layer = (capacity: number): Layer => {
  const size = Math.ceil((capacity * BITS_PER_KEY) / 32) * 32;
  return { bits: new Uint32Array(size / 32), size, capacity, count: 0 };
};

/** Two independent 32-bit FNV-1a hashes of the key's UTF-16 code units. */
function hashes(key: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ key.length;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return [a >>> 0, (b | 1) >>> 0];
}

function has({ bits, size }: Layer, [a, b]: [number, number]): boolean {
  for (let i = 0; i < HASHES; i++) {
    const bit = (a + i * b) % size;
    if ((bits[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
  }
  return true;
}

function set(target: Layer, [a, b]: [number, number]): void {
  for (let i = 0; i < HASHES; i++) {
    const bit = (a + i * b) % target.size;
    target.bits[bit >>> 5]! |= 1 << (bit & 31);
  }
  target.count++;
}

export function createKeyFilter({ initialCapacity = 65_536 } = {}): KeyFilter {
  let layers: Layer[] = [layer(initialCapacity)];
  return {
    add(key) {
      const h = hashes(key);
      if (layers.some((l) => has(l, h))) return;
      let last = layers.at(-1)!;
      if (last.count >= last.capacity) layers.push((last = layer(last.capacity * 2)));
      set(last, h);
    },
    mayHave(key) {
      const h = hashes(key);
      return layers.some((l) => has(l, h));
    },
    clear() {
      layers = [layer(initialCapacity)];
    },
  };
}
