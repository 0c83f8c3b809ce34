import { describe, expect, it } from 'vitest';
import { changeAnswers } from '../src/engine/change.js';
import { resolveAnswers } from '../src/engine/resolve.js';
import { changeCases } from '../src/matrix/changes-cases.js';
import { editFile, lostEdits, prng } from '../src/matrix/changes-fuzz.js';
import { migrationProblems } from '../src/matrix/changes-migrations.js';
import { rendered } from '../src/matrix/changes-tree.js';
import { tier1Plan } from '../src/matrix/plan.js';
import { answersKey, isValid } from '../src/matrix/space.js';

describe('changes check: cases', () => {
  it('takes each module out to its base, with the other dimension of a rule it breaks, and undoes it in order', () => {
    const row = {
      id: 'r',
      answers: resolveAnswers({ db: 'postgres', cache: 'redis', jobs: 'bullmq', storage: 'none' }),
    };
    const byModule = Object.fromEntries(changeCases([row]).map((c) => [c.id.slice(2), c]));
    expect(Object.keys(byModule)).toEqual(['db=postgres', 'cache=redis', 'jobs=bullmq', 'email=console']);
    expect(byModule['cache=redis']).toMatchObject({
      before: { cache: 'memory', jobs: 'none' },
      add: ['cache', 'redis', 'jobs', 'bullmq'],
      inverse: [
        { kind: 'remove', tokens: ['jobs', 'bullmq'] },
        { kind: 'add', tokens: ['cache', 'memory'] },
      ],
    });
    expect(byModule['jobs=bullmq']).toMatchObject({
      before: { cache: 'redis', jobs: 'none' },
      add: ['jobs', 'bullmq'],
    });
    expect(byModule['db=postgres']?.inverse).toEqual([{ kind: 'add', tokens: ['db', 'sqlite'] }]);
  });

  it('gives, for every tier-1 row, a valid row without X that the add brings back to the row', () => {
    const rows = tier1Plan().combos.filter((c) => !c.via);
    const cases = changeCases(rows);
    expect(cases.length).toBeGreaterThan(rows.length);
    for (const c of cases) {
      expect(isValid(c.before), c.id).toBe(true);
      expect(answersKey(changeAnswers(c.before, 'add', c.add)), c.id).toBe(answersKey(c.after));
    }
  });
});

describe('changes check: fuzz', () => {
  const base = 'import a;\nconst x = 1;\nconst y = 2;\nexport { x, y };\n';

  it('makes the same edits for the same seed', () => {
    const edit = () => editFile(prng(7), 'src/x.ts', base, undefined, { n: 0 });
    expect(edit()).toEqual(edit());
  });

  it('finds a user line lost or out of order, and a deleted line back in place', () => {
    const e = {
      path: 'src/x.ts',
      text: 'import a;\n// omnistack-fuzz-1 user\nconst y = 2;\n// omnistack-fuzz-2 user\nexport { x, y };\n',
      markers: ['omnistack-fuzz-1 ', 'omnistack-fuzz-2 '],
      deleted: [{ line: 'const x = 1;', run: ['import a;', 'const x = 1;', 'const y = 2;'] }],
    };
    const renders = { base, ours: base, clean: true };
    expect(lostEdits(e, e.text, renders)).toEqual([]);
    expect(lostEdits(e, e.text.replace('// omnistack-fuzz-1 user\n', ''), renders)).toEqual([
      "src/x.ts: the user's line omnistack-fuzz-1  is lost",
    ]);
    const swapped = e.text.replace('fuzz-1', 'fuzz-X').replace('fuzz-2', 'fuzz-1').replace('fuzz-X', 'fuzz-2');
    expect(lostEdits(e, swapped, renders)).toEqual(["src/x.ts: the user's line omnistack-fuzz-2  moved out of order"]);
    const back = `${e.text}import a;\nconst x = 1;\nconst y = 2;\n`;
    expect(lostEdits(e, back, renders)).toEqual(['src/x.ts: the line the user deleted is back: "const x = 1;"']);
    // Not when the new render writes that run anew, nor inside a conflict.
    expect(lostEdits(e, back, { ...renders, ours: `${base}import a;\nconst x = 1;\nconst y = 2;\n` })).toEqual([]);
    expect(lostEdits(e, back, { ...renders, clean: false })).toEqual([]);
  });
});

describe('changes check: migration history by meaning', () => {
  const created = rendered(resolveAnswers({}));
  const journal = 'src/db/migrations/meta/_journal.json';
  const snapshot = 'src/db/migrations/meta/0000_snapshot.json';
  const edited = (path: string, edit: (text: string) => string) =>
    new Map([...created].map(([p, t]) => [p, p === path ? edit(t) : t]));

  it("accepts create's own history and names a schema, chain or append-only break", () => {
    expect(created.has(journal)).toBe(true);
    expect(migrationProblems(created, created, created)).toEqual([]);
    const noTable = edited(snapshot, (t) => t.replace('"projects": {', '"renamed": {'));
    expect(migrationProblems(noTable, created, new Map())).toEqual([
      "src/db/migrations: the last snapshot's schema differs from the one create writes",
    ]);
    const prev = edited(snapshot, (t) => t.replace('"prevId": "00000000', '"prevId": "10000000'));
    expect(migrationProblems(prev, created, new Map())[0]).toMatch(/0000_snapshot.json: prevId 10000000/);
    expect(migrationProblems(prev, created, created)).toContain(
      'src/db/migrations/meta/0000_snapshot.json: rewritten (the history is append-only)',
    );
    const stray = new Map([...created, ['src/db/migrations/0001_x.sql', 'SELECT 1;\n']]);
    expect(migrationProblems(stray, created, created)).toEqual([
      'src/db/migrations: not in the journal: src/db/migrations/0001_x.sql',
    ]);
  });
});
