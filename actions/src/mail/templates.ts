/** Subject and the plain-text and HTML bodies of one mail. */
export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Builds both bodies from paragraphs and an optional link, escaping every value for HTML. */
function compose(subject: string, paragraphs: string[], link?: { label: string; url: string }) {
  const textParts = link === undefined ? paragraphs : [...paragraphs, `${link.label}: ${link.url}`];
  const htmlParts = paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`);
  if (link !== undefined) {
    const url = escapeHtml(link.url);
    htmlParts.push(`<p><a href="${url}">${escapeHtml(link.label)}</a></p>`);
  }
  return {
    subject,
    text: `${textParts.join('\n\n')}\n`,
    html: `<!doctype html><html><body>${htmlParts.join('')}</body></html>`,
  };
}

function minutes(seconds: number): string {
  const count = Math.round(seconds / 60);
  return `${count} minute${count === 1 ? '' : 's'}`;
}

/** Mail with the link that sets a new password; the token travels in the URL fragment. */
export function passwordResetMail(link: string, ttlSeconds: number): MailContent {
  return compose(
    'Reset your ACCI password',
    [
      'Someone asked to reset the password of your ACCI account.',
      `The link below sets a new password. It works once and expires in ${minutes(ttlSeconds)}.`,
      'If you did not ask for this, ignore this mail; your password stays as it is.',
    ],
    { label: 'Set a new password', url: link },
  );
}

/** Mail inviting a new user to choose a password. */
export function inviteMail(
  invite: { firstName: string; tenantName: string; link: string },
  ttlSeconds: number,
): MailContent {
  const days = Math.max(1, Math.round(ttlSeconds / 86400));
  return compose(
    `You are invited to ${invite.tenantName} on ACCI`,
    [
      `Hello ${invite.firstName},`.replace(' ,', ','),
      `You have been invited to the organisation ${invite.tenantName}.`,
      `Open the link below to choose your password. It works once and expires in ${days} day${days === 1 ? '' : 's'}.`,
    ],
    { label: 'Accept the invitation', url: invite.link },
  );
}

/** Mail telling the owner that sign-in was locked after repeated failures. */
export function lockoutMail(failures: number, lockSeconds: number): MailContent {
  return compose('Your ACCI account was locked', [
    `Sign-in to your ACCI account failed ${failures} times in a row, so it is locked for ${minutes(lockSeconds)}.`,
    'If this was you, wait and try again, or reset your password.',
    'If it was not you, someone may be guessing your password: reset it once the lock ends, and tell your administrator.',
  ]);
}
