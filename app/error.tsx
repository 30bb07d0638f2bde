'use client';

import { PageError } from '@/components/page-error';

/** A page whose layout could not be rendered either (the dashboard needs the database for the session). */
export default function RootError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <PageError {...props} standalone />;
}
