import { z, type ZodType } from 'zod';
import { errorCodes } from '../errors';
import { adaptOperations } from '../adapt/service';
import { doneOperations } from '../done/service';
import { habitOperations } from '../habits/openapi';
import { meetingOperations } from '../meetings/openapi';
import { autoOperations } from '../scheduling/auto';
import { rescheduleOperations } from '../scheduling/missed';
import { blockOperations } from '../scheduling/openapi';
import { calendarOperations } from '../calendar/openapi';
import { identityOperations } from '../identity/openapi';
import { taskOperations } from '../tasks/openapi';

/**
 * The REST v1 surface, described once. The OpenAPI document at /api/v1/openapi.json is generated
 * from this table and the same zod schemas the services parse their input with, so the document
 * cannot drift from what the API accepts.
 */
export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  tag: string;
  summary: string;
  /** Query parameters (list filters). */
  query?: ZodType;
  /** The JSON request body. */
  body?: ZodType;
  /** What a success returns. */
  returns: string;
  status?: 200 | 201;
  /** The outside service the operation calls (its failures add 429/502/503 answers). */
  upstream?: string;
}

const idParam = (entity: string) => ({ name: 'id', in: 'path', required: true, description: `The ${entity} id (or a unique id prefix)`, schema: { type: 'string' } });

/** Every documented operation: each bounded context describes its own part. */
export const operations: Operation[] = [...taskOperations, ...habitOperations, ...meetingOperations, ...adaptOperations, ...doneOperations, ...blockOperations, ...autoOperations, ...rescheduleOperations, ...calendarOperations, ...identityOperations];

const jsonSchema = (schema: ZodType) => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

function queryParameters(schema: ZodType) {
  const object = jsonSchema(schema) as { properties?: Record<string, { description?: string }>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: object.required?.includes(name) ?? false,
    ...(property.description ? { description: property.description } : {}),
    schema: property,
    ...(name === 'status' || name === 'priority' ? { style: 'form', explode: false } : {}),
  }));
}


const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

export function openApiDocument(serverUrl = '/api/v1') {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const parameters = [
      ...(op.path.includes('{id}') ? [idParam(op.tag.replace(/s$/, ''))] : []),
      ...(op.query ? queryParameters(op.query) : []),
    ];
    paths[op.path] ??= {};
    paths[op.path][op.method] = {
      tags: [op.tag],
      summary: op.summary,
      operationId: `${op.method}${op.path.replace(/\{id\}/g, 'ById').replace(/(^|\/)([a-z])/g, (_m, _s, c: string) => c.toUpperCase()).replace(/[^A-Za-z]/g, '')}`,
      ...(parameters.length ? { parameters } : {}),
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body) } } } } : {}),
      responses: {
        [String(op.status ?? 200)]: { description: op.returns, content: { 'application/json': { schema: { type: 'object' } } } },
        400: errorResponse('Invalid input: `details.issues` names each field'),
        401: errorResponse('Missing, invalid or revoked token (`WWW-Authenticate: Bearer`)'),
        403: errorResponse('The token lacks a scope, or the module is not enabled'),
        ...(op.path.includes('{id}') ? { 404: errorResponse('No such item for this user') } : {}),
        ...(op.method !== 'get' ? { 409: errorResponse('The change conflicts with the current state') } : {}),
        ...(op.upstream
          ? {
              429: errorResponse(`${op.upstream} kept answering "rate limit exceeded" after the retries (\`rate_limited\`)`),
              502: errorResponse(`${op.upstream} answered with an error (\`upstream_error\`)`),
              503: errorResponse(`${op.upstream} could not be reached, or stored credentials cannot be decrypted (\`unavailable\`)`),
            }
          : {}),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Orbita REST API',
      version: '1',
      description:
        'Tasks, habits and 1:1 meetings. JSON in and out; times are ISO-8601 with the user\'s offset; lists are cursor-paginated (`limit`, `cursor` → `nextCursor`). Authenticate with `Authorization: Bearer <personal access token>` (Settings) or a dashboard session.',
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A personal access token (orb_pat_…) or the deployment\'s MCP_AUTH_TOKEN' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string', enum: errorCodes },
                message: { type: 'string' },
                details: { type: 'object' },
              },
            },
          },
        },
      },
    },
  };
}
