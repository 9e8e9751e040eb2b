import { test, expect, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { collectErrors, expectNoSeriousA11yIssues, gotoHydrated, hydrated, MAIL_DIR, runId, signUpVerifyAndSignIn } from './support';

// The platform admin console (issue 8's acceptance test): an admin finds a coach, starts a
// support session (impersonation), sees the banner on every page, edits the coach's page, stops;
// the audit log then shows the edit with both identities. Plus: the console hides from
// non-admins (the 404 page, status 404), has no serious accessibility issue in either language,
// and works on a phone.
//
// scripts/test starts the server with PLATFORM_ADMIN_EMAILS naming E2E_ADMIN_EMAIL; the admin
// signs up (or in, when a previous run against the same server made the account) through the
// REST API like the other specs' people.

const RUN = runId();
const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const ORIGIN = new URL(BASE_URL).origin;
const CSRF = { Origin: ORIGIN };
const ADMIN = {
  name: 'Admin Prueba',
  email: process.env.E2E_ADMIN_EMAIL ?? 'e2e-admin@example.com',
  password: 'admin e2e contraseña larga',
};
const SHOTS = process.env.SCREENSHOT_DIR ?? 'test-results/screenshots';

/** Signs the admin in on `request` (a context's), signing up first when the account is new. */
async function signInAdmin(request: APIRequestContext) {
  const signIn = await request.post('/api/auth/sign-in/email', {
    headers: CSRF,
    data: { email: ADMIN.email, password: ADMIN.password },
  });
  if (signIn.status() === 200) return;
  await signUpVerifyAndSignIn(request, ORIGIN, ADMIN);
}

async function adminContext(browser: Browser, locale: string, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ baseURL: BASE_URL, locale, viewport });
  await signInAdmin(context.request);
  return context;
}

interface Coach {
  id: string;
  name: string;
  email: string;
  pageId: string;
  pageTitle: string;
}

