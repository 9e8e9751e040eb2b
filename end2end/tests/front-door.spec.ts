import { test, expect, type Browser, type Page, type ViewportSize } from '@playwright/test';
import { collectErrors, expectNoSeriousA11yIssues, hydrated, mailedLink, MAIL_DIR, runId, signUpVerifyAndSignIn } from './support';

// The front door (issue 14's acceptance test). A newcomer starts at `/` knowing no other address:
// finds sign-up by its role and name, signs up, confirms through the captured mail and lands back
// in the dashboard, signs out, comes back to `/`, finds sign-in, signs in, creates the
// organization, is led to create a page from a template, adds a link, publishes, and a fresh
// visitor sees the link on `/{slug}`. At 1280 px and at 390×844, in English and in Spanish.
// Then: `next` never leads off the site, and the dashboard sends a signed-out visitor to sign-in
// even without JavaScript.

const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const ORIGIN = new URL(BASE_URL).origin;
const SHOTS = process.env.SCREENSHOT_DIR ?? 'test-results/screenshots';

const TEXTS = {
  en: {
    browserLocale: 'en-US',
    signUp: 'Create your account',
    signIn: 'Sign in',
    name: 'Your name',
    email: 'Email',
    password: 'Password',
    createAccount: 'Create account',
    signInButton: 'Sign in',
    signOut: 'Sign out',
    orgName: 'Name',
    createOrg: 'Create organization',
    firstStep: 'Create your page',
    fromTemplate: 'Start from a template',
    startingPoint: 'Choose a starting point',
    title: 'Title',
    available: '✓ Available',
    createPage: 'Create page',
    addBlock: 'Add block',
    linkType: /^Link\b/,
    buttonText: 'Button text',
    webAddress: 'Web address',
    addToPage: 'Add to the page',
    publish: 'Publish',
    published: 'Published',
    home: 'Home',
    nav: 'Dashboard',
    edit: 'Edit',
    dashboard: 'Go to your dashboard',
  },
  es: {
    browserLocale: 'es-ES',
    signUp: 'Crea tu cuenta',
    signIn: 'Iniciar sesión',
    name: 'Tu nombre',
    email: 'Correo',
    password: 'Contraseña',
    createAccount: 'Crear cuenta',
    signInButton: 'Entrar',
    signOut: 'Salir',
    orgName: 'Nombre',
    createOrg: 'Crear organización',
    firstStep: 'Crea tu página',
    fromTemplate: 'Empezar con una plantilla',
    startingPoint: 'Elige un punto de partida',
    title: 'Título',
    available: '✓ Disponible',
    createPage: 'Crear página',
    addBlock: 'Añadir bloque',
    linkType: /^Enlace\b/,
    buttonText: 'Texto del botón',
    webAddress: 'Dirección web',
    addToPage: 'Añadir a la página',
    publish: 'Publicar',
    published: 'Publicada',
    home: 'Inicio',
    nav: 'Panel',
    edit: 'Editar',
    dashboard: 'Ir a tu panel',
  },
} as const;
type Lang = keyof typeof TEXTS;

