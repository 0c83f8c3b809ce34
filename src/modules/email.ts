import type { ModuleManifest } from './types.js';

/** Every driver fills the same `email` dependency: an `Email` from src/lib/email/email.ts. */
const emailDep = (driverImport: string, create: string) => ({
  name: 'email',
  imports: [driverImport, "import type { Email } from './lib/email/email.js';"],
  type: 'Email',
  create,
});

/** An API driver: its key is required in production only, so development and tests start without one. */
const apiDep = (factory: string, file: string, prefix: string) => ({
  name: 'email',
  imports: [
    `import { type Email, requiredInProduction } from './lib/email/email.js';`,
    `import { ${factory} } from './lib/email/${file}.js';`,
  ],
  type: 'Email',
  // Written as Biome formats it: the line would pass 120 characters.
  create: [
    `${factory}({`,
    `    apiKey: requiredInProduction(env, '${prefix}_API_KEY'),`,
    '    from: env.EMAIL_FROM,',
    `    baseUrl: env.${prefix}_BASE_URL,`,
    '  })',
  ].join('\n'),
});

/** The interface, typed errors and Handlebars templates every driver shares. */
export const email: ModuleManifest = {
  id: 'email',
  description: 'Email: one `send` interface, typed provider errors, Handlebars templates with a shared layout',
  when: (a) => a.email !== 'none',
  dependencies: ['handlebars'],
  env: [
    {
      name: 'EMAIL_FROM',
      example: 'noreply@example.com',
      description: 'Sender of outgoing email; `Name <address>` works too',
      schema: "z.string().min(3).default('noreply@example.com')",
    },
    {
      name: 'EMAIL_PRODUCT_NAME',
      example: 'Acme',
      description: 'Product name in email subjects and the email layout',
      schema: "z.string().min(1).default('Acme')",
    },
  ],
  slots: {
    deps: [
      {
        name: 'emailTemplates',
        imports: ["import { createEmailTemplates, type EmailTemplates } from './lib/email/templates.js';"],
        type: 'EmailTemplates',
        create: 'createEmailTemplates({ productName: env.EMAIL_PRODUCT_NAME })',
      },
    ],
    // The production image reads the templates at run time, like the SQL migrations.
    imageFiles: [
      { path: 'src/lib/email/templates', why: 'dist/lib/email/templates.js reads the email templates from this path.' },
    ],
    readme: [
      {
        title: 'Email',
        body: [
          '`deps.email.send({ to, subject, text, html, replyTo })` sends one message through the configured',
          'driver. Templates live in `src/lib/email/templates/` as Handlebars files, one `.html` and one',
          '`.text` per message, rendered into a shared layout (`layout.*`):',
          '',
          '```ts',
          "const message = deps.emailTemplates.render('welcome', { name: 'Ada', url: 'https://app.example.com' });",
          "await deps.email.send({ to: 'ada@example.com', ...message });",
          '```',
          '',
          'Add a template: its data type and subject in `src/lib/email/templates.ts`, then its two files.',
          'A provider that refuses a message throws an `EmailError` with `provider`, `status` and `retryable`.',
        ].join('\n'),
      },
    ],
  },
};

export const emailConsole: ModuleManifest = {
  id: 'email-console',
  description: 'Email printed to the log instead of sent (development)',
  when: (a) => a.email === 'console',
  slots: {
    deps: [
      // Message bodies carry sign-in links and tokens: only development and tests log them.
      emailDep(
        "import { createConsoleEmail } from './lib/email/console.js';",
        "createConsoleEmail({ logger, from: env.EMAIL_FROM, showContent: env.NODE_ENV !== 'production' })",
      ),
    ],
  },
};

export const emailSmtp: ModuleManifest = {
  id: 'email-smtp',
  description: 'Email over SMTP with nodemailer',
  when: (a) => a.email === 'smtp',
  dependencies: ['nodemailer'],
  devDependencies: ['@types/nodemailer', 'smtp-server', '@types/smtp-server'],
  env: [
    {
      name: 'SMTP_URL',
      example: 'smtp://localhost:1025',
      description:
        'SMTP server, smtp://user:pass@host:587 (STARTTLS) or smtps://user:pass@host:465; the default suits Mailpit in development',
      schema: "z.url().default('smtp://localhost:1025')",
      secret: true,
    },
  ],
  slots: {
    // Every test app sends its mail to a local server of its own, never to the provider.
    testServices: [
      {
        name: 'emailServer',
        imports: ["import { startEmailTestService } from './smtp-server.js';"],
        start: 'startEmailTestService()',
      },
    ],
    deps: [
      emailDep(
        "import { createSmtpEmail } from './lib/email/smtp.js';",
        'createSmtpEmail({ url: env.SMTP_URL, from: env.EMAIL_FROM })',
      ),
    ],
  },
};

export const emailResend: ModuleManifest = {
  id: 'email-resend',
  description: 'Email through the Resend API (resend SDK)',
  when: (a) => a.email === 'resend',
  // email-http: the fake API and the error contract shared with the other HTTP providers' tests.
  templateDirs: () => ['email-http', 'email-resend'],
  dependencies: ['resend'],
  env: [
    {
      name: 'RESEND_API_KEY',
      example: '',
      description: 'Resend API key (re_...); required in production',
      schema: 'z.string().min(1).optional()',
      secret: true,
    },
    {
      name: 'RESEND_BASE_URL',
      example: 'https://api.resend.com',
      description: 'Resend API base URL; point it at a proxy or a test server',
      schema: "z.url().default('https://api.resend.com')",
    },
  ],
  slots: {
    // Every test app sends its mail to a local server of its own, never to the provider.
    testServices: [
      {
        name: 'emailServer',
        imports: ["import { startEmailTestService } from './fake-resend.js';"],
        start: 'startEmailTestService()',
      },
    ],
    deps: [apiDep('createResendEmail', 'resend', 'RESEND')],
  },
};

export const emailSendgrid: ModuleManifest = {
  id: 'email-sendgrid',
  description: 'Email through the SendGrid Mail Send API (@sendgrid/mail)',
  when: (a) => a.email === 'sendgrid',
  templateDirs: () => ['email-http', 'email-sendgrid'],
  dependencies: ['@sendgrid/mail', '@sendgrid/client'],
  env: [
    {
      name: 'SENDGRID_API_KEY',
      example: '',
      description: 'SendGrid API key (SG....); required in production',
      schema: 'z.string().min(1).optional()',
      secret: true,
    },
    {
      name: 'SENDGRID_BASE_URL',
      example: 'https://api.sendgrid.com/',
      description: 'SendGrid API base URL (https://api.eu.sendgrid.com/ for EU data residency, or a test server)',
      schema: "z.url().default('https://api.sendgrid.com/')",
    },
  ],
  slots: {
    // Every test app sends its mail to a local server of its own, never to the provider.
    testServices: [
      {
        name: 'emailServer',
        imports: ["import { startEmailTestService } from './fake-sendgrid.js';"],
        start: 'startEmailTestService()',
      },
    ],
    deps: [apiDep('createSendgridEmail', 'sendgrid', 'SENDGRID')],
  },
};
