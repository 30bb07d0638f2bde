/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The database driver and PGlite stay plain Node modules instead of being bundled.
  serverExternalPackages: ['pg', '@prisma/adapter-pg', 'pino', '@electric-sql/pglite', '@electric-sql/pglite-socket'],
  typescript: { ignoreBuildErrors: false },
  // Security headers (CSP with a per-request nonce, HSTS over TLS, frame/referrer/permissions
  // policies) are set by proxy.ts from lib/http/security-headers.ts for every response, so there is
  // no `headers()` here. Server actions: Next.js refuses a POST whose Origin differs from
  // X-Forwarded-Host/Host. A reverse proxy that forwards X-Forwarded-Host needs nothing more; one
  // that rewrites Host without it needs `experimental.serverActions.allowedOrigins: ['public.host']`.
};

export default nextConfig;
