'use client';

import { PageError } from '@/components/page-error';

/** A dashboard page that could not be rendered: the navigation stays, so every other page is a click away. */
export default function DashboardError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <PageError {...props} standalone={false} />;
}
