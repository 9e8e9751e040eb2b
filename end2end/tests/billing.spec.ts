import { test, expect } from '@playwright/test';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { collectErrors, expectNoSeriousA11yIssues, gotoHydrated, MAIL_DIR, runId, signUpVerifyAndSignIn } from './support';

// Billing as a coach meets it (issue 17): the Billing entry of the dashboard, the plans priced in
// the viewer's currency, upgrading through the provider's hosted checkout (a local stand-in for
// Stripe's API, started here on the port scripts/test gave the server as STRIPE_API_BASE), the
// plan changing when the signed webhook arrives, the portal, and the past-due banner.

const RUN = runId();
const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const ORIGIN = new URL(BASE_URL).origin;
const CSRF = { Origin: ORIGIN };
const SHOTS = process.env.SCREENSHOT_DIR ?? 'test-results/screenshots';
const STRIPE_PORT = Number(process.env.FAKE_STRIPE_PORT ?? 0);
const STRIPE_SECRET = process.env.STRIPE_WEBHOOK_SECRET ?? '';

/** What the stand-in Stripe was asked. */
const asked: { path: string; body: URLSearchParams }[] = [];
let stripe: Server | undefined;

test.beforeAll(async () => {
  if (!STRIPE_PORT) return;
  stripe = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      asked.push({ path: req.url ?? '', body: new URLSearchParams(raw) });
      res.setHeader('content-type', 'application/json');
      if (req.url === '/v1/checkout/sessions') {
        // Stripe's hosted page would take the card, then send the browser to success_url.
        const success = new URLSearchParams(raw).get('success_url') ?? '';
        res.end(JSON.stringify({ id: 'cs_e2e', object: 'checkout.session', url: success }));
      } else if (req.url === '/v1/billing_portal/sessions') {
        const back = new URLSearchParams(raw).get('return_url') ?? '';
        res.end(JSON.stringify({ id: 'bps_e2e', object: 'billing_portal.session', url: `${back}?portal=1` }));
      } else {
        res.statusCode = 404;
        res.end(JSON.stringify({ error: { message: 'no such route' } }));
      }
    });
  });
  await new Promise<void>((resolve) => stripe!.listen(STRIPE_PORT, '127.0.0.1', resolve));
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => (stripe ? stripe.close(() => resolve()) : resolve()));
});

/** A Stripe event delivered to /webhooks/stripe, signed as Stripe signs it. */
async function deliver(request: import('@playwright/test').APIRequestContext, event: object) {
  const body = JSON.stringify(event);
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', STRIPE_SECRET).update(`${t}.${body}`).digest('hex');
  const reply = await request.post('/webhooks/stripe', {
    headers: { 'content-type': 'application/json', 'stripe-signature': `t=${t},v1=${v1}` },
    data: body,
  });
  expect(reply.status(), await reply.text()).toBe(200);
}

function subscriptionEvent(id: string, org: string, status: string, created: number) {
  const end = created + 30 * 86_400;
  return {
    id,
    object: 'event',
    type: 'customer.subscription.updated',
    created,
    data: {
      object: {
        id: `sub_${RUN}`,
        object: 'subscription',
        customer: `cus_${RUN}`,
        status,
        cancel_at_period_end: false,
        items: { object: 'list', data: [{ id: 'si_1', current_period_end: end, current_period_start: created, price: { id: 'price_e2e_pro_m' } }] },
        metadata: { organizationId: org, planId: 'pro' },
      },
    },
  };
}

test.describe('billing', () => {
  test.skip(!MAIL_DIR || !STRIPE_PORT || !STRIPE_SECRET, 'run through scripts/test, which configures a stand-in Stripe');

  test('a coach upgrades through checkout, the webhook switches the plan, a failed payment shows a banner', async ({ browser }) => {
    test.setTimeout(120_000);
    const context = await browser.newContext({ baseURL: BASE_URL, locale: 'es-MX' });
    const who = { name: `Lucía Pagos ${RUN}`, email: `lucia-${RUN}@example.com`, password: `una frase larga ${RUN}` };
    await signUpVerifyAndSignIn(context.request, ORIGIN, who);
    const created = await context.request.post('/api/v1/organizations', {
      headers: CSRF,
      data: { name: `Estudio Lucía ${RUN}`, slug: `estudio-lucia-${RUN}` },
    });
    expect(created.status(), await created.text()).toBe(201);
    const org = (await created.json()).id as string;

    const page = await context.newPage();
    const errors = collectErrors(page);
    await gotoHydrated(page, '/dashboard');
    await page.getByRole('navigation', { name: 'Panel' }).getByRole('link', { name: 'Facturación' }).click();
    await expect(page).toHaveURL(/\/dashboard\/billing$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Facturación' })).toBeVisible();

    // The free plan, the plans in the viewer's currency (es-MX → pesos), and the plan's usage.
    await expect(page.getByTestId('current-plan')).toContainText('Free');
    await expect(page.getByTestId('price-pro')).toHaveText('$179 MXN/mes');
    await page.getByRole('radio', { name: 'Anual' }).check();
    await expect(page.getByTestId('price-pro')).toHaveText('$1.790 MXN/año');
    await page.getByRole('radio', { name: 'Mensual' }).check();
    await expect(page.getByTestId('usage-panel').getByTestId('usage-meter')).toHaveCount(2);
    await expectNoSeriousA11yIssues(page);
    await page.screenshot({ path: `${SHOTS}/billing-free.png`, fullPage: true });

    // Upgrade: the provider's checkout, then back with a thank-you.
    await page.getByTestId('upgrade-pro').click();
    await expect(page).toHaveURL(/\/dashboard\/billing\?checkout=success$/);
    await expect(page.getByTestId('checkout-outcome')).toContainText('Gracias');
    const checkout = asked.find((a) => a.path === '/v1/checkout/sessions');
    expect(checkout?.body.get('subscription_data[metadata][organizationId]')).toBe(org);
    expect(checkout?.body.get('currency')).toBe('mxn');

    // Stripe confirms: the plan is Pro, and "Manage billing" opens the portal.
    const now = Math.floor(Date.now() / 1000);
    await deliver(context.request, subscriptionEvent(`evt_active_${RUN}`, org, 'active', now - 10));
    await gotoHydrated(page, '/dashboard/billing');
    await expect(page.getByTestId('current-plan')).toContainText('Pro');
    await expect(page.getByTestId('subscription-status')).toHaveText('Activa');
    await expect(page.locator('[data-plan="pro"]')).toContainText('Tu plan actual');
    await expect(page.getByTestId('past-due')).toHaveCount(0);
    await page.getByTestId('manage-billing').click();
    await expect(page).toHaveURL(/portal=1/);

    // A renewal fails: the banner says what to do.
    await deliver(context.request, subscriptionEvent(`evt_past_due_${RUN}`, org, 'past_due', now - 5));
    await gotoHydrated(page, '/dashboard/billing');
    await expect(page.getByTestId('past-due')).toBeVisible();
    await expect(page.getByTestId('past-due')).toContainText('no se pudo cobrar');
    await expectNoSeriousA11yIssues(page);
    await page.screenshot({ path: `${SHOTS}/billing-past-due.png`, fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });
});
