import { test, expect, type APIRequestContext, type BrowserContext } from '@playwright/test';
import ogs from 'open-graph-scraper';
import { runId, signUpVerifyAndSignIn } from './support';

// OpenGraph cards (issue 5): a real client — the `open-graph-scraper` npm package, as link
// previewers use it — fetches a published page and mibio's landing page, and finds our title,
// description and an absolute image URL that serves a 1200×630 PNG.
//
// The coach signs up, verifies and signs in through the REST API, makes a page and publishes it;
// the scraper fetches over plain HTTP like a crawler (no cookies, no JavaScript).

const RUN = runId();
const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const ORIGIN = new URL(BASE_URL).origin;
const CSRF = { Origin: ORIGIN };

const TITLE = 'Lucía Peña · Coach de carrera';
const BIO = 'Acompaño tu próximo paso profesional 🚀 CV, entrevistas y negociación salarial.';

let coach: BrowserContext;
let slug: string;

/** What `open-graph-scraper` reads at `url`. */
async function scrape(url: string) {
  const { error, result } = await ogs({ url, timeout: 20 });
  expect(error, JSON.stringify(result)).toBe(false);
  return result;
}

/** The width and height in a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Fetches `url` as a crawler would and checks it is a 1200×630 PNG. */
async function expectCard(request: APIRequestContext, url: string) {
  expect(url.startsWith(`${ORIGIN}/`), `an absolute URL on the site: ${url}`).toBe(true);
  const res = await request.get(url);
  expect(res.status(), url).toBe(200);
  expect(res.headers()['content-type']).toBe('image/png');
  expect(res.headers()['etag']).toMatch(/^"og-/);
  expect(pngSize(await res.body())).toEqual({ width: 1200, height: 630 });
}

test.describe('OpenGraph cards', () => {
  test.beforeAll(async ({ browser }) => {
    test.setTimeout(120_000);
    coach = await browser.newContext({ baseURL: BASE_URL, locale: 'es-ES' });
    const api = coach.request;
    await signUpVerifyAndSignIn(api, ORIGIN, {
      name: 'Lucía Prueba',
      email: `lucia-${RUN}@example.com`,
      password: `una frase larga ${RUN}`,
    });
    const org = await api.post('/api/v1/organizations', {
      headers: CSRF,
      data: { name: `Carrera Lucía ${RUN}`, slug: `carrera-${RUN}` },
    });
    expect(org.status(), await org.text()).toBe(201);

    slug = `lucia-${RUN}`;
    const created = await api.post('/api/v1/links/pages', {
      headers: CSRF,
      data: { slug, title: TITLE, templateId: 'coach-ejecutivo', locale: 'es' },
    });
    expect(created.status(), await created.text()).toBe(201);
    const page = await created.json();
    const published = await api.patch(`/api/v1/links/pages/${page.id}`, {
      headers: CSRF,
      data: { bio: BIO, published: true },
    });
    expect(published.status(), await published.text()).toBe(200);
  });

  test.afterAll(async () => {
    await coach?.close();
  });

  test("a published page's tags name its title, bio and card", async ({ request }) => {
    const og = await scrape(`${BASE_URL}/${slug}`);
    expect(og.ogTitle).toBe(TITLE);
    expect(og.ogDescription).toBe(BIO);
    expect(og.ogUrl).toBe(`${ORIGIN}/${slug}`);
    const image = og.ogImage?.[0];
    expect(image?.url).toBe(`${ORIGIN}/${slug}/opengraph-image`);
    expect(String(image?.width)).toBe('1200');
    expect(String(image?.height)).toBe('630');
    expect(og.twitterCard).toBe('summary_large_image');
    expect(og.twitterImage?.[0]?.url).toBe(image?.url);
    await expectCard(request, image!.url);
  });

  test('the landing page has a card of its own', async ({ request }) => {
    const og = await scrape(`${BASE_URL}/`);
    expect(og.ogTitle).toMatch(/^mibio/);
    expect(og.ogDescription?.length).toBeGreaterThan(20);
    const image = og.ogImage?.[0];
    expect(image?.url).toMatch(new RegExp(`^${ORIGIN.replace(/[.]/g, '\\.')}/opengraph-image\\?lang=(es|en)$`));
    expect(String(image?.width)).toBe('1200');
    expect(String(image?.height)).toBe('630');
    await expectCard(request, image!.url);
  });

  test('an unknown page has no card', async ({ request }) => {
    const res = await request.get(`${BASE_URL}/nadie-${RUN}/opengraph-image`);
    expect(res.status()).toBe(404);
  });
});
