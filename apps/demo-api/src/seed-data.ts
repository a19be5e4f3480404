import { productInputSchema, productItem, reviewInputSchema, reviewItem, type Product, type Review } from '@ddb-os/schemas';
import type { ItemStore } from './types';

const ADJECTIVES = ['Oak', 'Linen', 'Copper', 'Walnut', 'Wool', 'Ceramic', 'Brass', 'Cotton', 'Marble', 'Bamboo', 'Velvet', 'Glass'];
const NOUNS = ['lamp', 'chair', 'mug', 'blanket', 'shelf', 'vase', 'clock', 'cushion', 'table', 'rug', 'bowl', 'mirror'];
const CATEGORIES: Readonly<Record<string, string>> = {
  lamp: 'lighting',
  clock: 'decor',
  vase: 'decor',
  mirror: 'decor',
  chair: 'furniture',
  shelf: 'furniture',
  table: 'furniture',
  mug: 'kitchen',
  bowl: 'kitchen',
  blanket: 'textiles',
  cushion: 'textiles',
  rug: 'textiles',
};
const AUTHORS = ['Ana', 'Bilal', 'Chen', 'Dana', 'Emil', 'Fatou', 'Goran', 'Hana'];
const VERDICTS = [
  { rating: 5, title: 'Love it', body: 'Exactly as described and very well made.' },
  { rating: 4, title: 'Very nice', body: 'Good quality, delivery took a little longer than expected.' },
  { rating: 3, title: 'Fine', body: 'Does the job; the colour is a bit different from the photos.' },
  { rating: 2, title: 'Disappointing', body: 'Smaller than I thought and the finish is uneven.' },
];

/** A small deterministic PRNG (mulberry32): the same seed gives the same catalogue. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` generated products (ids `seed-0001`…) with zero to two reviews each, valid per the schemas.
 *
 * @example
 * const { products, reviews } = generateCatalogue(20, seededRandom(1), new Date());
 */
export function generateCatalogue(count: number, random: () => number, now: Date): { products: Product[]; reviews: Review[] } {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const products: Product[] = [];
  const reviews: Review[] = [];
  for (let n = 1; n <= count; n += 1) {
    const productId = `seed-${String(n).padStart(4, '0')}`;
    const [adjective, noun] = [pick(ADJECTIVES), pick(NOUNS)];
    const input = productInputSchema.parse({
      name: `${adjective} ${noun}`,
      description: `A ${adjective.toLowerCase()} ${noun}, made to last. Seed item number ${n}.`,
      category: CATEGORIES[noun] ?? 'decor',
      price: Math.round((5 + random() * 295) * 100) / 100,
      tags: [adjective.toLowerCase(), noun, ...(random() < 0.3 ? ['sale'] : [])],
      inStock: random() > 0.2,
    });
    products.push(productItem(productId, input, now));
    const reviewCount = Math.floor(random() * 3);
    for (let r = 1; r <= reviewCount; r += 1) {
      const verdict = pick(VERDICTS);
      reviews.push(reviewItem(productId, `r${r}`, reviewInputSchema.parse({ ...verdict, author: pick(AUTHORS) }), now));
    }
  }
  return { products, reviews };
}

/**
 * Writes a generated catalogue to the table (a few items at a time) and returns how many items it wrote.
 *
 * @example
 * await seedCatalogue(store, 20);
 */
export async function seedCatalogue(
  store: ItemStore,
  count: number,
  options: { readonly seed?: number; readonly now?: Date } = {},
): Promise<number> {
  const { products, reviews } = generateCatalogue(count, seededRandom(options.seed ?? 42), options.now ?? new Date());
  const items = [...products, ...reviews];
  const parallel = 8;
  for (let start = 0; start < items.length; start += parallel) {
    await Promise.all(items.slice(start, start + parallel).map((item) => store.put(item)));
  }
  return items.length;
}
