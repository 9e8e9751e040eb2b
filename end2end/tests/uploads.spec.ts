import { test, expect, type Page } from '@playwright/test';
import path from 'node:path';
import { collectErrors, expectNoSeriousA11yIssues, gotoHydrated, MAIL_DIR, runId, signUpVerifyAndSignIn } from './support';

// Uploads (issue 19): a coach puts their photo on their account and on their page, watching the
// upload's progress; a visitor sees the page's photo; a picture for an IMAGE block is uploaded
// from the block's form; a photo over 5 MB is refused before it is sent.

const RUN = runId();
const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const ORIGIN = new URL(BASE_URL).origin;
const CSRF = { Origin: ORIGIN };
const SHOTS = process.env.SCREENSHOT_DIR ?? 'test-results/screenshots';
// A camera's JPEG (320×240) with Exif and a GPS position, shared with the Rust tests.
const PHOTO = path.join(__dirname, '..', '..', 'server', 'tests', 'it', 'fixtures', 'camera-with-gps.jpg');

/** Whether the <img> matched by `selector` has loaded a real picture. */
async function loaded(page: Page, selector: string): Promise<boolean> {
  return page.locator(selector).first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0);
}

test.describe('uploads', () => {
  test.skip(!MAIL_DIR, 'MAIL_DIR is not set: run through scripts/test, which captures the mail');

  test('a coach uploads their photos; visitors see the page one', async ({ browser }) => {
    test.setTimeout(120_000);
    const slug = `fotos-${RUN}`;
    const coach = await browser.newContext({ baseURL: BASE_URL, locale: 'es-ES', colorScheme: 'light' });
    const api = coach.request;
    await signUpVerifyAndSignIn(api, ORIGIN, {
      name: 'Paula Fotos',
      email: `paula-${RUN}@example.com`,
      password: `una frase larga ${RUN}`,
    });
    expect((await api.post('/api/v1/organizations', { headers: CSRF, data: { name: `Paula ${RUN}`, slug } })).status()).toBe(201);
    const created = await api.post('/api/v1/links/pages', { headers: CSRF, data: { slug, title: 'Paula Pérez' } });
    expect(created.status(), await created.text()).toBe(201);
    const pageId: string = (await created.json()).id;
    expect((await api.patch(`/api/v1/links/pages/${pageId}`, { headers: CSRF, data: { published: true } })).status()).toBe(200);

    const page = await coach.newPage();

    // Account settings: the initial, then the photo — in the settings and in the header's menu.
    await gotoHydrated(page, '/dashboard/settings');
    const account = page.getByRole('region', { name: 'Foto de perfil' });
    await expect(account.getByText('P', { exact: true })).toBeVisible();
    // Too large: refused in the browser, nothing sent.
    await page.locator('#account-avatar-file').setInputFiles({
      name: 'enorme.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.alloc(6 * 1024 * 1024, 1),
    });
    await expect(account.getByRole('alert')).toHaveText('Esa imagen pesa más de 5 MB; elige una más liviana.');
    // Not an image (by its type): refused too.
    await page.locator('#account-avatar-file').setInputFiles({ name: 'dibujo.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg/>') });
    await expect(account.getByRole('alert')).toHaveText('Tiene que ser una imagen PNG, JPEG o WebP.');
    // A file whose type says image but whose bytes do not: the server names the problem.
    await page.locator('#account-avatar-file').setInputFiles({ name: 'falsa.png', mimeType: 'image/png', buffer: Buffer.from('%PDF-1.7 no soy una imagen') });
    await expect(account.getByRole('alert')).toHaveText('Tiene que ser una imagen PNG, JPEG o WebP.');

    // From here on, nothing fails (the 400 above shows in the console, as browsers log it).
    const errors = collectErrors(page);
    await page.locator('#account-avatar-file').setInputFiles(PHOTO);
    await expect(page.getByTestId('account-avatar')).toBeVisible();
    await expect(account.locator('.upload-error')).toBeEmpty();
    await expect(page.getByTestId('user-menu').locator('img.user-avatar')).toBeVisible();
    expect(await loaded(page, '[data-testid="account-avatar"]')).toBe(true);
    await expectNoSeriousA11yIssues(page);
    await page.screenshot({ path: `${SHOTS}/uploads-account.png`, fullPage: true });

    // The page's photo, in the editor: the preview shows it at once.
    await gotoHydrated(page, `/dashboard/pages/${pageId}`);
    await page.locator('#page-avatar-file').setInputFiles(PHOTO);
    await expect(page.getByTestId('page-avatar')).toBeVisible();
    const src = await page.getByTestId('page-avatar').getAttribute('src');
    expect(src).toMatch(new RegExp(`/media/avatars/${pageId}-[0-9a-f]{16}\\.jpg$`));
    // (The projects' viewport is 1280 px wide: the preview sits beside the editor.)
    await expect(page.getByTestId('preview').locator('img.avatar')).toHaveAttribute('src', src!);
    await page.screenshot({ path: `${SHOTS}/uploads-editor.png`, fullPage: true });

    // An IMAGE block whose picture is uploaded from its form.
    await page.getByRole('button', { name: 'Añadir bloque' }).click();
    await page.getByRole('button', { name: /^Imagen/ }).click();
    const newBlock = page.getByTestId('new-block');
    await newBlock.locator('input[type=file]').setInputFiles(PHOTO);
    await expect(newBlock.getByLabel('Dirección de la imagen')).toHaveValue(new RegExp(`/media/images/${pageId}-[0-9a-f]{16}\\.jpg$`));
    await newBlock.getByLabel('Descripción de la imagen').fill('Paula en su taller');
    await newBlock.getByRole('button', { name: 'Añadir a la página' }).click();
    await expect(newBlock).toHaveCount(0);
    expect(errors).toEqual([]);

    // A visitor, without a session and without JavaScript, sees both pictures.
    const visitor = await browser.newContext({ baseURL: BASE_URL, locale: 'es-ES', javaScriptEnabled: false });
    const visit = await visitor.newPage();
    await visit.goto(`/${slug}`);
    await expect(visit.locator('img.avatar')).toHaveAttribute('src', src!);
    expect(await loaded(visit, 'img.avatar')).toBe(true);
    const picture = visit.getByRole('img', { name: 'Paula en su taller' });
    await expect(picture).toBeVisible();
    expect(await loaded(visit, 'img[alt="Paula en su taller"]')).toBe(true);
    await visit.screenshot({ path: `${SHOTS}/uploads-public.png`, fullPage: true });
    // The picture is served immutable, and without the camera's GPS position.
    const media = await visitor.request.get(src!);
    expect(media.status()).toBe(200);
    expect(media.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await media.body()).includes(Buffer.from('MIBIO-SECRET-PLACE'))).toBe(false);
    await visitor.close();
    await coach.close();
  });
});
