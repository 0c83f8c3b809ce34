/** An in-memory project: output path -> file text. Nothing touches disk until `apply`. */
export type Tree = Map<string, string>;

export const sortedTree = (entries: Iterable<[string, string]>): Tree =>
  new Map([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
