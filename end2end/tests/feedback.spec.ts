import { test, expect } from '@playwright/test';

// A failure a form cannot pin on one field is written above the form (announced to screen
// readers) and also shown as a toast that goes away by itself.
test.describe('form feedback', () => {
  test.use({ locale: 'es-ES' });

  test('a failed sign-in shows the error above the form and as a toast', async ({ page }) => {
    await page.goto('/signin');
    await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
    await page.fill('#email', `nobody-${Date.now()}@example.com`);
    await page.fill('#password', 'not the password at all');
    await page.click('button[type=submit]');

    await expect(page.getByRole('alert')).toHaveText('Correo o contraseña incorrectos.');
    const toast = page.getByTestId('toast');
    await expect(toast).toHaveText(/Correo o contraseña incorrectos\./);
    await expect(toast).toBeHidden({ timeout: 10_000 });
    // The form is still there to try again, with what was typed.
    await expect(page.locator('#password')).toHaveValue('not the password at all');
  });
});