/** A coach with an organization and a page, made through the REST API in their own context. */
async function makeCoach(browser: Browser): Promise<Coach> {
  const context = await browser.newContext({ baseURL: BASE_URL });
  const who = { name: `Ana Pérez ${RUN}`, email: `ana-${RUN}@example.com`, password: `una frase larga ${RUN}` };
  await signUpVerifyAndSignIn(context.request, ORIGIN, who);
  const org = await context.request.post('/api/v1/organizations', {
    headers: CSRF,
    data: { name: `Coaching Ana ${RUN}`, slug: `coaching-ana-${RUN}` },
  });
  expect(org.status(), await org.text()).toBe(201);
  const pageTitle = `Ana Coach ${RUN}`;
  const created = await context.request.post('/api/v1/links/pages', {
    headers: CSRF,
    data: { slug: `ana-coach-${RUN}`, title: pageTitle },
  });
  expect(created.status(), await created.text()).toBe(201);
  const me = await (await context.request.get('/api/v1/me')).json();
  const page = await created.json();
  await context.close();
  return { id: me.id, name: who.name, email: who.email, pageId: page.id, pageTitle };
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

test.describe('the platform admin console', () => {
  test.skip(!MAIL_DIR, 'MAIL_DIR is not set: run through scripts/test, which captures the mail');

  test('an admin impersonates a coach, edits their page, stops; the audit log names both', async ({ browser }) => {
    test.setTimeout(180_000);
    const coach = await makeCoach(browser);
    const context = await adminContext(browser, 'en-US');
    const page = await context.newPage();
    const errors = collectErrors(page);

    // Find the coach by typing part of their email.
    await gotoHydrated(page, '/admin');
    await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
    await page.getByRole('navigation', { name: 'Admin console' }).getByRole('link', { name: 'Users' }).click();
    await page.waitForURL('**/admin/users');
    await page.getByLabel('Search by name or email').fill(`ana-${RUN}`);
    await expect(page).toHaveURL(new RegExp(`/admin/users\\?q=ana-${RUN}$`));
    const rows = page.getByTestId('user-row');
    await expect(rows).toHaveCount(1);
    await rows.getByRole('link', { name: coach.name }).click();
    await page.waitForURL(`**/admin/users/${coach.id}`);
    await expect(page.getByRole('heading', { level: 1, name: coach.name })).toBeVisible();
    await expect(page.getByTestId('user-orgs')).toContainText(`coaching-ana-${RUN}`);

    // Impersonate: asked first, then the dashboard as the coach, with the banner.
    await page.getByTestId('impersonate').click();
    const confirm = page.getByTestId('confirm');
    await expect(confirm).toContainText(`Act as ${coach.name}?`);
    await confirm.getByRole('button', { name: 'Start support session' }).click();
    await page.waitForURL('**/dashboard');
    await hydrated(page);
    const banner = page.getByRole('complementary', { name: 'Support session' });
    await expect(banner).toContainText(`you are acting as ${coach.name}`);
    await expect(banner).toContainText(coach.email);
    await expect(banner).toContainText(/ends at \d\d:\d\d/);
    await shot(page, 'banner-dashboard-en');

    // Edit the coach's page (the banner stays on every page).
    await gotoHydrated(page, `/dashboard/pages/${coach.pageId}`);
    await expect(banner).toBeVisible();
    const newTitle = `Edited by support ${RUN}`;
    await page.locator('#page-title').fill(newTitle);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByText('✓ Saved')).toBeVisible();

    // Stop: back to the coach in the console, as the admin, no banner.
    await banner.getByRole('button', { name: 'Stop' }).click();
    await page.waitForURL(`**/admin/users/${coach.id}`);
    await hydrated(page);
    await expect(page.getByRole('complementary', { name: 'Support session' })).toHaveCount(0);
    await expect(page.getByRole('heading', { level: 1, name: coach.name })).toBeVisible();

    // The audit log: the edit, done as the coach by the admin.
    await page.getByRole('navigation', { name: 'Admin console' }).getByRole('link', { name: 'Audit log' }).click();
    await page.waitForURL('**/admin/audit');
    await page.getByLabel('Action').fill('page.updated');
    await page.getByRole('button', { name: 'Filter' }).click();
    const edit = page.getByTestId('audit-row').filter({ hasText: coach.email }).first();
    await expect
      .poll(async () => {
        if ((await edit.count()) === 0) await page.reload();
        return edit.count();
      }, { timeout: 20_000 })
      .toBeGreaterThan(0);
    await expect(edit).toContainText('page.updated');
    await expect(edit).toContainText(coach.email);
    await expect(edit).toContainText(ADMIN.email);
    await hydrated(page);
    await expectNoSeriousA11yIssues(page);
    await shot(page, 'admin-audit-en');

    await page.waitForLoadState('networkidle');
    expect(errors, errors.join('\n')).toEqual([]);
    await context.close();
  });

  for (const [locale, lang, users, overview] of [
    ['es-ES', 'es', 'Usuarios', 'Resumen'],
    ['en-US', 'en', 'Users', 'Overview'],
  ] as const) {
    test(`the overview and users screens have no serious accessibility issue (${lang})`, async ({ browser }) => {
      test.setTimeout(120_000);
      const context = await adminContext(browser, locale);
      const page = await context.newPage();
      const errors = collectErrors(page);
      await gotoHydrated(page, '/admin');
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await expect(page.getByRole('heading', { level: 1, name: overview })).toBeVisible();
      await expect(page.getByTestId('overview-users')).toBeVisible();
      await expectNoSeriousA11yIssues(page);
      await shot(page, `admin-overview-${lang}`);

      await gotoHydrated(page, '/admin/users');
      await expect(page.getByRole('heading', { level: 1, name: users })).toBeVisible();
      await expect(page.getByTestId('user-row').first()).toBeVisible();
      await expectNoSeriousA11yIssues(page);
      await shot(page, `admin-users-${lang}`);

      // One user's screen, the organizations list and the dead jobs, for the record.
      await page.getByTestId('user-row').first().getByRole('link').first().click();
      await page.waitForURL(/\/admin\/users\/[0-9a-f-]{36}$/);
      await expect(page.getByTestId('user-status')).toBeVisible();
      await expectNoSeriousA11yIssues(page);
      await shot(page, `admin-user-${lang}`);
      for (const path of ['/admin/organizations', '/admin/jobs']) {
        await gotoHydrated(page, path);
        await expectNoSeriousA11yIssues(page);
        await shot(page, `admin-${path.split('/').pop()}-${lang}`);
      }
      await page.waitForLoadState('networkidle');
      expect(errors, errors.join('\n')).toEqual([]);
      await context.close();
    });
  }

  test('the overview on a phone (390×844)', async ({ browser }) => {
    test.setTimeout(120_000);
    const context = await adminContext(browser, 'es-ES', { width: 390, height: 844 });
    const page = await context.newPage();
    await gotoHydrated(page, '/admin');
    await expect(page.getByTestId('overview-users')).toBeVisible();
    // Nothing sideways: the page is no wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // The tab bar reaches every section.
    const nav = page.getByRole('navigation', { name: 'Consola de administración' });
    await expect(nav.getByRole('link')).toHaveCount(6);
    await expect(nav).toBeInViewport();
    await expectNoSeriousA11yIssues(page);
    await shot(page, 'admin-overview-phone');
    await gotoHydrated(page, '/admin/users');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, 'admin-users-phone');
    await context.close();
  });

  test('signed-out visitors are sent to sign-in; people who are not admins get the 404 page', async ({ browser }) => {
    const anonymous = await browser.newContext({ baseURL: BASE_URL, locale: 'en-US' });
    const page = await anonymous.newPage();
    for (const path of ['/admin', '/admin/users', '/admin/setup']) {
      const response = await page.goto(path);
      expect(await response?.request().redirectedFrom()?.response().then((r) => r?.status()), path).toBe(303);
      expect(page.url(), path).toBe(`${ORIGIN}/signin?next=${path}`);
      expect(response?.status(), path).toBe(200);
    }
    await anonymous.close();

    const coach = await browser.newContext({ baseURL: BASE_URL, locale: 'en-US' });
    await signUpVerifyAndSignIn(coach.request, ORIGIN, {
      name: `Not Admin ${RUN}`,
      email: `not-admin-${RUN}@example.com`,
      password: `una frase larga ${RUN}`,
    });
    const coachPage = await coach.newPage();
    const response = await coachPage.goto('/admin/users');
    expect(response?.status()).toBe(404);
    await hydrated(coachPage);
    await expect(coachPage.getByRole('heading', { level: 1 })).toHaveText("We couldn't find this page");
    await expect(coachPage.getByRole('navigation', { name: 'Admin console' })).toHaveCount(0);
    await coach.close();
  });
});