/** The landing's way in (its main region: the header has none). */
function wayIn(page: Page) {
  return page.getByRole('main');
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${SHOTS}/front-door-${name}.png` });
}

async function journey(browser: Browser, lang: Lang, viewport: ViewportSize) {
  const t = TEXTS[lang];
  const run = runId();
  const size = `${viewport.width}`;
  const coach = { name: `Coach ${lang} ${run}`, email: `door-${lang}-${size}-${run}@example.com`, password: `una frase larga ${run}` };
  const pageTitle = `Coach ${lang} ${size} ${run}`;
  const linkTitle = `Book a call ${run}`;

  const context = await browser.newContext({ baseURL: BASE_URL, locale: t.browserLocale, viewport });
  const page = await context.newPage();
  const errors = collectErrors(page);

  // `/`, knowing nothing else: the way in is on the first screen.
  await page.goto('/');
  await hydrated(page);
  const signUp = wayIn(page).getByRole('link', { name: t.signUp });
  await expect(signUp).toBeInViewport();
  await expect(wayIn(page).getByRole('link', { name: t.signIn })).toBeInViewport();
  await shot(page, `landing-${lang}-${size}`);
  await signUp.click();

  // Sign up; the mail's link, opened in this browser, signs in and lands in the dashboard.
  await page.waitForURL('**/signup');
  await hydrated(page);
  await page.getByLabel(t.name).fill(coach.name);
  await page.getByLabel(t.email, { exact: true }).fill(coach.email);
  await page.getByLabel(t.password, { exact: true }).fill(coach.password);
  await page.getByRole('button', { name: t.createAccount }).click();
  await expect(page.getByRole('status')).toContainText(coach.email);
  const link = await mailedLink(coach.email, '/verify-email?token=');
  const landed = await page.goto(link);
  expect(new URL(page.url()).pathname).toBe('/dashboard');
  expect(landed?.request().redirectedFrom()?.url()).toContain('/verify-email?token=');
  await hydrated(page);
  await expect(page.getByTestId('user-name')).toHaveText(coach.name);

  // Sign out, back to `/`, and in again through the landing page.
  await page.getByTestId('user-menu').locator('summary').click();
  await page.getByRole('button', { name: t.signOut }).click();
  await page.waitForURL('**/signin');
  await page.goto('/');
  await hydrated(page);
  const signIn = wayIn(page).getByRole('link', { name: t.signIn });
  await expect(signIn).toBeInViewport();
  await signIn.click();
  await page.waitForURL('**/signin');
  await hydrated(page);
  await page.getByLabel(t.email, { exact: true }).fill(coach.email);
  await page.getByLabel(t.password, { exact: true }).fill(coach.password);
  await page.getByRole('button', { name: t.signInButton, exact: true }).click();
  await page.waitForURL('**/dashboard');
  await hydrated(page);

  // The organization; then the home leads to the first page, from a template.
  await page.getByLabel(t.orgName, { exact: true }).fill(`Studio ${lang} ${size} ${run}`);
  await page.getByRole('button', { name: t.createOrg }).click();
  await expect(page.getByTestId('org-name')).toBeVisible();
  const firstStep = page.getByRole('region', { name: t.firstStep });
  await expect(firstStep).toBeVisible();
  await expect(firstStep.getByRole('link', { name: t.fromTemplate })).toBeInViewport();
  await expectNoSeriousA11yIssues(page);
  await shot(page, `first-step-${lang}-${size}`);
  await firstStep.getByRole('link', { name: t.fromTemplate }).click();
  await page.waitForURL(/\/dashboard\/pages\?new=1$/);
  await page.getByRole('group', { name: t.startingPoint }).getByText('Wellness', { exact: true }).click();
  await expect(page.getByRole('radio', { name: /Wellness/ })).toBeChecked();
  await page.getByLabel(t.title, { exact: true }).fill(pageTitle);
  await expect(page.locator('#page-slug-note')).toHaveText(t.available);
  const slug = await page.locator('#page-slug').inputValue();
  await page.getByRole('button', { name: t.createPage }).click();
  await page.waitForURL(/\/dashboard\/pages\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1, name: pageTitle })).toBeVisible();

  // A link block, then publish.
  await page.getByRole('button', { name: t.addBlock }).click();
  await page.getByRole('button', { name: t.linkType }).click();
  const newBlock = page.getByTestId('new-block');
  await newBlock.getByLabel(t.buttonText).fill(linkTitle);
  await newBlock.getByLabel(t.webAddress).fill('https://example.com/agenda');
  await newBlock.getByRole('button', { name: t.addToPage }).click();
  await expect(newBlock).toHaveCount(0);
  await expect(page.getByTestId('block-row').filter({ hasText: linkTitle })).toHaveCount(1);
  // The badge changes at once (optimistically); the home reads what the server has, so wait for
  // the server's answer before going there.
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/fn/update_page') && r.ok());
  await page.getByRole('button', { name: t.publish, exact: true }).click();
  await expect(page.getByTestId('page-status')).toHaveText(t.published);
  await saved;

  // The home now shows the page: its address, live, its week, and the way to edit it.
  await page.getByRole('navigation', { name: t.nav }).getByRole('link', { name: t.home }).click();
  await page.waitForURL(/\/dashboard$/);
  const card = page.getByTestId('page-card').filter({ hasText: pageTitle });
  await expect(card).toBeVisible();
  await expect(card.getByTestId('page-card-url')).toContainText(`/${slug}`);
  await expect(card).toContainText(t.published);
  await expect(card.getByRole('link', { name: new RegExp(`^${t.edit}`) })).toHaveAttribute('href', /\/dashboard\/pages\/[0-9a-f-]{36}$/);
  await expectNoSeriousA11yIssues(page);
  await shot(page, `home-cards-${lang}-${size}`);
  await page.waitForLoadState('networkidle');
  expect(errors, errors.join('\n')).toEqual([]);

  // A fresh visitor sees the link on the public page.
  const visitor = await browser.newContext({ baseURL: BASE_URL, locale: t.browserLocale, viewport });
  const guest = await visitor.newPage();
  const response = await guest.goto(`/${slug}`);
  expect(response?.status()).toBe(200);
  await expect(guest.getByRole('link', { name: linkTitle })).toBeVisible();
  await expect(guest.getByRole('link', { name: linkTitle })).toHaveAttribute('href', 'https://example.com/agenda');
  await visitor.close();
  await context.close();
}

test.describe('the front door', () => {
  test.skip(!MAIL_DIR, 'MAIL_DIR is not set: run through scripts/test, which captures the mail');

  for (const lang of ['en', 'es'] as const) {
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 390, height: 844 },
    ]) {
      test(`from / to a published page, in ${lang} at ${viewport.width}×${viewport.height}`, async ({ browser }) => {
        test.setTimeout(240_000);
        await journey(browser, lang, viewport);
      });
    }
  }
});

test.describe('the landing page on a small phone', () => {
  for (const lang of ['en', 'es'] as const) {
    test(`the way in is above the fold at 360×640 (${lang})`, async ({ browser }) => {
      const t = TEXTS[lang];
      const context = await browser.newContext({ baseURL: BASE_URL, locale: t.browserLocale, viewport: { width: 360, height: 640 } });
      const page = await context.newPage();
      await page.goto('/');
      await hydrated(page);
      await expect(wayIn(page).getByRole('link', { name: t.signUp })).toBeInViewport({ ratio: 1 });
      await expect(wayIn(page).getByRole('link', { name: t.signIn })).toBeInViewport({ ratio: 1 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await shot(page, `landing-${lang}-360`);
      await expectNoSeriousA11yIssues(page);
      // The 404 page leads home and to sign-in.
      const lost = await page.goto('/definitely/not/here');
      expect(lost?.status()).toBe(404);
      await expect(page.getByRole('link', { name: t.signIn })).toBeVisible();
      await context.close();
    });
  }
});

/** `next` values an attacker might send; each must land on /dashboard. */
const HOSTILE = [
  '//evil.example',
  'https://evil.example',
  '/\\evil.example',
  'javascript:alert(1)',
  '%2F%2Fevil.example',
  '/%5Cevil.example',
  '/%2F%2Fevil.example',
  'https:%2F%2Fevil.example',
  '/%09/evil.example',
];

test.describe('sign-in and next', () => {
  test.skip(!MAIL_DIR, 'MAIL_DIR is not set: run through scripts/test, which captures the mail');

  test('hostile next values all land on /dashboard', async ({ browser }) => {
    test.setTimeout(120_000);
    const run = runId();
    const who = { name: `Next ${run}`, email: `next-${run}@example.com`, password: `una frase larga ${run}` };
    const setup = await browser.newContext({ baseURL: BASE_URL });
    await signUpVerifyAndSignIn(setup.request, ORIGIN, who);
    await setup.close();

    const context = await browser.newContext({ baseURL: BASE_URL, locale: 'en-US' });
    const page = await context.newPage();
    // The screen keeps none of them: its link to sign-up carries no `next`.
    for (const next of HOSTILE) {
      await page.goto(`/signin?next=${encodeURIComponent(next)}`);
      await expect(page.getByRole('link', { name: 'Create an account' })).toHaveAttribute('href', '/signup');
    }
    // Signing in with some of them, through the form, lands on the dashboard of this site.
    for (const next of ['//evil.example', 'https://evil.example', '/\\evil.example', '/%5Cevil.example']) {
      await context.clearCookies();
      await page.goto(`/signin?next=${encodeURIComponent(next)}`);
      await hydrated(page);
      await page.getByLabel('Email', { exact: true }).fill(who.email);
      await page.getByLabel('Password', { exact: true }).fill(who.password);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL(`${ORIGIN}/dashboard`);
    }
    // A path on this site is where sign-in leads.
    await context.clearCookies();
    await page.goto(`/signin?next=${encodeURIComponent('/dashboard/settings')}`);
    await hydrated(page);
    await page.getByLabel('Email', { exact: true }).fill(who.email);
    await page.getByLabel('Password', { exact: true }).fill(who.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${ORIGIN}/dashboard/settings`);
    await context.close();
  });

  test('a signed-out visitor of the dashboard goes to sign-in and back, without JavaScript too', async ({ browser }) => {
    const noJs = await browser.newContext({ baseURL: BASE_URL, locale: 'en-US', javaScriptEnabled: false });
    const page = await noJs.newPage();
    const response = await page.goto('/dashboard/pages?new=1');
    expect(response?.request().redirectedFrom()?.url()).toBe(`${ORIGIN}/dashboard/pages?new=1`);
    expect(await response?.request().redirectedFrom()?.response().then((r) => r?.status())).toBe(303);
    expect(page.url()).toBe(`${ORIGIN}/signin?next=/dashboard/pages%3Fnew%3D1`);
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    await noJs.close();
  });
});
