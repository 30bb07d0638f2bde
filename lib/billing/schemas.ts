import { z } from 'zod';
import { modules } from './modules';

const moduleList = modules.join(', ');

export const moduleSchema = z.enum(modules, { message: `module must be one of ${moduleList}` });

export const grantModuleSchema = z
  .object({
    module: moduleSchema.describe(`One of ${moduleList}`),
    active: z.boolean({ message: 'active must be true or false' }).default(true).describe('true grants the module, false revokes it'),
  })
  .strict();
export type GrantModuleInput = z.input<typeof grantModuleSchema>;

/** The envelope of a Stripe event (the object inside is read field by field by the handler). */
export const stripeEventSchema = z
  .object({
    id: z.string({ message: 'event id must be a string' }).min(1, 'event id must not be empty'),
    type: z.string({ message: 'event type must be a string' }).min(1, 'event type must not be empty'),
    created: z.number().optional(),
    data: z.object({ object: z.record(z.string(), z.unknown()) }, { message: 'event data.object must be an object' }),
  })
  .loose();
export type StripeEventInput = z.infer<typeof stripeEventSchema>;
