/** Longest name kept, in characters; longer names are cut, keeping their extension. */
export const MAX_NAME_LENGTH = 200;
const MAX_EXTENSION_LENGTH = 20;

/**
 * A client's file name made safe to store and to send back: the last path part only, no control or
 * invisible formatting characters (a right-to-left override can disguise `gpj.exe` as `exe.jpg`),
 * none of the characters Windows refuses, no leading or trailing dots or spaces, at most
 * MAX_NAME_LENGTH characters. Never used as a storage path: keys are made by the storage.
 */
export const sanitizeFileName = (raw: string): string => {
  const base = raw.normalize('NFC').split(/[/\\]/).at(-1) ?? '';
  const cleaned = base
    .replace(/\s+/g, ' ')
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  const chars = [...cleaned];
  if (chars.length === 0) return 'file';
  if (chars.length <= MAX_NAME_LENGTH) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const extension = dot > 0 ? [...cleaned.slice(dot)] : [];
  const kept = extension.length <= MAX_EXTENSION_LENGTH ? extension : [];
  return (
    chars
      .slice(0, MAX_NAME_LENGTH - kept.length)
      .join('')
      .trimEnd() + kept.join('')
  );
};

/** RFC 8187 encoding: every byte outside attr-char is percent-encoded (encodeURIComponent leaves '()* alone). */
const encodeExtValue = (value: string): string =>
  encodeURIComponent(value).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * `Content-Disposition` for a download: always an attachment, so a browser saves the file rather than
 * rendering it. `filename*` carries the UTF-8 name; `filename` an ASCII fallback for old clients.
 */
export const attachment = (name: string): string => {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeExtValue(name)}`;
};
