import { test, expect } from '@playwright/test';
import { collectErrors, expectNoSeriousA11yIssues, gotoHydrated, MAIL_DIR, runId, signUpVerifyAndSignIn } from './support';

// Notifications (issue 19): a visitor leaves their email on a coach's public page; the coach's
// dashboard bell shows one unread notification, the list says who and where in the coach's
// language, opening it marks it read and leads to the page's leads; the email switch lives in
// the settings.

const RUN = runId();
const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const ORIGIN = new URL(BASE_URL).origin;
const CSRF = { Origin: ORIGIN };
const SHOTS = process.env.SCREENSHOT_DIR ?? 'test-results/screenshots';

test.describe('notifications', () => {
  test.skip(!MAIL_DIR, 'MAIL_DIR is not set: run through scripts/test, which captures the mail');

  test('a lead lights the bell; the list opens it and marks it read', async ({ browser }) => {
    test.setTimeout(120_000);
    const slug = `campana-${RUN}`;
    const coach = await browser.newContext({ baseURL: BASE_URL, locale: 'es-ES', colorScheme: 'light' });
    const api = coach.request;
    await signUpVerifyAndSignIn(api, ORIGIN, {
      name: 'Clara Campana',
      email: `clara-${RUN}@example.com`,
      password: `una frase larga ${RUN}`,
    });
    const org = await api.post('/api/v1/organizations', { headers: CSRF, data: { name: `Clara ${RUN}`, slug } });
    expect(org.status(), await org.text()).toBe(201);
    const created = await api.post('/api/v1/links/pages', { headers: CSRF, data: { slug, title: 'Clara Coaching' } });
    expect(created.status(), await created.text()).toBe(201);
    const pageId: string = (await created.json()).id;
    const block = await api.post(`/api/v1/links/pages/${pageId}/blocks`, {
      headers: CSRF,
      data: { type: 'LEAD_CAPTURE', config: { title: 'Mi guía gratis', buttonLabel: 'La quiero' } },
    });
    expect(block.status(), await block.text()).toBe(201);
    const published = await api.patch(`/api/v1/links/pages/${pageId}`, { headers: CSRF, data: { published: true } });
    expect(published.status()).toBe(200);

    // Nothing yet: the list teaches what will appear.
    const page = await coach.newPage();
    const errors = collectErrors(page);
    await gotoHydrated(page, '/dashboard/notifications');
    await expect(page.getByTestId('notifications-empty')).toContainText('te deje su contacto');
    await expect(page.getByTestId('bell')).toHaveAttribute('aria-label', 'Notificaciones');
    await expect(page.getByTestId('bell-badge')).toHaveCount(0);

    // A visitor, on the public page, with no session.
    const visitor = await browser.newContext({ baseURL: BASE_URL, locale: 'es-ES' });
    const visit = await visitor.newPage();
    await visit.goto(`/${slug}`);
    const card = visit.getByRole('region', { name: 'Mi guía gratis' });
    await card.getByLabel('Tu correo electrónico').fill(`visita-${RUN}@example.com`);
    await visit.getByRole('button', { name: 'La quiero' }).click();
    await expect(card.getByRole('status')).not.toBeEmpty();
    await visitor.close();

    // The bell counts again on every navigation; the outbox delivers within moments.
    const badge = page.getByTestId('bell-badge');
    await expect(async () => {
      await gotoHydrated(page, '/dashboard');
      await expect(badge).toHaveText('1', { timeout: 2_000 });
    }).toPass({ timeout: 30_000 });
    await expect(page.getByTestId('bell')).toHaveAttribute('aria-label', '1 notificación sin leer');
    await page.screenshot({ path: `${SHOTS}/notifications-bell.png` });

    // The list, newest first, unread marked, in Spanish.
    await page.getByTestId('bell').click();
    await expect(page).toHaveURL(/\/dashboard\/notifications$/);
    const item = page.getByTestId('notification');
    await expect(item).toHaveCount(1);
    await expect(item).toHaveAttribute('data-read', 'false');
    await expect(item).toContainText('Nuevo contacto en «Clara Coaching»');
    await expect(item).toContainText(`/${slug}`);
    await expect(page.getByTestId('mark-all-read')).toBeEnabled();
    await expectNoSeriousA11yIssues(page);
    await page.screenshot({ path: `${SHOTS}/notifications-list.png`, fullPage: true });

    // Opening it marks it read and follows its link: the page's leads.
    await item.getByRole('link').click();
    await expect(page).toHaveURL(new RegExp(`/dashboard/pages/${pageId}/leads$`));
    await expect(page.getByTestId('leads-table')).toContainText(`visita-${RUN}@example.com`);
    await expect(badge).toHaveCount(0);
    await expect(page.getByTestId('bell')).toHaveAttribute('aria-label', 'Notificaciones');
    const count = await api.get('/api/v1/notifications/unread-count');
    expect(await count.json()).toEqual({ unread: 0 });

    // Email switches in the settings.
    await gotoHydrated(page, '/dashboard/settings');
    const leads = page.getByTestId('pref-lead_captured');
    await expect(leads).toHaveAttribute('aria-checked', 'true');
    await leads.click();
    await expect(leads).toHaveAttribute('aria-checked', 'false');
    const prefs = await api.get('/api/v1/notifications/preferences');
    expect(await prefs.json()).toEqual([{ kind: 'lead_captured', email: false }]);
    await page.getByRole('heading', { name: 'Notificaciones por correo' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/notifications-settings.png` });
    await expectNoSeriousA11yIssues(page);

    expect(errors).toEqual([]);
    await coach.close();
  });
});
