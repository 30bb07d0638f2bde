/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The database driver and PGlite stay plain Node modules instead of being bundled.
  serverExternalPackages: ['pg', '@prisma/adapter-pg', 'pino', '@electric-sql/pglite', '@electric-sql/pglite-socket'],
  typescript: { ignoreBuildErrors: false },
};

export default nextConfig;
