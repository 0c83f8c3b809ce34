export const BOUNDARY = 'files-test-boundary-7MA4YWxkTrZu0gW';

/** The content type of a body made by `form`. */
export const FORM_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

/** A multipart/form-data body, written out by hand so names and lengths are exactly what a test says. */
export const form = (...parts: { filename?: string; bytes: Uint8Array }[]) =>
  Buffer.concat([
    ...parts.flatMap((part, i) => [
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file${i}"` +
          (part.filename === undefined ? '' : `; filename="${part.filename}"`) +
          '\r\nContent-Type: text/plain\r\n\r\n',
      ),
      part.bytes,
      Buffer.from('\r\n'),
    ]),
    Buffer.from(`--${BOUNDARY}--\r\n`),
  ]);
