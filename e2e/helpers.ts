import { expect, type Page } from '@playwright/test';

/** Signs up a new account with a unique email and lands on Today. */
export async function signUpFresh(page: Page, name: string, tag: string): Promise<string> {
  const email = `e2e-${tag}-${Date.now().toString(36)}@example.com`;
  await page.goto('/signup');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('a-good-long-password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/today$/);
  return email;
}
