import { test, expect, type Page } from '@playwright/test';
import { collectErrors, expectNoSeriousA11yIssues } from './support';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

// Identity and organizations through the UI (issue 3's acceptance test):
// sign up → open the verification link from the mail → sign in → create an organization →
// invite a second user → the second user signs up, verifies, signs in, accepts → sees the
// organization in the switcher.
//
// scripts/test starts the server with MAIL_TRANSPORT=file://$MAIL_DIR: one .eml per message.

const MAIL_DIR = process.env.MAIL_DIR ?? '';

/** A fresh suffix per run, so emails and organization addresses never collide. */
const RUN = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

interface Person {
  name: string;
  email: string;
  password: string;
}

function person(first: string): Person {
  return {
    name: `${first} Prueba`,
    email: `${first.toLowerCase()}-${RUN}@example.com`,
    password: `una frase larga ${RUN} ${first}`,
  };
}

// ---------- reading the captured mail ----------

interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

function unfold(head: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

function decodeBody(body: string, encoding: string | undefined): string {
  switch ((encoding ?? '7bit').toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'quoted-printable': {
      const soft = body.replace(/=\r?\n/g, '');
      const bytes: number[] = [];
      for (let i = 0; i < soft.length; i++) {
        const hex = soft.slice(i + 1, i + 3);
        if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
          bytes.push(parseInt(hex, 16));
          i += 2;
        } else {
          bytes.push(...Buffer.from(soft[i], 'utf8'));
        }
      }
      return Buffer.from(bytes).toString('utf8');
    }
    default:
      return body;
  }
}

/** A small MIME reader: enough for our multipart/alternative (text + HTML) messages. */
function parseMail(raw: string): Mail {
  const split = raw.search(/\r?\n\r?\n/);
  const headers = unfold(raw.slice(0, split));
  const body = raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const mail: Mail = { to: headers.get('to') ?? '', subject: headers.get('subject') ?? '', text: '', html: '' };
  const boundary = /boundary="?([^";]+)"?/i.exec(headers.get('content-type') ?? '')?.[1];
  const parts = boundary
    ? body.split(`--${boundary}`).slice(1, -1)
    : [`Content-Type: ${headers.get('content-type') ?? 'text/plain'}\r\nContent-Transfer-Encoding: ${headers.get('content-transfer-encoding') ?? '7bit'}\r\n\r\n${body}`];
  for (const part of parts) {
    const at = part.search(/\r?\n\r?\n/);
    const partHeaders = unfold(part.slice(0, at).replace(/^\r?\n/, ''));
    const content = decodeBody(part.slice(at).replace(/^\r?\n\r?\n/, ''), partHeaders.get('content-transfer-encoding'));
    const type = partHeaders.get('content-type') ?? '';
    if (type.startsWith('text/plain')) mail.text += content;
    else if (type.startsWith('text/html')) mail.html += content;
  }
  return mail;
}

/** Waits for the newest mail to `email` carrying a link to `pathPrefix`, and returns that link. */
async function linkFromMail(email: string, pathPrefix: string): Promise<string> {
  const pattern = new RegExp(`https?://[^\\s"<>]+${pathPrefix.replace(/[?]/g, '\\?')}[^\\s"<>]*`);
  let link: string | undefined;
  await expect
    .poll(
      async () => {
        const names = (await readdir(MAIL_DIR).catch(() => [] as string[])).filter((n) => n.endsWith('.eml'));
        const files = await Promise.all(
          names.map(async (n) => {
            const file = path.join(MAIL_DIR, n);
            return { file, mtime: (await stat(file)).mtimeMs };
          }),
        );
        files.sort((a, b) => b.mtime - a.mtime);
        for (const { file } of files) {
          const mail = parseMail(await readFile(file, 'utf8'));
          if (!mail.to.toLowerCase().includes(email.toLowerCase())) continue;
          const found = pattern.exec(mail.text)?.[0];
          if (found) {
            link = found;
            return true;
          }
        }
        return false;
      },
      { message: `a mail to ${email} with a ${pathPrefix} link`, timeout: 20_000 },
    )
    .toBe(true);
  return link!;
}

// ---------- browser helpers ----------


/** Waits until the page that just loaded has hydrated (clicks before that do nothing). */
async function hydrated(page: Page) {
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
}

async function gotoHydrated(page: Page, url: string) {
  await page.goto(url);
  await hydrated(page);
}

