import type { Env } from '../env.js';
import type { HeaderList } from './headers.js';

/** On every response. An API serves data, not pages, so the policy lets a browser load nothing. */
export const SECURITY_HEADERS: HeaderList = [
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Referrer-Policy', 'no-referrer'],
  ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
];

/** The API reference page (/docs) is the one page we serve; everything it loads comes from this app. */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  // Swagger UI's stylesheet draws its icons as data: SVG images.
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Response headers a browser script may read. */
const EXPOSED = 'X-Request-Id, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, RateLimit-Policy';

/** Answer to an allowed preflight. Add request headers your clients send to Allow-Headers. */
export const PREFLIGHT_HEADERS: HeaderList = [
  ['Access-Control-Allow-Methods', 'GET, HEAD, POST, PUT, PATCH, DELETE'],
  ['Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Request-Id'],
  ['Access-Control-Max-Age', '600'],
];

export interface CorsPolicy {
  /** Whether responses depend on the Origin header (an allowlist), so caches must key on it. */
  varyOnOrigin: boolean;
  /** The CORS headers for a request from `origin`, or undefined when that origin is not allowed. */
  headersFor: (origin: string) => HeaderList | undefined;
}

/** Header sets are built once per origin here, not per request. */
export const corsPolicy = ({ CORS_ORIGINS, CORS_CREDENTIALS }: Pick<Env, 'CORS_ORIGINS' | 'CORS_CREDENTIALS'>) => {
  const expose = ['Access-Control-Expose-Headers', EXPOSED] as const;
  if (CORS_ORIGINS.includes('*')) {
    const anyOrigin: HeaderList = [['Access-Control-Allow-Origin', '*'], expose];
    return { varyOnOrigin: false, headersFor: () => anyOrigin } satisfies CorsPolicy;
  }
  const byOrigin = new Map<string, HeaderList>(
    CORS_ORIGINS.map((origin) => [
      origin,
      [
        ['Access-Control-Allow-Origin', origin],
        ...(CORS_CREDENTIALS ? [['Access-Control-Allow-Credentials', 'true'] as const] : []),
        expose,
      ],
    ]),
  );
  return {
    varyOnOrigin: byOrigin.size > 0,
    headersFor: (origin: string) => byOrigin.get(origin),
  } satisfies CorsPolicy;
};
