import { describe, expect, it } from 'vitest';
import { type Labels, mergeFile } from '../src/engine/merge.js';

const labels: Labels = { theirs: 'yours', base: 'create-omnistack 0.1.0', ours: 'omnistack add storage s3' };
const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

describe('mergeFile: JSON by tree', () => {
  it("keeps the user's key order and keys, and places a new key after the one it follows in the new render", () => {
    const base = json({ name: 'app', scripts: { dev: 'tsx', test: 'vitest' } });
    const ours = json({ name: 'app', scripts: { dev: 'tsx', 'db:local': 'pglite', test: 'vitest' } });
    const theirs = json({ scripts: { test: 'vitest', dev: 'tsx', mine: 'echo' }, name: 'app' });
    const merged = mergeFile('package.json', base, ours, theirs, labels);
    expect(merged).toMatchObject({ how: 'json', conflicts: 0 });
    expect(merged.text).toBe(
      json({ scripts: { test: 'vitest', dev: 'tsx', 'db:local': 'pglite', mine: 'echo' }, name: 'app' }),
    );
  });

  it('keeps a key the user deleted deleted, and takes a value only the new render changed', () => {
    const base = json({ a: 1, b: 2, c: 3 });
    const ours = json({ a: 1, b: 2, c: 4 });
    const theirs = json({ a: 1, c: 3 });
    expect(mergeFile('x.json', base, ours, theirs, labels).text).toBe(json({ a: 1, c: 4 }));
  });

  it("keeps the user's indentation and puts the new key right after its predecessor", () => {
    const base = '{\n\t"a": 1\n}\n';
    const merged = mergeFile('x.json', base, json({ a: 1, b: 2 }), '{\n\t"a": 1,\n\t"mine": true\n}\n', labels);
    expect(merged.text).toBe('{\n\t"a": 1,\n\t"b": 2,\n\t"mine": true\n}\n');
  });

  it('falls back to a line merge when both sides change one value, with both sides in the conflict', () => {
    const base = json({ version: '1.0.0', other: true });
    const merged = mergeFile(
      'x.json',
      base,
      json({ version: '2.0.0', other: true }),
      json({ version: '1.5.0', other: true }),
      labels,
    );
    expect(merged).toMatchObject({ how: 'lines', conflicts: 1 });
    expect(merged.text).toContain(
      '<<<<<<< yours\n  "version": "1.5.0",\n||||||| create-omnistack 0.1.0\n  "version": "1.0.0",',
    );
    expect(merged.text).toContain('=======\n  "version": "2.0.0",\n>>>>>>> omnistack add storage s3');
  });

  it('line-merges a JSON file the user made unparseable (a comment), keeping their line', () => {
    const base = json({ a: 1, b: 2 });
    const theirs = base.replace('  "a": 1,', '  // mine\n  "a": 1,');
    const merged = mergeFile('tsconfig.json', base, json({ a: 1, b: 3 }), theirs, labels);
    expect(merged).toMatchObject({ how: 'lines', conflicts: 0 });
    expect(merged.text).toBe('{\n  // mine\n  "a": 1,\n  "b": 3\n}\n');
  });
});

describe('mergeFile: .env.example by variable', () => {
  const base = '# Port\nPORT=3000\n\n# Log level\nLOG_LEVEL=info\n';

  it("keeps the user's variables, comments and values where they are, and adds new ones after their predecessor", () => {
    const ours = '# Port\nPORT=3000\n\n# S3 bucket\nS3_BUCKET=my-bucket\n\n# Log level\nLOG_LEVEL=info\n';
    const theirs = '# Mine\nMY_FLAG=1\n\n# Port\nPORT=8080\n\n# Log level\nLOG_LEVEL=info\n';
    const merged = mergeFile('.env.example', base, ours, theirs, labels);
    expect(merged).toMatchObject({ how: 'env', conflicts: 0 });
    expect(merged.text).toBe(
      '# Mine\nMY_FLAG=1\n\n# Port\nPORT=8080\n\n# S3 bucket\nS3_BUCKET=my-bucket\n\n# Log level\nLOG_LEVEL=info\n',
    );
  });

  it('drops a variable the new render removes unless the user changed it', () => {
    const ours = '# Port\nPORT=3000\n';
    expect(mergeFile('.env.example', base, ours, base.replace('=info', '=debug'), labels)).toMatchObject({
      how: 'lines',
      conflicts: 1,
    });
    expect(mergeFile('.env.example', base, ours, `# Mine\nMY_FLAG=1\n\n${base}`, labels).text).toBe(
      '# Mine\nMY_FLAG=1\n\n# Port\nPORT=3000\n',
    );
  });

  it('line-merges when a side declares a variable twice (no key order to trust)', () => {
    const theirs = `${base}\n# again\nPORT=1\n`;
    expect(mergeFile('.env.example', base, `${base}\n# New\nNEW=1\n`, theirs, labels).how).toBe('lines');
  });
});

describe('mergeFile: lines (node-diff3)', () => {
  const base = 'a\nb\nc\nd\ne\n';

  it('merges changes to different regions cleanly', () => {
    const merged = mergeFile('src/app.ts', base, 'a\nb\nc\nd\nE\n', 'A\nb\nc\nd\ne\n', labels);
    expect(merged).toEqual({ text: 'A\nb\nc\nd\nE\n', conflicts: 0, how: 'lines' });
  });

  it('keeps both sides and the base of each conflicting region, yours first, in diff3 style', () => {
    const merged = mergeFile('src/app.ts', base, 'a\nB2\nc\nd\nE2\n', 'a\nB1\nc\nd\nE1\n', labels);
    expect(merged.conflicts).toBe(2);
    expect(merged.text).toBe(
      [
        'a',
        ...[
          '<<<<<<< yours',
          'B1',
          '||||||| create-omnistack 0.1.0',
          'b',
          '=======',
          'B2',
          '>>>>>>> omnistack add storage s3',
        ],
        'c',
        'd',
        ...[
          '<<<<<<< yours',
          'E1',
          '||||||| create-omnistack 0.1.0',
          'e',
          '=======',
          'E2',
          '>>>>>>> omnistack add storage s3',
        ],
        '',
      ].join('\n'),
    );
  });
});
