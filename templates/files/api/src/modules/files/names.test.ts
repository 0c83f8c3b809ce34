import { describe, expect, it } from 'vitest';
import { attachment, MAX_NAME_LENGTH, sanitizeFileName } from './names.js';

describe('sanitizeFileName', () => {
  it.each([
    ['report.pdf', 'report.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\windows\\system32\\cmd.exe', 'cmd.exe'],
    ['/absolute/path/photo.png', 'photo.png'],
    ['..', 'file'],
    ['', 'file'],
    ['dir/', 'file'],
    ['a\u0000b\u0007c\r\n.txt', 'abc .txt'],
    ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['  .hidden  ', 'hidden'],
    ['what?<is>:"this"|*.txt', 'what__is___this___.txt'],
    ['tab\there   and\u00a0there.md', 'tab here and there.md'],
    ['Cafe\u0301.txt', 'Café.txt'],
  ])('%j -> %j', (raw, expected) => {
    expect(sanitizeFileName(raw)).toBe(expected);
  });

  it('cuts long names to the limit and keeps the extension', () => {
    const name = sanitizeFileName(`${'x'.repeat(500)}.jpeg`);
    expect([...name]).toHaveLength(MAX_NAME_LENGTH);
    expect(name.endsWith('x.jpeg')).toBe(true);
  });

  it('counts characters, not UTF-16 units, and never splits one', () => {
    const name = sanitizeFileName('😀'.repeat(300));
    expect([...name]).toHaveLength(MAX_NAME_LENGTH);
    expect(name).toBe('😀'.repeat(MAX_NAME_LENGTH));
  });
});

describe('attachment', () => {
  it('sends the UTF-8 name percent-encoded and an ASCII fallback', () => {
    expect(attachment("naïve résumé (1)'s.pdf")).toBe(
      "attachment; filename=\"na_ve r_sum_ (1)'s.pdf\"; filename*=UTF-8''na%C3%AFve%20r%C3%A9sum%C3%A9%20%281%29%27s.pdf",
    );
  });

  it('cannot be broken out of by quotes or backslashes', () => {
    expect(attachment('a"b\\c.txt')).toBe('attachment; filename="a_b_c.txt"; filename*=UTF-8\'\'a%22b%5Cc.txt');
  });
});
