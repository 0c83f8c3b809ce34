import type { ModuleManifest } from './types.js';

export const emailConsole: ModuleManifest = {
  id: 'email-console',
  description: 'Email printed to the log (development)',
  when: (a) => a.email === 'console',
};
