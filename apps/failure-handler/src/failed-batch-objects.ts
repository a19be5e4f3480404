import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { FailureHandlerError } from './errors';

/** Reads the objects the S3 on-failure destination writes (a fake in unit tests). */
export interface FailedBatchObjects {
  read(bucket: string, key: string): Promise<string>;
}

/** {@link FailedBatchObjects} on S3: bucket and key come from the notification, so no configuration is needed. */
export class S3FailedBatchObjects implements FailedBatchObjects {
  constructor(private readonly s3: S3Client) {}

  async read(bucket: string, key: string): Promise<string> {
    const { Body } = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!Body) throw new FailureHandlerError(`s3://${bucket}/${key} has no body`);
    return Body.transformToString('utf8');
  }
}
