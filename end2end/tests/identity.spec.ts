import { test, expect, type Page } from '@playwright/test';
import {
  collectErrors,
  expectNoSeriousA11yIssues,
  gotoHydrated,
  hydrated,
  MAIL_DIR,
  mailedLink,
  runId,
  type Account,
} from './support';

// Identity and organizations through the UI (issue 3's acceptance test):
// sign up → open the verification link from the mail → sign in → create an organization →
// invite a second user → the second user signs up, verifies, signs in, accepts → sees the
// organization in the switcher.
//
// scripts/test starts the server with MAIL_TRANSPORT=file://$MAIL_DIR: one .eml per message.

/** A fresh suffix per run, so emails and organization addresses never collide. */
const RUN = runId();

type Person = Account;

function person(first: string): Person {
  return {
    name: `${first} Prueba`,
    email: `${first.toLowerCase()}-${RUN}@example.com`,
    password: `una frase larga ${RUN} ${first}`,
  };
}

async function signUpAndVerify(page: Page, who: Person) {
  await gotoHydrated(page, '/signup');
  await page.getByLabel('Tu nombre').fill(who.name);
  await page.getByLabel('Correo', { exact: true }).fill(who.email);
  await page.getByLabel('Contraseña', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Crear cuenta' }).click();
  await expect(page.getByRole('status')).toContainText(who.email);

  const link = await mailedLink(who.email, '/verify-email?token=');
  expect(new URL(link).origin).toBe(new URL(page.url()).origin);
  // Opened in the browser that signed up, the link confirms, signs in and lands in the dashboard.
  await gotoHydrated(page, link);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId('user-name')).toHaveText(who.name);
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

    const invitation = await mailedLink(bruno.email, '/invitations/');
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
