/**
 * Stateless Streamable HTTP (JSON responses) as one SDK Transport per POST, shared by the standalone
 * server (mcp/http.ts) and /api/mcp.
 *
 * Why not the SDK's StreamableHTTPServerTransport: in stateless JSON mode it still converts each
 * Node request into a Fetch Request and its answer into a Response (a web stream read back into a
 * buffer), copies every header, and re-parses each message with zod several times to classify it.
 * On a busy server that was a large share of a read tool's cost. This transport applies the same
 * checks with the same status codes and messages (Accept 406, Content-Type 415, batch size, the
 * JSON-RPC shape, one initialize per request, MCP-Protocol-Version 400, notification-only 202), then
 * hands the messages to the MCP server and answers with the responses as JSON.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { isJsonContentType } from '@modelcontextprotocol/sdk/shared/mediaType.js';
import { ClientRequestSchema, ErrorCode, type JSONRPCMessage, JSONRPCMessageSchema, type RequestId, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';

/** The SDK's limit on messages in one batch (server/requestBody.js). */
const maxBatchSize = 100;

export interface StatelessReply {
  status: number;
  /** JSON text, or null for 202 Accepted. */
  body: string | null;
}

const rpcError = (status: number, code: number, message: string): StatelessReply => ({
  status,
  body: JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }),
});

const isRequest = (message: JSONRPCMessage): message is JSONRPCMessage & { id: RequestId; method: string } =>
  'method' in message && 'id' in message;
const isResponse = (message: JSONRPCMessage): message is JSONRPCMessage & { id: RequestId } =>
  'id' in message && ('result' in message || 'error' in message);

export class StatelessJsonTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: Transport['onmessage'];
  private readonly waiting = new Map<RequestId, (response: JSONRPCMessage) => void>();
  private readonly requests = new Map<RequestId, JSONRPCMessage>();
  private closed = false;

  async start(): Promise<void> {}

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // A request still waiting gets an error rather than hanging its POST.
    for (const [id, resolve] of this.waiting) resolve({ jsonrpc: '2.0', id, error: { code: -32000, message: 'Connection closed' } });
    this.waiting.clear();
    this.onclose?.();
  }

  /**
   * Responses go back to the POST that carried their request. Anything else (progress or log
   * notifications, server-to-client requests) has no stream to go to in stateless JSON mode and
   * is dropped, as the SDK's transport does.
   */
  async send(message: JSONRPCMessage): Promise<void> {
    if (isResponse(message)) this.waiting.get(message.id)?.(this.invalidParams(message) ?? message);
  }

  /**
   * The SDK answers a request whose params fail its method's schema (say `tools/call` with
   * `arguments: []`) with -32603 Internal error and the zod issues as the message, and a
   * `resources/read` of a uri that is not a URL with -32603 "Invalid URL". Both are the client's
   * mistake, not the server's: they become -32602 Invalid params naming the problem. Checked only
   * on that error path, so a good call pays nothing.
   */
  private invalidParams(message: JSONRPCMessage & { id: RequestId }): JSONRPCMessage | null {
    if (!('error' in message) || message.error.code !== ErrorCode.InternalError) return null;
    const request = this.requests.get(message.id) as (JSONRPCMessage & { method?: string; params?: { uri?: unknown } }) | undefined;
    if (!request) return null;
    const uri = request.method === 'resources/read' ? request.params?.uri : undefined;
    if (typeof uri === 'string' && !URL.canParse(uri)) {
      return { jsonrpc: '2.0', id: message.id, error: { code: ErrorCode.InvalidParams, message: `Invalid params: uri ${JSON.stringify(uri.slice(0, 200))} is not a URI (e.g. orbita://tasks/open)` } };
    }
    if (ClientRequestSchema.safeParse(request).success) return null;
    let detail = "the params do not match the method's schema";
    try {
      const [first] = JSON.parse(message.error.message) as { path?: unknown[]; message?: string }[];
      if (first?.message) detail = `${(first.path ?? []).join('.') || 'params'}: ${first.message}`;
    } catch {
      // not the SDK's list of issues: keep the general detail
    }
    return { jsonrpc: '2.0', id: message.id, error: { code: ErrorCode.InvalidParams, message: `Invalid params: ${detail}` } };
  }

  /** Answers one POST: `header` reads a request header (lower-case name), `body` is the parsed JSON. */
  async handle(header: (name: string) => string | undefined, body: unknown): Promise<StatelessReply> {
    const accept = header('accept');
    if (!accept?.includes('application/json') || !accept.includes('text/event-stream')) {
      return rpcError(406, -32000, 'Not Acceptable: Client must accept both application/json and text/event-stream');
    }
    if (!isJsonContentType(header('content-type'))) return rpcError(415, -32000, 'Unsupported Media Type: Content-Type must be application/json');
    if (Array.isArray(body) && body.length > maxBatchSize) return rpcError(400, -32600, `Invalid Request: Batch must not exceed ${maxBatchSize} messages`);

    let messages: JSONRPCMessage[];
    try {
      messages = (Array.isArray(body) ? body : [body]).map((message) => JSONRPCMessageSchema.parse(message));
    } catch {
      return rpcError(400, -32700, 'Parse error: Invalid JSON-RPC message');
    }
    const initializing = messages.some((message) => isRequest(message) && message.method === 'initialize');
    if (initializing && messages.length > 1) return rpcError(400, -32600, 'Invalid Request: Only one initialization request is allowed');
    if (!initializing) {
      const version = header('mcp-protocol-version');
      if (version !== undefined && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
        return rpcError(400, -32000, `Bad Request: Unsupported protocol version: ${version} (supported versions: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})`);
      }
    }

    const requests = messages.filter(isRequest);
    if (new Set(requests.map((request) => request.id)).size !== requests.length) {
      return rpcError(400, -32600, 'Invalid Request: request ids in a batch must be unique');
    }
    const answers = requests.map(
      (request) =>
        new Promise<JSONRPCMessage>((resolve) => {
          this.waiting.set(request.id, resolve);
          this.requests.set(request.id, request);
        }),
    );
    for (const message of messages) this.onmessage?.(message);
    if (requests.length === 0) return { status: 202, body: null };
    const responses = await Promise.all(answers);
    return { status: 200, body: JSON.stringify(Array.isArray(body) ? responses : responses[0]) };
  }
}
