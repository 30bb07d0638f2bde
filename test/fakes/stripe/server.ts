import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback fake of the few Stripe REST endpoints Orbita uses, with an in-memory store tests
 * seed and inspect. Shapes follow Stripe's API (objects with `object`, lists with `data`/`has_more`,
 * errors as `{ error: { type, message } }`); request bodies are form-encoded like the SDK sends them.
 *
 *   GET  /v1/subscriptions/:id         GET  /v1/subscriptions?customer=
 *   POST /v1/customers                 GET  /v1/customers/:id    GET /v1/customers?email=
 *   POST /v1/checkout/sessions         GET  /v1/checkout/sessions/:id
 *   POST /v1/billing_portal/sessions
 *   GET  /v1/prices?lookup_keys[]=&active=
 */

type Obj = Record<string, unknown>;

export interface FakeStripeRequest {
  method: string;
  path: string;
  body: Obj;
}

export interface FakeStripe {
  url: string;
  subscriptions: Map<string, Obj>;
  customers: Map<string, Obj>;
  checkoutSessions: Map<string, Obj>;
  portalSessions: Map<string, Obj>;
  prices: Map<string, Obj>;
  requests: FakeStripeRequest[];
  /** Stores (or replaces) a price; `lookup_key` and `metadata.orbita_module` name its module. */
  putPrice(price: Obj): void;
  /** Stores (or replaces) a subscription object. */
  putSubscription(subscription: Obj): void;
  close(): Promise<void>;
}

const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Parses Stripe's form encoding (`a[b][0][c]=v`) into nested objects and arrays. */
export function parseStripeForm(text: string): Obj {
  const root: Obj = {};
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const keys = rawKey.split(/\[|\]\[|\]/).filter((k) => k !== '');
    let node: Obj | unknown[] = root;
    keys.forEach((key, i) => {
      const last = i === keys.length - 1;
      const container = node as Record<string, unknown>;
      if (last) container[key] = value;
      else {
        container[key] ??= /^\d+$/.test(keys[i + 1]) ? [] : {};
        node = container[key] as Obj;
      }
    });
  }
  return root;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': newId('req') });
  res.end(JSON.stringify(body));
}

const notFound = (res: ServerResponse, what: string, id: string) =>
  send(res, 404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${what}: '${id}'` } });

const list = (data: Obj[], url: string) => ({ object: 'list', data, has_more: false, url });

async function readBody(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

export async function startFakeStripe(): Promise<FakeStripe> {
  const subscriptions = new Map<string, Obj>();
  const customers = new Map<string, Obj>();
  const checkoutSessions = new Map<string, Obj>();
  const portalSessions = new Map<string, Obj>();
  const prices = new Map<string, Obj>();
  const requests: FakeStripeRequest[] = [];
  let baseUrl = '';

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const text = await readBody(req);
    const body = req.method === 'POST' ? parseStripeForm(text) : Object.fromEntries(url.searchParams);
    const method = req.method ?? 'GET';
    requests.push({ method, path: url.pathname, body });
    const route = /^\/v1\/(subscriptions|customers|checkout\/sessions|billing_portal\/sessions|prices)(?:\/([^/]+))?$/.exec(url.pathname);
    const resource = route?.[1] ?? '';
    const id = route?.[2];
    const parts = url.pathname.split('/').filter(Boolean);
    // The hosted pages a browser is redirected to (no API key).
    if (method === 'GET' && (parts[0] === 'checkout' || parts[0] === 'portal')) {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end(`<html><body><h1>Fake Stripe ${parts[0]}</h1><p>${parts[1] ?? ''}</p></body></html>`);
    }
    if (!/^Bearer sk_/.test(req.headers.authorization ?? '')) {
      return send(res, 401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
    }

    if (resource === 'prices' && method === 'GET' && !id) {
      const lookupKeys = url.searchParams.getAll('lookup_keys[]').concat(url.searchParams.getAll('lookup_keys[0]'));
      const active = url.searchParams.get('active');
      const matching = [...prices.values()].filter(
        (p) => (!lookupKeys.length || lookupKeys.includes(String(p.lookup_key))) && (active === null || String(p.active) === active),
      );
      return send(res, 200, list(matching, '/v1/prices'));
    }
    if (resource === 'subscriptions' && method === 'GET') {
      if (id) return subscriptions.has(id) ? send(res, 200, subscriptions.get(id)) : notFound(res, 'subscription', id);
      const customer = url.searchParams.get('customer');
      return send(res, 200, list([...subscriptions.values()].filter((s) => !customer || s.customer === customer), '/v1/subscriptions'));
    }
    if (resource === 'customers') {
      if (method === 'POST' && !id) {
        const customer = { id: newId('cus'), object: 'customer', created: nowSeconds(), livemode: false, email: body.email ?? null, name: body.name ?? null, metadata: body.metadata ?? {} };
        customers.set(customer.id, customer);
        return send(res, 200, customer);
      }
      if (method === 'GET' && id) return customers.has(id) ? send(res, 200, customers.get(id)) : notFound(res, 'customer', id);
      if (method === 'GET') {
        const email = url.searchParams.get('email');
        return send(res, 200, list([...customers.values()].filter((c) => !email || c.email === email), '/v1/customers'));
      }
    }
    if (resource === 'checkout/sessions') {
      if (method === 'POST') {
        const sessionId = newId('cs_test');
        const session = {
          id: sessionId,
          object: 'checkout.session',
          mode: body.mode ?? 'subscription',
          status: 'open',
          customer: body.customer ?? null,
          client_reference_id: body.client_reference_id ?? null,
          metadata: body.metadata ?? {},
          line_items: body.line_items ?? [],
          success_url: body.success_url ?? null,
          cancel_url: body.cancel_url ?? null,
          subscription: null,
          url: `${baseUrl}/checkout/${sessionId}`,
          created: nowSeconds(),
          livemode: false,
        };
        checkoutSessions.set(sessionId, session);
        return send(res, 200, session);
      }
      if (method === 'GET' && id) return checkoutSessions.has(id) ? send(res, 200, checkoutSessions.get(id)) : notFound(res, 'checkout.session', id);
    }
    if (resource === 'billing_portal/sessions' && method === 'POST') {
      if (!body.customer) return send(res, 400, { error: { type: 'invalid_request_error', param: 'customer', message: 'Missing required param: customer.' } });
      const portalId = newId('bps');
      const session = { id: portalId, object: 'billing_portal.session', customer: body.customer, return_url: body.return_url ?? null, url: `${baseUrl}/portal/${portalId}`, created: nowSeconds(), livemode: false };
      portalSessions.set(portalId, session);
      return send(res, 200, session);
    }
    send(res, 404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${url.pathname})` } });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    subscriptions,
    customers,
    checkoutSessions,
    portalSessions,
    prices,
    requests,
    putPrice: (price) => void prices.set(String(price.id), { object: 'price', active: true, currency: 'usd', unit_amount: 500, recurring: { interval: 'month' }, metadata: {}, lookup_key: null, ...price }),
    putSubscription: (subscription) => void subscriptions.set(String(subscription.id), subscription),
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
