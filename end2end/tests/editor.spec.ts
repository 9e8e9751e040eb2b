import { test, expect, type Browser, type Page, type ViewportSize } from '@playwright/test';
import {
  collectErrors,
  expectNoSeriousA11yIssues,
  gotoHydrated,
  hydrated,
  mailedLink,
  MAIL_DIR,
  runId,
  signUpVerifyAndSignIn,
} from './support';

// The coach's whole journey in the browser (issue 7's acceptance test):
// sign up → verify through the captured mail → sign in → create an organization → create a page
// from a template → add a LEAD_CAPTURE and a LINK block → move the link up with the keyboard →
// publish → a visitor (a fresh context) opens the public page, leaves their email and clicks the
// link → the lead shows in the leads tab, the view and the click in the analytics tab.
//
// Run at a desktop size and again at 390×844. There is no internet: the link's target is a stub.
// Visitors carry a normal desktop Chrome user agent: HeadlessChrome counts as a bot for analytics.

const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const ORIGIN = new URL(BASE_URL).origin;
/** Mutating REST calls with a session cookie must name the site's origin (the CSRF check). */
const CSRF = { Origin: ORIGIN };
const DESKTOP_CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

/** The block rows' labels, top to bottom. */
async function blockLabels(page: Page): Promise<string[]> {
  return page.getByTestId('block-row').locator('.blk-label').allTextContents();
}

