import { test, expect } from '@playwright/test';
import { collectErrors, expectNoSeriousA11yIssues, gotoHydrated, MAIL_DIR, mailedLink, runId } from './support';

// Issue 21 in a real browser: a hostile organization name is the tab's title as plain text (not
// markup, and not double-escaped once the WASM app takes over); an unverified account sees the
// "verify your email" banner, gets a new link from it, and is told why it cannot publish yet.

const RUN = runId();
const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const ORIGIN = new URL(BASE_URL).origin;
const CSRF = { Origin: ORIGIN };
const SHOTS = process.env.SCREENSHOT_DIR ?? 'test-results/screenshots';
const HOSTILE = '</title><meta http-equiv=refresh content="0;url=https://evil.example/"><b>HI</b>';

test.describe('hostile names and unverified accounts', () => {
  test.skip(!MAIL_DIR, 'MAIL_DIR is not set: run through scripts/test, which captures the mail');

  test('an unverified coach: the banner, a new link, no publishing, and a hostile name as text', async ({ browser }) => {
    test.setTimeout(120_000);
    const context = await browser.newContext({ baseURL: BASE_URL, locale: 'es-ES', viewport: { width: 390, height: 844 } });
    const api = context.request;
    const who = { name: `Nora ${RUN}`, email: `nora-${RUN}@example.com`, password: `una frase larga ${RUN}` };
    const signUp = await api.post('/api/auth/sign-up/email', { headers: CSRF, data: { ...who, locale: 'es' } });
    expect(signUp.status(), await signUp.text()).toBe(201);
    const first = await mailedLink(who.email, '/verify-email?token=');
    const signIn = await api.post('/api/auth/sign-in/email', { headers: CSRF, data: { email: who.email, password: who.password } });
    expect(signIn.status(), await signIn.text()).toBe(200);
    const org = await api.post('/api/v1/organizations', { headers: CSRF, data: { name: HOSTILE, slug: `evil-${RUN}` } });
    expect(org.status(), await org.text()).toBe(201);
    const created = await api.post('/api/v1/links/pages', { headers: CSRF, data: { slug: `nora-${RUN}`, title: 'Nora' } });
    expect(created.status(), await created.text()).toBe(201);
    const pageId = (await created.json()).id as string;

    const page = await context.newPage();
    const errors = collectErrors(page);
    let refreshed = false;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame() && frame.url().includes('evil.example')) refreshed = true;
    });
    await gotoHydrated(page, '/dashboard');
    // The name is the title, as text: the server escaped it, the browser did not escape it twice.
    await expect(page).toHaveTitle(`${HOSTILE} — mibio`);
    await expect(page.getByTestId('org-name')).toHaveText(HOSTILE);
    expect(await page.locator('head meta[http-equiv]').count(), 'no injected meta tag').toBe(0);

    const banner = page.getByTestId('verify-banner');
    await expect(banner).toContainText(who.email);
    await expect(banner).toContainText('Confirma tu correo');
    // A long unbroken name wraps: the phone never scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${SHOTS}/verify-banner-390.png`, fullPage: true });
    await expectNoSeriousA11yIssues(page);
    await banner.getByRole('button', { name: 'Reenviar el correo' }).click();
    await expect(banner.getByRole('status')).toContainText('te enviamos un nuevo enlace');
    // A second, different link arrives.
    await expect.poll(async () => (await mailedLink(who.email, '/verify-email?token=')) !== first, { timeout: 20_000 }).toBe(true);

    // Publishing is refused with the reason, in the coach's language.
    const publish = await api.patch(`/api/v1/links/pages/${pageId}`, { headers: CSRF, data: { published: true } });
    expect(publish.status()).toBe(403);
    expect((await publish.json()).error.code).toBe('email_unverified');

    // The new link verifies; the banner is gone.
    const link = await mailedLink(who.email, '/verify-email?token=');
    await page.goto(new URL(link).pathname + new URL(link).search);
    await gotoHydrated(page, '/dashboard');
    await expect(page.getByTestId('org-name')).toHaveText(HOSTILE);
    await expect(page.getByTestId('verify-banner')).toHaveCount(0);
    const again = await api.patch(`/api/v1/links/pages/${pageId}`, { headers: CSRF, data: { published: true } });
    expect(again.status(), await again.text()).toBe(200);

    expect(refreshed, 'the hostile name never navigated the page').toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  });
});
