export * from './constants';
export * from './types';
export * from './errors';
export {
  productIdSchema,
  productInputSchema,
  productPatchSchema,
  productSchema,
  reviewIdSchema,
  reviewInputSchema,
  reviewPatchSchema,
  reviewSchema,
} from './entities';
export { parseKey, productKey, reviewKey } from './keys';
export { productItem, reviewItem } from './items';
