// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any route's params
type Handler = (req: Request, route: { params: Promise<any> }) => Promise<Response>;

export interface ApiResult {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON under test
}

/** Calls a route handler the way Next.js does, with a Bearer token, a JSON body and path params. */
export async function callRoute(
  handler: Handler,
  options: { token: string; method?: string; path?: string; body?: unknown; rawBody?: string; params?: Record<string, string> },
): Promise<ApiResult> {
  const method = options.method ?? (options.body === undefined && options.rawBody === undefined ? 'GET' : 'POST');
  const request = new Request(`http://localhost${options.path ?? '/api/v1/test'}`, {
    method,
    headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const response = await handler(request, { params: Promise.resolve(options.params ?? {}) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}