async function journey(browser: Browser, viewport: ViewportSize) {
  const run = runId();
  const coach = {
    name: `Lucía Prueba`,
    email: `lucia-${run}@example.com`,
    password: `una frase larga ${run}`,
  };
  const pageTitle = `Lucía Coach ${run}`;
  const formTitle = `Guía gratis ${run}`;
  const linkTitle = `Mi web ${run}`;
  const visitorEmail = `visita-${run}@example.com`;

  const context = await browser.newContext({ baseURL: BASE_URL, locale: 'es-ES', viewport });
  const page = await context.newPage();
  const errors = collectErrors(page);

  // Sign up, confirm the address from the captured mail (in this browser that signs in too), sign
  // in again.
  await gotoHydrated(page, '/signup');
  await page.getByLabel('Tu nombre').fill(coach.name);
  await page.getByLabel('Correo', { exact: true }).fill(coach.email);
  await page.getByLabel('Contraseña', { exact: true }).fill(coach.password);
  await page.getByRole('button', { name: 'Crear cuenta' }).click();
  await expect(page.getByRole('status')).toContainText(coach.email);
  await gotoHydrated(page, await mailedLink(coach.email, '/verify-email?token='));
  await expect(page).toHaveURL(/\/dashboard$/);
  await gotoHydrated(page, '/signin');
  await page.getByLabel('Correo', { exact: true }).fill(coach.email);
  await page.getByLabel('Contraseña', { exact: true }).fill(coach.password);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await page.waitForURL('**/dashboard');
  await hydrated(page);

  // An organization, then the dashboard's accessibility.
  await page.getByLabel('Nombre', { exact: true }).fill(`Coaching Lucía ${run}`);
  await page.getByRole('button', { name: 'Crear organización' }).click();
  await expect(page.getByTestId('org-name')).toBeVisible();
  await hydrated(page);
  await expectNoSeriousA11yIssues(page);

  // Pages: the empty list offers the templates; start from one.
  await page.getByRole('navigation', { name: 'Panel' }).getByRole('link', { name: 'Páginas' }).click();
  await page.waitForURL('**/dashboard/pages');
  await page.getByRole('button', { name: 'Usar la plantilla Wellness' }).click();
  await expect(page.getByRole('radio', { name: /Wellness/ })).toBeChecked();
  await page.getByLabel('Título', { exact: true }).fill(pageTitle);
  const slugInput = page.getByLabel('Dirección de la página');
  await expect(slugInput).toHaveValue(`lucia-coach-${run}`);
  await expect(page.locator('#page-slug-note')).toHaveText('✓ Disponible');
  await expectNoSeriousA11yIssues(page);
  await page.getByRole('button', { name: 'Crear página' }).click();

  // The editor, with the template's blocks.
  await page.waitForURL(/\/dashboard\/pages\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1, name: pageTitle })).toBeVisible();
  await expect(page.getByTestId('page-status')).toHaveText('Borrador');
  const templateBlocks = (await blockLabels(page)).length;
  expect(templateBlocks).toBeGreaterThan(2);
  await expectNoSeriousA11yIssues(page);

  // Add a lead form (its starter texts, with our title) …
  await page.getByRole('button', { name: 'Añadir bloque' }).click();
  await page.getByRole('button', { name: /^Formulario de contacto/ }).click();
  const newBlock = page.getByTestId('new-block');
  await expect(newBlock.getByLabel('Texto del botón')).toHaveValue('Suscribirme');
  await newBlock.getByLabel('Título del formulario').fill(formTitle);
  await newBlock.getByRole('button', { name: 'Añadir a la página' }).click();
  await expect(newBlock).toHaveCount(0);

  // … and a link, whose errors show beside the field before it is valid.
  await page.getByRole('button', { name: 'Añadir bloque' }).click();
  await page.getByRole('button', { name: /^Enlace/ }).click();
  await newBlock.getByLabel('Texto del botón').fill(linkTitle);
  await newBlock.getByLabel('Dirección web').fill('javascript:alert(1)');
  await newBlock.getByLabel('Dirección web').blur();
  await expect(newBlock.getByText('Debe empezar por https:// (o http://).')).toBeVisible();
  // The browser's own URL parser judges in the editor: a user name before the host disguises it.
  await newBlock.getByLabel('Dirección web').fill('https://paypal.com@evil.example/pay');
  await newBlock.getByLabel('Dirección web').blur();
  await expect(newBlock.getByText('No es una dirección web válida; cópiala de la barra del navegador.')).toBeVisible();
  await newBlock.getByLabel('Dirección web').fill('https://example.com/agenda');
  await expect(newBlock.getByText('Debe empezar por https:// (o http://).')).toHaveCount(0);
  await newBlock.getByRole('button', { name: 'Añadir a la página' }).click();
  await expect(newBlock).toHaveCount(0);
  await expect.poll(() => blockLabels(page)).toEqual(expect.arrayContaining([formTitle, linkTitle]));
  let labels = await blockLabels(page);
  expect(labels.slice(-2)).toEqual([formTitle, linkTitle]);

  // The preview draws both with the public page's components.
  const preview = page.getByTestId('preview');
  if (viewport.width <= 1080) await page.getByRole('button', { name: 'Vista previa' }).click();
  await expect(preview.locator('a[data-block-id]', { hasText: linkTitle })).toBeVisible();
  await expect(preview.getByText(formTitle)).toBeVisible();
  if (viewport.width <= 1080) await page.getByRole('button', { name: 'Vista previa' }).click();

  // Move the link above the form with the keyboard, on its handle.
  const handle = page.getByRole('button', { name: new RegExp(`^Mover «${linkTitle}»`) });
  await handle.focus();
  const orderSaved = page.waitForResponse((r) => r.url().includes('/api/fn/update_block') && r.ok());
  await page.keyboard.press('ArrowUp');
  await expect(handle).toBeFocused();
  await expect(handle).toHaveAccessibleName(`Mover «${linkTitle}», posición ${labels.length - 1} de ${labels.length}`);
  labels = await blockLabels(page);
  expect(labels.slice(-2)).toEqual([linkTitle, formTitle]);
  await orderSaved;
  await expect(page.getByTestId('order-status')).toHaveText('');

  // On a laptop, drag and drop works too: the form goes back below… then above again by mouse.
  if (viewport.width > 1080) {
    const rows = page.getByTestId('block-row');
    const formRow = rows.filter({ hasText: formTitle });
    const dropped = page.waitForResponse((r) => r.url().includes('/api/fn/update_block') && r.ok());
    await formRow.getByRole('button', { name: new RegExp(`^Mover «${formTitle}»`) }).dragTo(rows.first());
    await dropped;
    await expect.poll(async () => (await blockLabels(page))[0]).toBe(formTitle);
    const back = page.waitForResponse((r) => r.url().includes('/api/fn/update_block') && r.ok());
    await formRow.getByRole('button', { name: new RegExp(`^Mover «${formTitle}»`) }).dragTo(rows.last());
    await back;
    await expect.poll(async () => (await blockLabels(page)).slice(-2)).toEqual([linkTitle, formTitle]);
    await expect(page.getByTestId('order-status')).toHaveText('');
  }

  // The order is on the server: it survives a reload.
  await page.reload();
  await hydrated(page);
  await expect.poll(async () => (await blockLabels(page)).slice(-2)).toEqual([linkTitle, formTitle]);

  // Publish.
  await page.getByRole('button', { name: 'Publicar', exact: true }).click();
  await expect(page.getByTestId('page-status')).toHaveText('Publicada');
  const publicUrl = (await page.getByTestId('public-link').getAttribute('href'))!;
  expect(publicUrl).toMatch(new RegExp(`/lucia-coach-${run}$`));

  // A visitor: no cookies, a normal browser.
  const visitor = await browser.newContext({ baseURL: BASE_URL, locale: 'es-ES', viewport, userAgent: DESKTOP_CHROME });
  await visitor.route('https://example.com/**', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Agenda</title><p>Agenda</p>' }),
  );
  const guest = await visitor.newPage();
  const viewBeacon = guest.waitForResponse((r) => r.url().endsWith('/api/v1/public/analytics/view'));
  await guest.goto(publicUrl);
  expect((await viewBeacon).status()).toBe(204);
  const link = guest.getByRole('link', { name: linkTitle });
  const form = guest.getByRole('region', { name: formTitle });
  await expect(link).toBeVisible();
  // The keyboard move shows on the public page: the link comes before the form.
  expect(await link.evaluate((a, f) => !!(a.compareDocumentPosition(f!) & Node.DOCUMENT_POSITION_FOLLOWING), await form.elementHandle())).toBe(true);
  await form.getByLabel('Tu correo electrónico').fill(visitorEmail);
  await form.getByLabel('Tu nombre (opcional)').fill('Visita Prueba');
  await form.getByRole('button', { name: 'Suscribirme' }).click();
  await expect(form.getByRole('status')).toBeVisible();
  const clickBeacon = guest.waitForRequest((r) => r.url().endsWith('/api/v1/public/analytics/click'));
  await link.click();
  await clickBeacon;
  await guest.waitForURL('https://example.com/agenda');
  await visitor.close();

  // The lead in the leads tab.
  await page.getByRole('navigation', { name: 'Secciones de la página' }).getByRole('link', { name: 'Contactos' }).click();
  await page.waitForURL('**/leads');
  const leads = page.getByTestId('leads-table');
  await expect(leads).toContainText(visitorEmail);
  await expect(leads).toContainText(formTitle);
  await expect(page.getByRole('link', { name: 'Exportar CSV' })).toHaveAttribute('href', /\/leads\/export\.csv$/);
  await expectNoSeriousA11yIssues(page);

  // The view and the click in the analytics tab (the beacons are written in batches).
  await page.getByRole('navigation', { name: 'Secciones de la página' }).getByRole('link', { name: 'Estadísticas' }).click();
  await page.waitForURL('**/analytics');
  await expect
    .poll(
      async () => {
        await page.reload();
        await hydrated(page);
        await expect(page.getByTestId('total-views')).toBeVisible();
        const views = await page.getByTestId('total-views').textContent();
        const clicks = await page.getByTestId('total-clicks').textContent();
        return [Number(views), Number(clicks)];
      },
      { timeout: 20_000 },
    )
    .toEqual([1, 1]);
  await expect(page.getByTestId('chart')).toBeVisible();
  await expect(page.getByTestId('block-clicks')).toContainText(linkTitle);
  await page.getByRole('button', { name: '7 días' }).click();
  await expect(page.getByRole('button', { name: '7 días' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('total-views')).toHaveText('1');
  await expectNoSeriousA11yIssues(page);

  await page.waitForLoadState('networkidle');
  expect(errors, errors.join('\n')).toEqual([]);
  await context.close();
}

test.describe('the coach journey in the editor', () => {
  test.skip(!MAIL_DIR, 'MAIL_DIR is not set: run through scripts/test, which captures the mail');

  test('on a laptop', async ({ browser }) => {
    test.setTimeout(240_000);
    await journey(browser, { width: 1440, height: 900 });
  });

  test('on a phone (390×844)', async ({ browser }) => {
    test.setTimeout(240_000);
    await journey(browser, { width: 390, height: 844 });
  });

  test('settings, the unsaved-changes guard, rollback, undo and scheduling', async ({ browser }) => {
    test.setTimeout(180_000);
    const run = runId();
    // Mexico City has no daylight saving time: 09:00 there is always 15:00 UTC.
    const context = await browser.newContext({
      baseURL: BASE_URL,
      locale: 'es-ES',
      timezoneId: 'America/Mexico_City',
      viewport: { width: 1280, height: 900 },
    });
    const api = context.request;
    await signUpVerifyAndSignIn(api, ORIGIN, {
      name: 'Marta Prueba',
      email: `marta-${run}@example.com`,
      password: `una frase larga ${run}`,
    });
    const org = await api.post('/api/v1/organizations', { headers: CSRF, data: { name: `Marta ${run}`, slug: `marta-${run}` } });
    expect(org.status(), await org.text()).toBe(201);
    const created = await api.post('/api/v1/links/pages', {
      headers: CSRF,
      data: { slug: `marta-${run}`, title: 'Marta', templateId: 'terapeuta', locale: 'es' },
    });
    expect(created.status(), await created.text()).toBe(201);
    const id: string = (await created.json()).id;
    const other = await api.post('/api/v1/links/pages', { headers: CSRF, data: { slug: `otra-${run}`, title: 'Otra' } });
    expect(other.status(), await other.text()).toBe(201);

    const page = await context.newPage();
    const errors = collectErrors(page);
    // From the page list into the editor, inside the app (so "back" is the router's to handle).
    await gotoHydrated(page, '/dashboard/pages');
    await page.locator(`a[href="/dashboard/pages/${id}"]`).first().click();
    await page.waitForURL(new RegExp(`/dashboard/pages/${id}$`));
    await expect(page.getByLabel('Dirección de la página')).toBeVisible();
    const preview = page.getByTestId('preview');

    // The address is checked as the coach types.
    const slug = page.getByLabel('Dirección de la página');
    await slug.fill(`otra-${run}`);
    await expect(page.locator('#page-slug-note')).toHaveText('Ya está en uso; prueba con otra.');
    await slug.fill(`marta-nueva-${run}`);
    await expect(page.locator('#page-slug-note')).toHaveText('✓ Disponible');
    // The preview follows the title and the theme as they change.
    await page.getByLabel('Título', { exact: true }).fill(`Marta Terapeuta ${run}`);
    await expect(preview).toContainText(`Marta Terapeuta ${run}`);
    await expect(preview.locator('.profile')).toHaveAttribute('data-buttons', 'shadow');
    // The radio itself is visually hidden: people click its swatch.
    await page.locator('label.preset', { hasText: 'Ejecutivo' }).click();
    await expect(page.getByRole('radio', { name: 'Ejecutivo' })).toBeChecked();
    await expect(preview.locator('.profile')).toHaveAttribute('data-buttons', 'filled');
    // The public page's own stylesheet (linked by its fingerprint) paints the preview in the theme.
    await expect(page.locator('link[rel="stylesheet"][href^="/static/profile."]')).toHaveCount(1);
    await expect
      .poll(() =>
        preview.locator('.profile').evaluate((el) => {
          const style = getComputedStyle(el);
          return style.backgroundImage !== 'none' || style.backgroundColor !== 'rgba(0, 0, 0, 0)';
        }),
      )
      .toBe(true);
    await expect(page.getByTestId('settings-status')).toHaveText('Cambios sin guardar');

    // Leaving with unsaved changes asks first; staying keeps the edits.
    const asked = new Promise<string>((resolve) =>
      page.once('dialog', async (dialog) => {
        resolve(dialog.message());
        await dialog.dismiss();
      }),
    );
    await page.getByRole('navigation', { name: 'Secciones de la página' }).getByRole('link', { name: 'Contactos' }).click();
    expect(await asked).toContain('cambios sin guardar');
    await expect(page).toHaveURL(new RegExp(`/dashboard/pages/${id}$`));
    await expect(page.getByLabel('Título', { exact: true })).toHaveValue(`Marta Terapeuta ${run}`);
    // So does the browser's back button (the editor was opened from the page list).
    const askedAgain = new Promise<string>((resolve) =>
      page.once('dialog', async (dialog) => {
        resolve(dialog.message());
        await dialog.dismiss();
      }),
    );
    await page.evaluate(() => history.back());
    expect(await askedAgain).toContain('cambios sin guardar');
    await expect(page).toHaveURL(new RegExp(`/dashboard/pages/${id}$`));
    await expect(page.getByLabel('Título', { exact: true })).toHaveValue(`Marta Terapeuta ${run}`);

    await page.getByRole('button', { name: 'Guardar cambios' }).click();
    await expect(page.getByTestId('settings-status')).toHaveText('✓ Guardado');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Marta Terapeuta ${run}`);
    await page.reload();
    await hydrated(page);
    await expect(page.getByLabel('Título', { exact: true })).toHaveValue(`Marta Terapeuta ${run}`);
    await expect(page.getByLabel('Dirección de la página')).toHaveValue(`marta-nueva-${run}`);
    await expect(page.getByRole('radio', { name: 'Ejecutivo' })).toBeChecked();

    // A write the server never gets is rolled back, with a toast.
    const labels = await blockLabels(page);
    const first = page.getByTestId('block-row').first();
    const toggle = first.getByRole('switch');
    await expect(toggle).toHaveAttribute('aria-checked', 'true');
    await page.route('**/api/fn/update_block', (route) => route.abort());
    await toggle.click();
    await expect(page.getByTestId('toast')).toBeVisible();
    await expect(toggle).toHaveAttribute('aria-checked', 'true');
    await page.unroute('**/api/fn/update_block');
    // Hidden for real, the block leaves the preview.
    await expect(preview.getByText(labels[0]).first()).toBeVisible();
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-checked', 'false');
    await expect(preview.getByText(labels[0])).toHaveCount(0);
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-checked', 'true');

    // Delete offers undo, which puts the block back where it was.
    await page.getByRole('button', { name: `Eliminar «${labels[1]}»` }).click();
    await expect.poll(() => blockLabels(page)).toEqual(labels.filter((_, i) => i !== 1));
    await expect(page.getByTestId('undo')).toContainText(`Bloque «${labels[1]}» eliminado.`);
    await page.getByRole('button', { name: 'Deshacer' }).click();
    await expect.poll(() => blockLabels(page)).toEqual(labels);
    await expect(page.getByTestId('undo')).toHaveCount(0);
    await page.reload();
    await hydrated(page);
    await expect.poll(() => blockLabels(page)).toEqual(labels);

    // Duplicate puts a copy right after the block.
    await page.getByRole('button', { name: `Editar «${labels[2]}»` }).click();
    await page.getByRole('button', { name: 'Duplicar' }).click();
    await expect.poll(() => blockLabels(page)).toEqual([...labels.slice(0, 3), labels[2], ...labels.slice(3)]);

    // A visibility window in the coach's time reaches the server in UTC.
    const row = page.getByTestId('block-row').first();
    await row.getByRole('button', { name: `Editar «${labels[0]}»` }).click();
    await row.getByLabel('Mostrar desde').fill('2099-01-01T09:00');
    await row.getByLabel('Ocultar desde').fill('2098-01-01T09:00');
    await row.getByRole('button', { name: 'Guardar bloque' }).click();
    await expect(row.getByText('Debe ser posterior a la fecha de inicio.')).toBeVisible();
    await row.getByLabel('Ocultar desde').fill('');
    await row.getByRole('button', { name: 'Guardar bloque' }).click();
    await expect(row.locator('.badge-scheduled')).toHaveText('Desde 1 ene 2099, 09:00');
    await expect(preview.getByText(labels[0])).toHaveCount(0);
    const saved = await (await api.get(`/api/v1/links/pages/${id}`)).json();
    const scheduled = saved.blocks.find((b: { visibleFrom: string | null }) => b.visibleFrom);
    expect(Date.parse(scheduled.visibleFrom)).toBe(Date.UTC(2099, 0, 1, 15, 0));

    // The QR code downloads as SVG and PNG.
    await page.getByRole('button', { name: 'Código QR' }).click();
    await expect(page.getByTestId('qr-image')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Descargar SVG' })).toHaveAttribute('download', `mibio-marta-nueva-${run}.svg`);
    await expect(page.getByRole('link', { name: 'Descargar PNG' })).toHaveAttribute('href', /^data:image\/png;base64,/);
    await expectNoSeriousA11yIssues(page);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('qr-image')).toBeHidden();
    await page.getByRole('button', { name: 'Código QR' }).click();
    await page.getByRole('heading', { level: 1 }).click();
    await expect(page.getByTestId('qr-image')).toBeHidden();

    // Empty tabs say what to do.
    await page.getByRole('navigation', { name: 'Secciones de la página' }).getByRole('link', { name: 'Contactos' }).click();
    await expect(page.getByTestId('leads-empty')).toContainText('Aún no hay contactos');
    await page.getByRole('navigation', { name: 'Secciones de la página' }).getByRole('link', { name: 'Estadísticas' }).click();
    await expect(page.getByTestId('analytics-empty')).toContainText('Tu página aún es un borrador');
    await expectNoSeriousA11yIssues(page);

    // The only console errors are the aborted request's.
    expect(errors.filter((e) => !e.includes('ERR_FAILED')), errors.join('\n')).toEqual([]);
    await context.close();
  });
});
