import { z } from 'zod';
import { isValidTimeZone } from '../time';

export const emailSchema = z
  .string({ message: 'email is required' })
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'enter a valid email address' }).max(254, 'email is too long'));

export const passwordSchema = z
  .string({ message: 'password is required' })
  .min(8, 'password must be at least 8 characters')
  .max(200, 'password must be at most 200 characters');

export const timeZoneSchema = z
  .string()
  .trim()
  .refine(isValidTimeZone, { message: 'unknown time zone (use an IANA name such as Europe/Berlin or UTC)' });

/** Sign-up in the browser and `orbita user create`. */
export const createUserSchema = z.object({
  email: emailSchema.optional(),
  password: passwordSchema.optional(),
  name: z.string().trim().max(200, 'name must be at most 200 characters').optional(),
  timeZone: timeZoneSchema.default('UTC'),
});
export type CreateUserInput = z.input<typeof createUserSchema>;

export const signUpSchema = createUserSchema.extend({ email: emailSchema, password: passwordSchema });

export const tokenScopes = ['read', 'write'] as const;
export type TokenScope = (typeof tokenScopes)[number];

export const createTokenSchema = z.object({
  name: z.string().trim().min(1, 'name is required').max(100, 'name must be at most 100 characters'),
  scopes: z
    .array(z.enum(tokenScopes, { message: 'scopes must be read and/or write' }))
    .min(1, 'choose at least one scope')
    .default(['read', 'write'])
    .transform((scopes) => [...new Set(scopes)]),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export type CreateTokenInput = z.input<typeof createTokenSchema>;
