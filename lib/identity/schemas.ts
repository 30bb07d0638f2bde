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

/**
 * A finished Google sign-in (lib/identity/google-sign-in.ts): the verified ID token's claims, plus
 * what the browser brought along.
 */
export const googleSignInSchema = z.object({
  /** Google's stable account id (the ID token's `sub`). */
  sub: z.string().trim().min(1, 'the Google account id is missing').max(255),
  email: z.string().nullish(),
  /** Google's `email_verified` claim: only `true` (or the string "true") counts as verified. */
  email_verified: z.union([z.boolean(), z.string()]).nullish(),
  name: z.string().nullish(),
  /** Set by Settings → "Link Google sign-in": link to this signed-in user, whatever the email. */
  linkToUserId: z.uuid().nullish(),
  /** The browser's zone, recorded by the sign-in page; anything but a known IANA zone means UTC. */
  timeZone: z.string().nullish(),
});
export type GoogleSignInInput = z.input<typeof googleSignInSchema>;

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

/** Weekday names by stored weekday: 0 = Sunday … 6 = Saturday (as `Date#getDay`). */
export const weekdayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

/** The shortest working or personal window the scheduler can place anything in usefully. */
export const minimumHoursMinutes = 15;

const clockTime = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** `{ start, end }` as HH:MM (end may be 24:00), end at least 15 minutes after start; messages start with `label`. */
export const hoursSchema = (label: string) =>
  z
    .object({
      start: z.string({ message: `${label}: start is required` }).regex(clockTime, `${label}: start must be a time like 09:00`),
      end: z.string({ message: `${label}: end is required` }).regex(clockTime, `${label}: end must be a time like 17:00 (24:00 for midnight)`),
    })
    .strict()
    .superRefine(({ start, end }, context) => {
      const [startMinute, endMinute] = [start, end].map((text) => Number(text.slice(0, 2)) * 60 + Number(text.slice(3)));
      if (endMinute <= startMinute) context.addIssue({ code: 'custom', path: ['end'], message: `${label}: end must be after start` });
      else if (endMinute - startMinute < minimumHoursMinutes) {
        context.addIssue({ code: 'custom', path: ['end'], message: `${label}: end must be at least ${minimumHoursMinutes} minutes after start` });
      }
    });

/**
 * Settings → Profile and `PATCH /api/v1/me`. Every field is optional (only what is sent changes);
 * `workingHours` replaces the whole week: 7 entries, index = weekday (0 = Sunday), null = day off.
 */
export const updateProfileSchema = z
  .object({
    timeZone: timeZoneSchema.optional(),
    workingHours: z
      .tuple([
        hoursSchema(weekdayNames[0]).nullable(),
        hoursSchema(weekdayNames[1]).nullable(),
        hoursSchema(weekdayNames[2]).nullable(),
        hoursSchema(weekdayNames[3]).nullable(),
        hoursSchema(weekdayNames[4]).nullable(),
        hoursSchema(weekdayNames[5]).nullable(),
        hoursSchema(weekdayNames[6]).nullable(),
      ], { message: 'workingHours must list the 7 weekdays, Sunday first (null for a day off)' })
      .optional()
      .describe('The whole week, Sunday first: `{ start, end }` (HH:MM, end may be 24:00) or null for a day off'),
    personalHours: hoursSchema('Personal hours').optional().describe('When habits may be planned, every day'),
  })
  .strict();
/** The week may be any array here: the schema, which every door's input goes through, checks it holds 7 days. */
export type UpdateProfileInput = Omit<z.input<typeof updateProfileSchema>, 'workingHours'> & { workingHours?: ({ start: string; end: string } | null)[] };
