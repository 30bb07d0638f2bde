import { redirect } from 'next/navigation';
import { sessionUserId } from '@/lib/identity/session';

export const dynamic = 'force-dynamic';

export default async function Home() {
  redirect((await sessionUserId()) ? '/today' : '/signin');
}
