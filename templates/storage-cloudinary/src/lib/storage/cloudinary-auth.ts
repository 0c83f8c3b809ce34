import { createHash } from 'node:crypto';

export interface CloudinaryCredentials {
  cloudName: string;
  apiKey: string;
  apiSecret: string;
}

const URL_FORMAT = 'cloudinary://<api key>:<api secret>@<cloud name>';

/** Reads CLOUDINARY_URL in the form Cloudinary's console shows; the error never repeats the value. */
export const parseCloudinaryUrl = (value: string): CloudinaryCredentials => {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url?.protocol !== 'cloudinary:' || !url.username || !url.password || !url.hostname) {
    throw new Error(`CLOUDINARY_URL must look like ${URL_FORMAT}`);
  }
  return {
    cloudName: url.hostname,
    apiKey: decodeURIComponent(url.username),
    apiSecret: decodeURIComponent(url.password),
  };
};

/** The credentials from CLOUDINARY_URL; without it, undefined in development and tests, an error in production. */
export const cloudinaryCredentialsFrom = (env: {
  NODE_ENV: string;
  CLOUDINARY_URL?: string | undefined;
}): CloudinaryCredentials | undefined => {
  if (env.CLOUDINARY_URL) return parseCloudinaryUrl(env.CLOUDINARY_URL);
  if (env.NODE_ENV === 'production') throw new Error(`CLOUDINARY_URL is required in production: ${URL_FORMAT}`);
  return undefined;
};

/**
 * Cloudinary's request signature: the signed parameters as `name=value` sorted by name and joined
 * with `&` (an `&` inside a value written %26, so values cannot smuggle parameters), the API secret
 * appended, then SHA-1 in hex. `file`, `api_key`, `resource_type` and `cloud_name` are never signed.
 */
export const signParams = (params: Record<string, string>, apiSecret: string): string => {
  const toSign = Object.entries(params)
    .filter(([, value]) => value !== '')
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`.replaceAll('&', '%26'))
    .join('&');
  return createHash('sha1')
    .update(toSign + apiSecret)
    .digest('hex');
};
