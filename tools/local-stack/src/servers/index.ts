import type { ServerDefinition, ServerName } from '../types';
import { elasticMqServer } from './elasticmq';
import { motoServer } from './moto';
import { openSearchServer } from './opensearch';
import { s3ProxyServer } from './s3proxy';

/** Every server of the stack, by name. */
export const SERVERS: Readonly<Record<ServerName, ServerDefinition>> = {
  dynamodb: motoServer,
  opensearch: openSearchServer,
  sqs: elasticMqServer,
  s3: s3ProxyServer,
};
