import { defineConfig } from 'prisma/config';

// Prisma is used for its client only: migrations are committed SQL applied by node-pg-migrate
// (`npm run db:migrate`), because Prisma's migration engine is not shipped on npm.
export default defineConfig({
  schema: 'prisma/schema.prisma',
});
