import { expect, type APIRequestContext, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/** Collects console errors and uncaught exceptions (a WASM that fails to instantiate lands here). */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  return errors;
}

/** Fails with a readable report when axe-core finds a serious or critical WCAG 2.1 A/AA issue. */
export async function expectNoSeriousA11yIssues(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`)
    .join('\n');
  expect(bad.map((v) => `${v.impact} ${v.id}`), report).toEqual([]);
}

/** Waits until the page that just loaded has hydrated (clicks before that do nothing). */
export async function hydrated(page: Page) {
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
}

/** Opens `url` and waits for hydration; the navigation's response. */
export async function gotoHydrated(page: Page, url = '/') {
  const response = await page.goto(url);
  await hydrated(page);
  return response;
}

// ---------- accounts through the REST API (no UI, no hydration) ----------

/** Where scripts/test has the server write its mail (MAIL_TRANSPORT=file://…): one .eml per message. */
export const MAIL_DIR = process.env.MAIL_DIR ?? '';

/** A fresh suffix per run (lowercase letters and digits), so emails and slugs never collide. */
export function runId(): string {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

export interface Account {
  name: string;
  email: string;
  password: string;
}

function mailHeaders(head: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

function decodeMailBody(body: string, encoding: string | undefined): string {
  switch ((encoding ?? '7bit').toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'quoted-printable': {
      const soft = body.replace(/=\r?\n/g, '');
      const bytes: number[] = [];
      for (let i = 0; i < soft.length; i++) {
        const hex = soft.slice(i + 1, i + 3);
        if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
          bytes.push(parseInt(hex, 16));
          i += 2;
        } else {
          bytes.push(...Buffer.from(soft[i], 'utf8'));
        }
      }
      return Buffer.from(bytes).toString('utf8');
    }
    default:
      return body;
  }
}

/** The recipient and the text/plain part of a captured message (multipart/alternative or single part). */
function readMail(raw: string): { to: string; text: string } {
  const split = raw.search(/\r?\n\r?\n/);
  const headers = mailHeaders(raw.slice(0, split));
  const body = raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const boundary = /boundary="?([^";]+)"?/i.exec(headers.get('content-type') ?? '')?.[1];
  const parts = boundary
    ? body.split(`--${boundary}`).slice(1, -1)
    : [`Content-Type: ${headers.get('content-type') ?? 'text/plain'}\r\nContent-Transfer-Encoding: ${headers.get('content-transfer-encoding') ?? '7bit'}\r\n\r\n${body}`];
  let text = '';
  for (const part of parts) {
    const at = part.search(/\r?\n\r?\n/);
    const partHeaders = mailHeaders(part.slice(0, at).replace(/^\r?\n/, ''));
    if ((partHeaders.get('content-type') ?? '').startsWith('text/plain')) {
      text += decodeMailBody(part.slice(at).replace(/^\r?\n\r?\n/, ''), partHeaders.get('content-transfer-encoding'));
    }
  }
  return { to: headers.get('to') ?? '', text };
}

/** Waits for the newest captured mail to `email` with a link containing `pathPrefix`, and returns the link. */
export async function mailedLink(email: string, pathPrefix: string): Promise<string> {
  const pattern = new RegExp(`https?://[^\\s"<>]+${pathPrefix.replace(/[?]/g, '\\?')}[^\\s"<>]*`);
  let link: string | undefined;
  await expect
    .poll(
      async () => {
        const names = (await readdir(MAIL_DIR).catch(() => [] as string[])).filter((n) => n.endsWith('.eml'));
        const files = await Promise.all(
          names.map(async (n) => ({ file: path.join(MAIL_DIR, n), mtime: (await stat(path.join(MAIL_DIR, n))).mtimeMs })),
        );
        files.sort((a, b) => b.mtime - a.mtime);
        for (const { file } of files) {
          const mail = readMail(await readFile(file, 'utf8'));
          if (!mail.to.toLowerCase().includes(email.toLowerCase())) continue;
          link = pattern.exec(mail.text)?.[0];
          if (link) return true;
        }
        return false;
      },
      { message: `a mail to ${email} with a ${pathPrefix} link`, timeout: 20_000 },
    )
    .toBe(true);
  return link!;
}

/**
 * Signs `who` up through the REST API, confirms the address with the token from the captured
 * mail, and signs in: `request` (a browser context's `context.request`) then holds the session
 * cookie. `origin` is the site's, sent as `Origin` (the CSRF check) on every mutating call.
 */
export async function signUpVerifyAndSignIn(request: APIRequestContext, origin: string, who: Account) {
  const headers = { Origin: origin };
  const signUp = await request.post('/api/auth/sign-up/email', { headers, data: { ...who, locale: 'es' } });
  expect(signUp.status(), await signUp.text()).toBe(201);
  const token = new URL(await mailedLink(who.email, '/verify-email?token=')).searchParams.get('token') ?? '';
  const verify = await request.get(`/api/auth/verify-email?token=${encodeURIComponent(token)}`, {
    headers: { Accept: 'application/json' },
  });
  expect(verify.status(), await verify.text()).toBe(200);
  const signIn = await request.post('/api/auth/sign-in/email', {
    headers,
    data: { email: who.email, password: who.password },
  });
  expect(signIn.status(), await signIn.text()).toBe(200);
}
