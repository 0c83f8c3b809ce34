import { startFakeCloudinary } from './fake-cloudinary.js';

/**
 * A fresh storage for one test file: for Cloudinary, a local fake of its API that checks signatures.
 * `objects()` lists what the fake holds, so a test can check that a refused upload left nothing.
 */
export const createTestStorage = async () => {
  const fake = await startFakeCloudinary();
  return {
    env: { CLOUDINARY_URL: fake.cloudinaryUrl, CLOUDINARY_API_BASE_URL: fake.url },
    objects: async () => fake.publicIds(),
    drop: fake.close,
  };
};
