import { startS3Server } from './s3-server.js';

/**
 * A fresh storage for one test file: for S3, a local S3-compatible server with an empty bucket.
 * `objects()` lists what the bucket holds, so a test can check that a refused upload left nothing.
 */
export const createTestStorage = async () => {
  const server = await startS3Server();
  const { bucket, region, endpoint, accessKeyId, secretAccessKey } = server.options;
  return {
    env: {
      S3_BUCKET: bucket,
      S3_REGION: region,
      S3_ENDPOINT: endpoint,
      S3_ACCESS_KEY_ID: accessKeyId,
      S3_SECRET_ACCESS_KEY: secretAccessKey,
    },
    objects: server.keys,
    drop: server.close,
  };
};
