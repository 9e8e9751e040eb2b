import { test, expect } from '@playwright/test';
import { collectErrors, expectNoSeriousA11yIssues, gotoHydrated } from './support';

// The landing page's DOM contract (see the foundation issue):
// - <html data-hydrated="true"> once the WASM app has hydrated;
// - theme picker: button[data-theme-choice] (aria-pressed), preview [data-testid=preview][data-theme];
// - #claim-name updates [data-testid=preview-name] and [data-testid=preview-url];
// - language links a[hreflang=en|es]; the choice is kept in a cookie;
// - unknown paths answer a styled 404 that links back to /.

const THEMES = ['ejecutivo', 'wellness', 'terapia', 'consultor'];


test.describe('landing page', () => {
  test.use({ locale: 'es-ES' });

  test('serves / as HTML and hydrates without errors', async ({ page }) => {
    const errors = collectErrors(page);
    const response = await gotoHydrated(page);

    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toContain('text/html');
    await expect(page.locator('html')).toHaveAttribute('lang', 'es');
    await expect(page.locator('h1')).toHaveCount(1);
    await expect(page.locator('h1')).toBeVisible();

    await page.waitForLoadState('networkidle');
    expect(errors, errors.join('\n')).toEqual([]);
  });

  test('theme picker changes the preview (proves hydration)', async ({ page }) => {
    await gotoHydrated(page);

    const choices = page.locator('button[data-theme-choice]');
    await expect(choices).toHaveCount(THEMES.length);
    expect((await choices.evaluateAll((els) => els.map((e) => e.getAttribute('data-theme-choice')))).sort()).toEqual(
      [...THEMES].sort(),
    );

    const pressed = page.locator('button[data-theme-choice][aria-pressed="true"]');
    await expect(pressed).toHaveCount(1);
    const initial = await pressed.getAttribute('data-theme-choice');
    const preview = page.getByTestId('preview');
    await expect(preview).toHaveAttribute('data-theme', initial!);

    // Click every other choice in turn: each click moves aria-pressed and the preview theme.
    for (const theme of THEMES.filter((t) => t !== initial)) {
      const button = page.locator(`button[data-theme-choice="${theme}"]`);
      await button.click();
      await expect(preview).toHaveAttribute('data-theme', theme);
      await expect(button).toHaveAttribute('aria-pressed', 'true');
      await expect(pressed).toHaveCount(1);
    }
  });

  test('typing a name updates the preview and its URL', async ({ page }) => {
    await gotoHydrated(page);

    const input = page.getByLabel('Tu nombre');
    await expect(input).toHaveAttribute('id', 'claim-name');
    await input.fill('Ana Pérez');

    await expect(page.getByTestId('preview-name')).toHaveText('Ana Pérez');
    await expect(page.getByTestId('preview-url')).toHaveText(/\/ana-perez\s*$/);
  });

  test('language switch renders English and sticks on the next visit', async ({ page }) => {
    await gotoHydrated(page);
    await expect(page.locator('html')).toHaveAttribute('lang', 'es');
    const spanishTitle = (await page.locator('h1').innerText()).trim();

    await expect(page.locator('a[hreflang="en"]').first()).toHaveAttribute('href', /lang=en/);
    await page.locator('a[hreflang="en"]').first().click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.locator('h1')).not.toHaveText(spanishTitle);
    await expect(page.getByLabel('Your name')).toBeVisible();

    // A plain GET / (Accept-Language still says Spanish) keeps English: the cookie wins.
    await gotoHydrated(page, '/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');

    // And back again.
    await page.locator('a[hreflang="es"]').first().click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'es');
    await gotoHydrated(page, '/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'es');
    await expect(page.locator('h1')).toHaveText(spanishTitle);
  });

  test('has no serious or critical accessibility violations', async ({ page }) => {
    await gotoHydrated(page);
    await expectNoSeriousA11yIssues(page);
  });
});

test.describe('English visitors', () => {
  test.use({ locale: 'en-US' });

  test('Accept-Language: en gets the English page', async ({ page }) => {
    const response = await gotoHydrated(page);
    expect(response?.status()).toBe(200);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.locator('h1')).toHaveCount(1);
    await expect(page.getByLabel('Your name')).toHaveAttribute('id', 'claim-name');
  });
});

test('unknown paths answer a 404 page that links home', async ({ page }) => {
  const response = await page.goto('/definitely/not/a/page');
  expect(response?.status()).toBe(404);
  expect(response?.headers()['content-type']).toContain('text/html');
  await expect(page.locator('h1')).toBeVisible();

  const home = page.locator('a[href="/"]').first();
  await expect(home).toBeVisible();
  await home.click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator('h1')).toBeVisible();
});
