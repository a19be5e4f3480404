import { DeleteBucketCommand, DeleteObjectsCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';

/** Empties and deletes a test bucket (the local S3 server is shared: leave nothing behind). */
export async function deleteBucket(s3: S3Client, bucket: string): Promise<void> {
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket })) {
    const objects = (page.Contents ?? []).map((object) => ({ Key: object.Key }));
    if (objects.length > 0) await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects } }));
  }
  await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
}
