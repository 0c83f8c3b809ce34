/** The message every email test sends: two recipients (one with a display name), both parts, a reply-to. */
export const message = {
  to: ['ada@example.com', 'Grace <grace@example.com>'],
  subject: 'Reset your password',
  text: 'Open https://app.example.com/reset?token=abc',
  html: '<a href="https://app.example.com/reset?token=abc">Reset</a>',
  replyTo: 'support@example.com',
};
