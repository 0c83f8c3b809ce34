import type { ModuleManifest } from './types.js';

export const emailConsole: ModuleManifest = {
  id: 'email-console',
  description: 'Email printed to the log instead of sent (development)',
  when: (a) => a.email === 'console',
  env: [
    {
      name: 'EMAIL_FROM',
      example: 'noreply@example.com',
      description: 'Sender of outgoing email; `Name <address>` works too',
      schema: "z.string().min(3).default('noreply@example.com')",
    },
  ],
  slots: {
    deps: [
      {
        name: 'email',
        imports: [
          "import { createConsoleEmail } from './lib/email/console.js';",
          "import type { Email } from './lib/email/email.js';",
        ],
        type: 'Email',
        // Message bodies carry sign-in links and tokens: only development and tests log them.
        create: "createConsoleEmail({ logger, from: env.EMAIL_FROM, showContent: env.NODE_ENV !== 'production' })",
      },
    ],
  },
};
