import { randomBytes } from 'node:crypto';
import { MAX_NAME_PREFIX_LENGTH } from './constants';
import { InvalidNamePrefixError } from './errors';

const PREFIX_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

/**
 * A name no other test uses, valid as a DynamoDB table, OpenSearch index, SQS queue and S3 bucket name:
 * `<prefix>-<time base36>-<random hex>`, lowercase letters, digits and hyphens only, at most 63 characters.
 *
 * @example
 * const table = uniqueName('orders'); // 'orders-mfz3k1q2-9c41e2'
 */
export function uniqueName(prefix: string): string {
  const normalized = prefix.toLowerCase();
  assertUsablePrefix(prefix, normalized);
  return `${normalized}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

function assertUsablePrefix(original: string, normalized: string): void {
  if (normalized.length === 0) throw new InvalidNamePrefixError(original, 'it is empty');
  if (normalized.length > MAX_NAME_PREFIX_LENGTH) {
    throw new InvalidNamePrefixError(original, `it is longer than ${MAX_NAME_PREFIX_LENGTH} characters`);
  }
  if (!PREFIX_PATTERN.test(normalized)) {
    throw new InvalidNamePrefixError(original, 'use letters, digits and hyphens only, starting with a letter or digit');
  }
}
