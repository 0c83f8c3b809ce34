import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

/** The Handlebars files; the same path from src/lib/email/ (tsx, vitest) and dist/lib/email/ (build). */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../../src/lib/email/templates/', import.meta.url));

/** Every template and the data it needs. Add one here, then its `.html` and `.text` files. */
export interface TemplateData {
  welcome: { name: string; url: string };
  'sign-in-link': { url: string; expiresInMinutes: number };
  'password-reset': { url: string; expiresInMinutes: number };
  notification: { title: string; message: string; url?: string; action?: string };
}

export type TemplateName = keyof TemplateData;

const SUBJECTS: { [K in TemplateName]: (data: TemplateData[K], productName: string) => string } = {
  welcome: (_, product) => `Welcome to ${product}`,
  'sign-in-link': (_, product) => `Your sign-in link for ${product}`,
  'password-reset': (_, product) => `Reset your ${product} password`,
  notification: (data) => data.title,
};

/** What a template renders to: spread it into `email.send({ to, ...rendered })`. */
export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export interface EmailTemplates {
  render<K extends TemplateName>(name: K, data: TemplateData[K]): RenderedEmail;
}

type Render = (context: object) => string;

/**
 * Compiles every template once, at start-up, so a broken file stops the boot rather than a send.
 * Each message is its body rendered into the shared layout, as HTML (values escaped) and as plain text.
 * Strict mode: a value the template uses but the data lacks is an error, not an empty string.
 */
export const createEmailTemplates = ({
  productName,
  dir = TEMPLATES_DIR,
}: {
  productName: string;
  dir?: string;
}): EmailTemplates => {
  const hbs = Handlebars.create();
  const compile = (file: string, noEscape: boolean): Render =>
    hbs.compile(readFileSync(`${dir}/${file}`, 'utf8'), { strict: true, noEscape });
  const both = (name: string) => ({
    html: compile(`${name}.html.handlebars`, false),
    text: compile(`${name}.text.handlebars`, true),
  });
  const layout = both('layout');
  const bodies = Object.fromEntries(
    (Object.keys(SUBJECTS) as TemplateName[]).map((name) => [name, both(name)]),
  ) as Record<TemplateName, { html: Render; text: Render }>;

  return {
    render(name, data) {
      const subject = SUBJECTS[name](data, productName);
      const context = { ...data, productName, subject };
      const body = bodies[name];
      return {
        subject,
        html: layout.html({ ...context, body: new hbs.SafeString(body.html(context)) }),
        text: layout.text({ ...context, body: body.text(context) }),
      };
    },
  };
};