async function signUpAndVerify(page: Page, who: Person) {
  await gotoHydrated(page, '/signup');
  await page.getByLabel('Tu nombre').fill(who.name);
  await page.getByLabel('Correo', { exact: true }).fill(who.email);
  await page.getByLabel('Contraseña', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Crear cuenta' }).click();
  await expect(page.getByRole('status')).toContainText(who.email);

  const link = await linkFromMail(who.email, '/verify-email?token=');
  expect(new URL(link).origin).toBe(new URL(page.url()).origin);
  await gotoHydrated(page, link);
  await expect(page.getByTestId('verify-result')).toHaveAttribute('data-ok', 'true');
}

async function signIn(page: Page, who: Person) {
  await gotoHydrated(page, '/signin');
  await page.getByLabel('Correo', { exact: true }).fill(who.email);
  await page.getByLabel('Contraseña', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await page.waitForURL('**/dashboard');
  await hydrated(page);
  await expect(page.getByTestId('user-name')).toHaveText(who.name);
}

test.describe('identity and organizations', () => {
  test.use({ locale: 'es-ES' });
  test.skip(!MAIL_DIR, 'MAIL_DIR is not set: run through scripts/test, which captures the mail');

  test('sign up, verify, create an organization, invite a second user who accepts', async ({ page, browser }) => {
    test.setTimeout(240_000);
    const ana = person('Ana');
    const bruno = person('Bruno');
    const orgName = `Consulta Ana ${RUN}`;

    // The owner: sign up, confirm the address from the mail, sign in.
    await signUpAndVerify(page, ana);
    await signIn(page, ana);

    // A new account has no organization: the dashboard offers to create one.
    const errors = collectErrors(page);
    await page.getByLabel('Nombre', { exact: true }).fill(orgName);
    await expect(page.getByLabel('Dirección')).toHaveValue(`consulta-ana-${RUN}`);
    await page.getByRole('button', { name: 'Crear organización' }).click();
    await expect(page.getByTestId('org-name')).toHaveText(orgName);
    await hydrated(page);
    await expect(page.getByTestId('org-switcher').locator('option:checked')).toHaveText(orgName);

    // Invite the second user from the members page.
    await gotoHydrated(page, '/dashboard/members');
    await expect(page.getByTestId('members-table')).toContainText(ana.email);
    await page.getByLabel('Correo', { exact: true }).fill(bruno.email);
    await page.locator('#invite-role').selectOption('editor');
    await page.getByRole('button', { name: 'Enviar invitación' }).click();
    await expect(page.getByTestId('invite-sent')).toContainText(`Invitación enviada a ${bruno.email}`);
    await expect(page.getByTestId('invitations')).toContainText(bruno.email);

    // The owner's dashboard pages loaded and hydrated without a console error.
    await page.waitForLoadState('networkidle');
    expect(errors, errors.join('\n')).toEqual([]);

    // The invitee, in a browser of their own.
    const context = await browser.newContext({ locale: 'es-ES' });
    const other = await context.newPage();
    const otherErrors = collectErrors(other);
    await signUpAndVerify(other, bruno);
    await signIn(other, bruno);

    const invitation = await linkFromMail(bruno.email, '/invitations/');
    await gotoHydrated(other, invitation);
    await other.getByRole('button', { name: 'Aceptar invitación' }).click();
    await other.waitForURL('**/dashboard');
    await hydrated(other);

    // The organization is now theirs too, and active.
    const switcher = other.getByTestId('org-switcher');
    await expect(switcher.locator('option', { hasText: orgName })).toHaveCount(1);
    await expect(switcher.locator('option:checked')).toHaveText(orgName);
    await expect(other.getByTestId('org-name')).toHaveText(orgName);
    await other.waitForLoadState('networkidle');
    expect(otherErrors, otherErrors.join('\n')).toEqual([]);

    // The owner now sees them as a member with the invited role, and no open invitation.
    await gotoHydrated(page, '/dashboard/members');
    const row = page.getByTestId('members-table').getByRole('row', { name: new RegExp(bruno.name) });
    await expect(row).toContainText(bruno.email);
    await expect(row.getByRole('combobox', { name: `Rol de ${bruno.name}` })).toHaveValue('editor');
    await expect(page.getByTestId('invitations')).toHaveCount(0);

    // Using the link again fails plainly.
    await gotoHydrated(other, invitation);
    await other.getByRole('button', { name: 'Aceptar invitación' }).click();
    await expect(other.getByTestId('invitation-error')).toContainText('ya se usó');
    await context.close();
  });

  test('the organization pages have no serious accessibility issues', async ({ page }) => {
    test.setTimeout(180_000);
    const carla = person('Carla');
    await signUpAndVerify(page, carla);
    await signIn(page, carla);
    await page.getByLabel('Nombre', { exact: true }).fill(`Estudio Carla ${RUN}`);
    await page.getByRole('button', { name: 'Crear organización' }).click();
    await expect(page.getByTestId('org-name')).toBeVisible();
    await hydrated(page);

    for (const path of ['/dashboard/members', '/dashboard/roles', '/dashboard/settings']) {
      await gotoHydrated(page, path);
      await page.waitForLoadState('networkidle');
      await expectNoSeriousA11yIssues(page);
    }

    // The role editor: create a custom role with a wildcard and an inherited role.
    await gotoHydrated(page, '/dashboard/roles');
    await page.getByRole('button', { name: 'Nuevo rol' }).click();
    await page.getByLabel('Nombre del rol').fill('asistente');
    await page.getByRole('checkbox', { name: /^Todo en Miembros/ }).check();
    await expect(page.getByRole('checkbox', { name: /^Invitar a personas por correo/ })).toBeDisabled();
    await page.getByRole('checkbox', { name: /^Editor/ }).check();
    await expect(page.getByRole('checkbox', { name: /^Crear, editar, publicar y borrar páginas/ })).toBeChecked();
    await expectNoSeriousA11yIssues(page);
    await page.getByRole('button', { name: 'Guardar rol' }).click();
    const row = page.getByTestId('roles-table').getByRole('row', { name: /asistente/ });
    await expect(row).toContainText('members:*');
    await expect(row).toContainText('Editor');

    // Deleting offers an undo.
    await row.getByRole('button', { name: 'Eliminar el rol asistente' }).click();
    await expect(page.getByTestId('roles-table').getByRole('row', { name: /asistente/ })).toHaveCount(0);
    await page.getByRole('button', { name: 'Deshacer' }).click();
    await expect(page.getByTestId('roles-table').getByRole('row', { name: /asistente/ })).toHaveCount(1);

    // Signed out, an invitation link explains how to join.
    await page.context().clearCookies();
    await gotoHydrated(page, '/invitations/not-a-real-token');
    await expect(page.getByTestId('invitation-signin')).toHaveAttribute('href', '/signin?next=/invitations/not-a-real-token');
    await expectNoSeriousA11yIssues(page);
  });
});
