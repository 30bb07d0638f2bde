import { NextRequest } from 'next/server';
import { GET as authGet, POST as authPost } from '../../app/api/auth/[...nextauth]/route';
import { requestScope } from './next-headers';

/** A cookie jar and the requests a browser on `appUrl` sends, through next-auth's route handler. */
export class TestBrowser {
  readonly jar = new Map<string, string>();
  constructor(readonly appUrl: string) {}

  /** Keeps the cookies a response (or a server action, through `requestScope`) set. */
  store(response?: Response) {
    for (const cookie of response?.headers.getSetCookie() ?? []) {
      const pair = cookie.split(';')[0];
      const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      if (value === '' || /max-age=0/i.test(cookie) || /expires=Thu, 01 Jan 1970/i.test(cookie)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    for (const { name, value, options } of requestScope.setCookies.splice(0)) {
      if (value === '' || options.maxAge === 0) this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  /** A request from this browser; also points `next/headers` at it. */
  request(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
    const headers = new Headers({ host: new URL(this.appUrl).host, ...init.headers });
    if (this.jar.size && !headers.has('cookie')) headers.set('cookie', [...this.jar].map(([name, value]) => `${name}=${value}`).join('; '));
    requestScope.headers = headers;
    return new NextRequest(new URL(url, this.appUrl), { method: init.method ?? 'GET', headers, body: init.body });
  }

  /** GET or POST `/api/auth/<segments>` (and its query), keeping the cookies it sets. */
  async auth(method: 'GET' | 'POST', path: string, init: { headers?: Record<string, string>; body?: string } = {}): Promise<Response> {
    const req = this.request(`/api/auth/${path}`, { method, ...init });
    const segments = req.nextUrl.pathname.split('/').slice(3);
    const response = await (method === 'GET' ? authGet : authPost)(req, { params: Promise.resolve({ nextauth: segments }) });
    this.store(response);
    return response;
  }

  /** A form POST to next-auth with its CSRF token, answered as JSON (`{ url }`) instead of a redirect. */
  async authForm(path: string, fields: Record<string, string>): Promise<Response> {
    const { csrfToken } = (await (await this.auth('GET', 'csrf')).json()) as { csrfToken: string };
    return this.auth('POST', path, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: this.appUrl },
      body: new URLSearchParams({ csrfToken, json: 'true', ...fields }).toString(),
    });
  }

  async session(): Promise<{ user?: { id: string; email?: string | null } } | null> {
    const body = (await (await this.auth('GET', 'session')).json()) as { user?: { id: string } };
    return body.user ? body : null;
  }
}
