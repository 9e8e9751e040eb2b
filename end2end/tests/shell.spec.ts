import { test, expect, type Page } from '@playwright/test';
import { collectErrors, expectNoSeriousA11yIssues, gotoHydrated, MAIL_DIR, runId, signUpVerifyAndSignIn } from './support';

// The dashboard's shell (issue 7): the account menu switches the colour scheme at once and the
// server remembers it; the language switch speaks the other language; switching and creating
// organizations, and moving between screens, never loads a new document; the dashboard's home
// comes with the main module, and every other screen's code arrives as its own chunk the first
// time it is shown.

const RUN = runId();
const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const ORIGIN = new URL(BASE_URL).origin;
const CSRF = { Origin: ORIGIN };
const SHOTS = process.env.SCREENSHOT_DIR ?? 'test-results/screenshots';

/** Marks the current document; `sameDocument` is then true until a page load replaces it. */
async function markDocument(page: Page) {
  await page.evaluate(() => ((window as unknown as { __mibioMark: boolean }).__mibioMark = true));
}
async function sameDocument(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { __mibioMark?: boolean }).__mibioMark === true);
}

/** The computed background colour of the page body. */
async function background(page: Page): Promise<string> {
  return page.evaluate(() => getComputedStyle(document.body).backgroundColor);
}

test.describe('the dashboard shell', () => {
  test.skip(!MAIL_DIR, 'MAIL_DIR is not set: run through scripts/test, which captures the mail');

  test('theme, language, organizations and screens without page loads', async ({ browser }) => {
    test.setTimeout(120_000);
    const context = await browser.newContext({ baseURL: BASE_URL, locale: 'es-ES', colorScheme: 'light' });
    const who = { name: `Marta Shell ${RUN}`, email: `marta-${RUN}@example.com`, password: `una frase larga ${RUN}` };
    await signUpVerifyAndSignIn(context.request, ORIGIN, who);
    for (const n of [1, 2]) {
      const org = await context.request.post('/api/v1/organizations', {
        headers: CSRF,
        data: { name: `Estudio ${n} ${RUN}`, slug: `estudio-${n}-${RUN}` },
      });
      expect(org.status(), await org.text()).toBe(201);
    }
    const page = await context.newPage();
    const errors = collectErrors(page);
    const wasm: string[] = [];
    page.on('response', (r) => {
      if (r.url().endsWith('.wasm')) wasm.push(new URL(r.url()).pathname);
    });

    await gotoHydrated(page, '/dashboard');
    await markDocument(page);
    // The dashboard's home comes with the main module: no chunk of its own (README, "The browser
    // bundle": as a split point it cost more than its code).
    expect(wasm, 'only the main module').toHaveLength(1);

    // The colour scheme: dark at once, remembered by the server, back to the system's.
    const light = await background(page);
    const menu = page.getByTestId('user-menu');
    await menu.locator('summary').click();
    await expect(menu.getByRole('button', { name: 'Sistema' })).toHaveAttribute('aria-pressed', 'true');
    await expectNoSeriousA11yIssues(page);
    await menu.getByRole('button', { name: 'Oscuro' }).click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect.poll(() => background(page)).not.toBe(light);
    const dark = await background(page);
    expect(await sameDocument(page)).toBe(true);
    await page.screenshot({ path: `${SHOTS}/dashboard-dark-menu.png` });
    // Escape closes the menu and gives focus back to its button.
    await page.keyboard.press('Escape');
    await expect(menu.getByRole('button', { name: 'Oscuro' })).toBeHidden();
    await expect(menu.locator('summary')).toBeFocused();
    const served = await (await context.request.get('/dashboard')).text();
    expect(served).toMatch(/<html[^>]*data-theme="dark"/);
    await gotoHydrated(page, '/dashboard/settings');
    expect(await background(page)).toBe(dark);
    await page.getByTestId('user-menu').locator('summary').click();
    await expect(page.getByTestId('user-menu').getByRole('button', { name: 'Oscuro' })).toHaveAttribute('aria-pressed', 'true');
    await page.getByTestId('user-menu').getByRole('button', { name: 'Sistema' }).click();
    await expect(page.locator('html')).not.toHaveAttribute('data-theme', /.+/);
    expect(await background(page)).toBe(light);

    // Moving between screens and switching organization: one document throughout.
    await markDocument(page);
    const before = wasm.length;
    const nav = page.getByRole('navigation', { name: 'Panel' });
    await nav.getByRole('link', { name: 'Páginas' }).click();
    await page.waitForURL('**/dashboard/pages');
    // The menu left open on the last screen closed with it.
    await expect(page.getByTestId('user-menu').getByRole('button', { name: 'Sistema' })).toBeHidden();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    // The pages screen came as a chunk of its own.
    await expect.poll(() => wasm.length).toBeGreaterThan(before);
    await nav.getByRole('link', { name: 'Miembros' }).click();
    await page.waitForURL('**/dashboard/members');
    const orgName = page.getByTestId('org-switcher');
    const current = await orgName.inputValue();
    const other = await orgName.locator('option').evaluateAll(
      (options, cur) => (options as HTMLOptionElement[]).map((o) => o.value).find((v) => v && v !== cur && v !== '__new'),
      current,
    );
    expect(other).toBeTruthy();
    await orgName.selectOption(other as string);
    await page.waitForURL(/\/dashboard$/);
    await expect(page.getByTestId('org-switcher')).toHaveValue(other as string);
    expect(await sameDocument(page)).toBe(true);

    // The language: the whole page in English, remembered.
    await page.getByTestId('user-menu').locator('summary').click();
    await page.getByTestId('user-menu').getByRole('link', { name: 'English' }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Pages' })).toBeVisible();
    await gotoHydrated(page, '/dashboard/settings');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your account settings');
    await expectNoSeriousA11yIssues(page);

    expect(errors).toEqual([]);
    await context.close();
  });

  test('on a 360 px phone the header and its menu fit the screen', async ({ browser }) => {
    const context = await browser.newContext({ baseURL: BASE_URL, locale: 'es-ES', viewport: { width: 360, height: 740 } });
    const who = { name: `Rosa Estrecha ${RUN}`, email: `rosa-${RUN}@example.com`, password: `una frase larga ${RUN}` };
    await signUpVerifyAndSignIn(context.request, ORIGIN, who);
    const org = await context.request.post('/api/v1/organizations', {
      headers: CSRF,
      data: { name: `Rosa ${RUN}`, slug: `rosa-${RUN}` },
    });
    expect(org.status(), await org.text()).toBe(201);
    const page = await context.newPage();
    await gotoHydrated(page, '/dashboard');
    const menu = page.getByTestId('user-menu');
    await menu.locator('summary').click();
    const panel = menu.locator('.user-menu-panel');
    await expect(panel).toBeVisible();
    const box = await panel.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(360);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: `${SHOTS}/dashboard-360-menu.png` });
    // A click elsewhere closes it.
    await page.getByText('Crea roles a tu medida').click();
    await expect(panel).toBeHidden();
    await context.close();
  });
});
