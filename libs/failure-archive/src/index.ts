export * from './types';
export * from './errors';
export * from './constants';
export { archiveKey, rangeName, parseArchiveKey, disambiguatedKey, replayedKey, normalizePrefix, dayPath } from './keys';
export { encodeArchive, decodeArchive, messageDigest } from './encoding';
export { archiveHeaderSchema } from './header-schema';
export { S3ArchiveStore, metadataOf } from './store';
