import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

/**
 * s3rver knows this access key id only. It refuses other key ids and expired presigned URLs, but it
 * does not verify SigV4 signatures themselves, so tests here cannot show a tampered URL refused.
 */
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/**
 * A local S3-compatible server (s3rver) with one empty bucket in a temporary folder, so storage
 * tests run the real AWS SDK, signatures and presigned URLs included, without touching AWS.
 */
export const startS3Server = async (bucket = 'test-bucket') => {
  const directory = await mkdtemp(join(tmpdir(), 's3-test-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const options = { bucket, region: 'us-east-1', endpoint, ...CREDENTIALS };
  const client = new S3Client({ region: options.region, endpoint, forcePathStyle: true, credentials: CREDENTIALS });
  return {
    /** What createS3Storage needs to use this server. */
    options,
    /** Every key in the bucket, read past the storage code under test. */
    keys: async () => {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
      return (listed.Contents ?? []).map((object) => object.Key);
    },
    close: async () => {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
};
