import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { requireSessionUser } from '@/lib/identity/session';

/**
 * Operations is for admin users only; anyone else gets the ordinary 404, so the page does not even
 * admit it exists. The check sits in the layout, outside the page's loading boundary, so the 404
 * status is decided before anything streams.
 */
export default async function OperationsLayout({ children }: { children: ReactNode }) {
  const user = await requireSessionUser();
  if (!user.isAdmin) notFound();
  return children;
}
