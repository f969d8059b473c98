/**
 * A fake model server for running the REAL `codex exec` offline (tests and `npm run demo`).
 *
 * It speaks the subset of the OpenAI Responses API that codex 0.169 uses with a custom provider
 * (`POST /v1/responses`, SSE), plus the few ChatGPT-mode endpoints codex calls when a custom provider
 * has `requires_openai_auth = true` and `chatgpt_base_url` points here (token refresh, workspace
 * routing check, user settings, model list). Only `node:http`; it listens on 127.0.0.1 only.
 *
 * The server is stateless per request: every Responses request resends the whole conversation
 * (`store: false`), so the reply is chosen from the request body alone. That lets parallel codex runs
 * of different scenarios share one server: each prompt names its scenario with `[[scenario:NAME]]`
 * (or `[[scenario:NAME:ARG]]`), otherwise the server's default scenario is used.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// ------------------------------------------------------------------------------------------------
// Scenario data format
// ------------------------------------------------------------------------------------------------

/** Token usage reported in `response.completed.response.usage` for one request. */
export interface FakeUsage {
  inputTokens: number;
  cachedTokens: number;
  outputTokens: number;
  reasoningTokens?: number;
}

/** What a dynamic message text can look at. */
export interface FakeStepContext {
  scenario: string;
  /** The `ARG` part of `[[scenario:NAME:ARG]]`, if any. */
  arg: string | undefined;
  /** 0-based step index within the current turn. */
  step: number;
  /** `output` strings of the tool results after the current user prompt, oldest first. */
  toolOutputs: string[];
  /** The text of the last user message (the prompt). */
  prompt: string;
}

/** One output item of a scripted model response. */
export type FakeOutputItem =
  /** A reasoning item with one summary part (codex shows it as a `reasoning` item). */
  | { type: 'reasoning'; summary: string }
  /** An assistant message (commentary, or the final message when it is the last step). */
  | { type: 'message'; text: string | ((ctx: FakeStepContext) => string) }
  /** An `exec_command` function call. `login` defaults to false (`/bin/bash -c`, no dotfiles). */
  | { type: 'exec'; cmd: string; workdir?: string; login?: boolean; yieldTimeMs?: number; callId?: string }
  /** Any other Responses output item, sent verbatim (e.g. a `custom_tool_call` for apply_patch). */
  | { type: 'raw'; item: Record<string, unknown> };

/** How a step fails instead of completing normally. */
export type FakeStepFailure =
  /** Answer with this HTTP status and an OpenAI-style JSON error body (no SSE). */
  | { type: 'http'; status: number; message?: string; code?: string; body?: unknown }
  /** Stream the step's items, then `response.failed` with this message. */
  | { type: 'response_failed'; message: string; code?: string }
  /** Stream the step's items, then close the connection without `response.completed`. */
  | { type: 'cut' }
  /**
   * Send nothing more and keep the connection open until the client goes away or the server
   * closes. `headers: true` (default) sends `200 text/event-stream` first, which is what codex's
   * `stream_idle_timeout_ms` measures; `headers: false` stalls before the status line.
   */
  | { type: 'stall'; headers?: boolean };

/** One model response of a scripted turn. */
export interface FakeScenarioStep {
  items?: FakeOutputItem[];
  fail?: FakeStepFailure;
  /** Wait this long before answering (before the status line). */
  delayMs?: number;
  /** Usage for this response; `null` omits usage. Default: the server's usage. */
  usage?: FakeUsage | null;
}

/**
 * A scenario: the ordered responses of one turn. Step N is answered once the tool calls of steps
 * 0..N-1 all have results in the request. A function receives the marker's `ARG`.
 */
export type FakeScenario = FakeScenarioStep[] | ((arg: string | undefined) => FakeScenarioStep[]);

// ------------------------------------------------------------------------------------------------
// Built-in scenarios
// ------------------------------------------------------------------------------------------------

/** The final message of the demo turn (the 4-line report format). */
export const DEMO_RESULT_TEXT =
  'RESULT: completed\nSUMMARY: created a.txt with one line of text\nCHANGED_FILES: a.txt\nCHECKS: npm test';

/** The command of the demo turn. */
export const DEMO_COMMAND = "printf 'hello from codex\\n' > a.txt && cat a.txt";

/** Usage per request of the fixtures: 1200 input, 200 cached, 34 output. */
export const DEFAULT_USAGE: FakeUsage = { inputTokens: 1200, cachedTokens: 200, outputTokens: 34, reasoningTokens: 0 };

/** Error texts the built-in failure scenarios send (codex's reactions are in the spec §8.4). */
export const FAKE_ERROR_MESSAGES = {
  responseFailed: 'The model exploded (mock response.failed)',
  http400: "The requested model 'mock-model' does not exist.",
  http401: 'Incorrect API key provided: sk-wro****. You can find your API key at https://platform.openai.com/account/api-keys.',
  http429: 'Rate limit reached for mock-model (mock).',
  http500: 'The server had an error while processing your request (mock).',
} as const;

/** Options of {@link scriptedTurn}. */
export interface ScriptedTurnOptions {
  /** Commands run one per step, in order. */
  commands?: string[];
  /** Final message; `null` ends the turn without any agent message. Default {@link DEMO_RESULT_TEXT}. */
  result?: string | null | ((ctx: FakeStepContext) => string);
  /** Reasoning summary of the first step. */
  reasoning?: string;
  /** Commentary message of the first step. */
  commentary?: string;
  /** Passed to every exec call (e.g. a long `yieldTimeMs` for slow commands). */
  exec?: { login?: boolean; yieldTimeMs?: number; workdir?: string };
}

/**
 * Builds a turn: optional reasoning and commentary, one `exec_command` step per command, then the
 * final message. The usual way for a test to script "run these commands, then report this".
 */
export function scriptedTurn(options: ScriptedTurnOptions = {}): FakeScenarioStep[] {
  const commands = options.commands ?? [];
  const result = options.result === undefined ? DEMO_RESULT_TEXT : options.result;
  const intro: FakeOutputItem[] = [];
  if (options.reasoning !== undefined) intro.push({ type: 'reasoning', summary: options.reasoning });
  if (options.commentary !== undefined) intro.push({ type: 'message', text: options.commentary });
  const steps: FakeScenarioStep[] = commands.map((cmd, i) => ({
    items: [...(i === 0 ? intro : []), { type: 'exec', cmd, ...options.exec }],
  }));
  const finalItems: FakeOutputItem[] = commands.length === 0 ? [...intro] : [];
  if (result !== null) finalItems.push({ type: 'message', text: result });
  // A response with no items still completes the turn: that is how "no agent message" looks.
  steps.push({ items: finalItems });
  return steps;
}

function fourLines(summary: string, changed = 'none', checks = 'none'): string {
  return `RESULT: completed\nSUMMARY: ${summary}\nCHANGED_FILES: ${changed}\nCHECKS: ${checks}`;
}

function positiveNumber(arg: string | undefined, fallback: number): number {
  const n = arg === undefined ? NaN : Number(arg);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

function builtInScenarios(bigOutputMb: number): Record<string, FakeScenario> {
  return {
    demo: scriptedTurn({
      reasoning: '**Creating a.txt**\n\nI will create the file with one shell command.',
      commentary: 'Creating a.txt now.',
      commands: [DEMO_COMMAND],
    }),
    no_message: scriptedTurn({ reasoning: '**Nothing to say**\n\nThe turn ends without a message.', result: null }),
    // A long tool command, for signal and kill tests. yield_time_ms keeps the call in the
    // foreground for the whole sleep (codex would otherwise background it after 10 s).
    sleep: (arg) => {
      const seconds = positiveNumber(arg, 30);
      return scriptedTurn({
        commentary: `Sleeping ${seconds} s.`,
        commands: [`sleep ${seconds}`],
        exec: { yieldTimeMs: (seconds + 5) * 1000 },
        result: fourLines(`slept ${seconds} s`),
      });
    },
    // Prints ARG (default bigOutputMb) MiB as 100-byte lines.
    big_output: (arg) => {
      const mb = positiveNumber(arg, bigOutputMb);
      const bytes = Math.round(mb * 1024 * 1024);
      return scriptedTurn({
        commands: [`yes ${'x'.repeat(99)} | head -c ${bytes}`],
        exec: { yieldTimeMs: 30_000 },
        result: fourLines(`printed ${mb} MiB`),
      });
    },
    env_probe: scriptedTurn({ commands: ['env'], result: fourLines('printed the tool environment') }),
    http_400: [{ fail: { type: 'http', status: 400, message: FAKE_ERROR_MESSAGES.http400, code: 'model_not_found' } }],
    http_401: [{ fail: { type: 'http', status: 401, message: FAKE_ERROR_MESSAGES.http401, code: 'invalid_api_key' } }],
    http_429: [{ fail: { type: 'http', status: 429, message: FAKE_ERROR_MESSAGES.http429, code: 'rate_limit_exceeded' } }],
    http_500: [{ fail: { type: 'http', status: 500, message: FAKE_ERROR_MESSAGES.http500, code: 'server_error' } }],
    response_failed: [{ fail: { type: 'response_failed', message: FAKE_ERROR_MESSAGES.responseFailed } }],
    cut: [{ items: [{ type: 'message', text: 'partial' }], fail: { type: 'cut' } }],
    stall: [{ fail: { type: 'stall' } }],
    // Fails only after a tool call: the command ran, then the model "crashes".
    fail_after_tool: [{ items: [{ type: 'exec', cmd: DEMO_COMMAND }] }, { fail: { type: 'response_failed', message: FAKE_ERROR_MESSAGES.responseFailed } }],
  };
}

/** Names of the built-in scenarios. */
export const BUILT_IN_SCENARIOS = Object.keys(builtInScenarios(1));

// ------------------------------------------------------------------------------------------------
// JWT-shaped tokens and ChatGPT-mode auth.json (fake values only, never signed)
// ------------------------------------------------------------------------------------------------

/** Builds an unsigned, JWT-shaped token (`header.payload.signature`, base64url). */
export function makeFakeJwt(payload: Record<string, unknown>): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.${Buffer.from('fake-signature').toString('base64url')}`;
}

/** Decodes the payload of a JWT-shaped token; `undefined` if it is not one. */
export function decodeJwtPayload(token: string | undefined): Record<string, unknown> | undefined {
  const part = token?.split('.')[1];
  if (part === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Identity claims used in fake tokens. */
export interface FakeIdentity {
  email?: string;
  accountId?: string;
  userId?: string;
  planType?: string;
}

const DEFAULT_IDENTITY: Required<FakeIdentity> = {
  email: 'tester@example.invalid',
  accountId: 'acct-fake-0001',
  userId: 'user-fake-0001',
  planType: 'plus',
};

/** Issues a fake id_token and access_token pair. `expiresAt` is in seconds since the epoch. */
export function makeFakeTokens(
  identity: FakeIdentity,
  expiresAt: number,
  extraClaims: Record<string, unknown> = {},
): { idToken: string; accessToken: string } {
  const id = { ...DEFAULT_IDENTITY, ...identity };
  const authClaims = {
    chatgpt_plan_type: id.planType,
    chatgpt_user_id: id.userId,
    chatgpt_account_id: id.accountId,
    user_id: id.userId,
  };
  const iat = Math.min(expiresAt - 60, Math.floor(Date.now() / 1000));
  const idToken = makeFakeJwt({
    iss: 'https://auth.openai.invalid',
    aud: ['app_fake'],
    sub: id.userId,
    email: id.email,
    email_verified: true,
    iat,
    exp: expiresAt,
    'https://api.openai.com/auth': authClaims,
    ...extraClaims,
  });
  const accessToken = makeFakeJwt({
    iss: 'https://auth.openai.invalid',
    sub: id.userId,
    iat,
    exp: expiresAt,
    'https://api.openai.com/auth': authClaims,
    'https://api.openai.com/profile': { email: id.email, email_verified: true },
    ...extraClaims,
  });
  return { idToken, accessToken };
}

/** The ChatGPT-mode `auth.json` shape codex 0.169 reads (spec §11.2). */
export interface ChatGptAuthJson {
  auth_mode: 'chatgpt';
  OPENAI_API_KEY: null;
  tokens: { id_token: string; access_token: string; refresh_token: string; account_id: string };
  last_refresh?: string;
}

/** Options of {@link makeChatGptAuthJson}. */
export interface ChatGptAuthJsonOptions extends FakeIdentity {
  /** true: the access token expired an hour ago (codex refreshes proactively before the turn). */
  expired: boolean;
  /** Lifetime of a non-expired access token in seconds. Default 3600. */
  ttlSeconds?: number;
  refreshToken?: string;
  /** ISO time of `last_refresh`; `null` omits it (codex then sends no bearer until a 401). Default: one hour ago. */
  lastRefresh?: string | null;
}

/**
 * Builds a ChatGPT-mode auth.json object with JWT-shaped fake tokens: the id_token payload has
 * `email` and the `https://api.openai.com/auth` claims codex requires; the access token's `exp`
 * drives codex's proactive refresh. Write it with `JSON.stringify` (mode 0600 is what codex uses).
 */
export function makeChatGptAuthJson(options: ChatGptAuthJsonOptions): ChatGptAuthJson {
  const now = Math.floor(Date.now() / 1000);
  const expiresAt = options.expired ? now - 3600 : now + (options.ttlSeconds ?? 3600);
  const identity = { ...DEFAULT_IDENTITY, ...definedOnly(options) };
  const { idToken, accessToken } = makeFakeTokens(identity, expiresAt, { fake_generation: 0 });
  const json: ChatGptAuthJson = {
    auth_mode: 'chatgpt',
    OPENAI_API_KEY: null,
    tokens: {
      id_token: idToken,
      access_token: accessToken,
      refresh_token: options.refreshToken ?? 'rt_fake_initial',
      account_id: identity.accountId,
    },
  };
  const lastRefresh = options.lastRefresh === undefined ? new Date((now - 3600) * 1000).toISOString() : options.lastRefresh;
  if (lastRefresh !== null) json.last_refresh = lastRefresh;
  return json;
}

function definedOnly(o: FakeIdentity): FakeIdentity {
  const out: FakeIdentity = {};
  if (o.email !== undefined) out.email = o.email;
  if (o.accountId !== undefined) out.accountId = o.accountId;
  if (o.userId !== undefined) out.userId = o.userId;
  if (o.planType !== undefined) out.planType = o.planType;
  return out;
}

// ------------------------------------------------------------------------------------------------
// Server
// ------------------------------------------------------------------------------------------------

/** What the OAuth token endpoint does. Change it at run time with `setOAuth`. */
export interface FakeOAuthBehaviour {
  /** Delay before answering a refresh. */
  delayMs?: number;
  /**
   * Answer 401 instead of new tokens. `true` = `invalidated` (codex: "…refresh token was revoked…");
   * `reused` and `expired` send the other OAuth error codes codex distinguishes.
   */
  reject?: boolean | 'invalidated' | 'reused' | 'expired';
  /** Lifetime of issued access tokens. Default 3600 s. */
  ttlSeconds?: number;
  /** Identity put into the issued tokens. */
  identity?: FakeIdentity;
}

/** Options of {@link startFakeModelServer}. */
export interface FakeModelServerOptions {
  /** Scenario used when the prompt has no `[[scenario:NAME]]` marker. Default `demo`. */
  defaultScenario?: string;
  /** Extra scenarios; they override built-ins of the same name. */
  scenarios?: Record<string, FakeScenario>;
  /** Usage per response. Default {@link DEFAULT_USAGE}. */
  usage?: FakeUsage;
  /** Default size of `big_output` in MiB. Default 1. */
  bigOutputMb?: number;
  /**
   * When set, `/v1/responses` answers 401 unless the Authorization header is `Bearer <value>`
   * (string) or the predicate accepts the header.
   */
  expectedBearer?: string | ((authorization: string | undefined) => boolean);
  /**
   * Answer 401 on `/v1/responses` when the bearer is a JWT whose `exp` has passed, as the real
   * service does with a stale ChatGPT access token. Default true (opaque keys are never affected).
   */
  rejectExpiredJwt?: boolean;
  /** Token endpoint behaviour (ChatGPT mode). */
  oauth?: FakeOAuthBehaviour;
  /** Model entries served by `GET /v1/models` (ChatGPT mode). Default none. */
  models?: unknown[];
  /** Port on 127.0.0.1. Default 0 (any free port). */
  port?: number;
}

/** Which endpoint a recorded request hit. */
export type FakeEndpoint = 'responses' | 'oauth_token' | 'models' | 'accounts_check' | 'settings_user' | 'other';

/** One request the server received. */
export interface RecordedRequest {
  seq: number;
  method: string;
  /** Path with query string, as sent. */
  path: string;
  endpoint: FakeEndpoint;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or the raw text when it is not JSON, or undefined when empty. */
  body: unknown;
  remoteAddress: string | undefined;
  receivedAt: number;
  /** For `responses`: the scenario and step that answered. */
  scenario?: string;
  step?: number;
  status?: number;
}

/** A running fake server. */
export interface FakeModelServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `url + '/v1'`: the custom provider's `base_url`. */
  baseUrl: string;
  port: number;
  /** Every request so far, in arrival order (live array). */
  requests: RecordedRequest[];
  /** Number of `POST /oauth/token` calls so far. */
  refreshCount(): number;
  /** Adds or replaces a scenario. */
  registerScenario(name: string, scenario: FakeScenario): void;
  /** Changes the token endpoint behaviour (merged into the current one). */
  setOAuth(behaviour: FakeOAuthBehaviour): void;
  /** Stops listening and drops every open connection (including stalled streams). */
  close(): Promise<void>;
}

/**
 * Starts the fake server on 127.0.0.1 (port 0 by default).
 *
 * Routes: `POST /v1/responses` (SSE), `POST /oauth/token`, `GET /v1/models`,
 * `GET /backend-api/wham/accounts/check`, `GET /backend-api/wham/settings/user`; anything else 404.
 */
export async function startFakeModelServer(options: FakeModelServerOptions = {}): Promise<FakeModelServer> {
  const scenarios = new Map<string, FakeScenario>(Object.entries({
    ...builtInScenarios(options.bigOutputMb ?? 1),
    ...options.scenarios,
  }));
  const defaultScenario = options.defaultScenario ?? 'demo';
  const usage = options.usage ?? DEFAULT_USAGE;
  let oauth: FakeOAuthBehaviour = { ...options.oauth };
  const requests: RecordedRequest[] = [];
  let refreshes = 0;
  let responseSeq = 0;

  const server = createServer((req, res) => {
    void readBody(req).then((text) => {
      const rec: RecordedRequest = {
        seq: requests.length + 1,
        method: req.method ?? '',
        path: req.url ?? '',
        endpoint: classify(req.method ?? '', req.url ?? ''),
        headers: req.headers,
        body: parseBody(text),
        remoteAddress: req.socket.remoteAddress,
        receivedAt: Date.now(),
      };
      requests.push(rec);
      res.on('finish', () => { rec.status = res.statusCode; });
      switch (rec.endpoint) {
        case 'responses':
          return handleResponses(rec, req, res);
        case 'oauth_token':
          refreshes += 1;
          return handleOAuth(res, oauth, refreshes);
        case 'models':
          return sendJson(res, 200, { models: options.models ?? [] });
        case 'accounts_check':
          return sendJson(res, 200, accountsCheckBody(oauth.identity));
        case 'settings_user':
          return sendJson(res, 200, { commit_attribution_enabled: false });
        default:
          // The built-in openai provider first tries a WebSocket; 426 makes it fall back at once.
          if (req.headers.upgrade !== undefined) return sendJson(res, 426, { error: { message: 'no websockets here' } });
          return sendJson(res, 404, { error: { message: `fake model server: no route for ${rec.method} ${rec.path}` } });
      }
    }).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(err) } });
      else res.destroy();
    });
  });

  async function handleResponses(rec: RecordedRequest, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (options.expectedBearer !== undefined && !bearerAccepted(options.expectedBearer, req.headers.authorization)) {
      return sendJson(res, 401, errorBody(FAKE_ERROR_MESSAGES.http401, 'invalid_api_key', 401));
    }
    if (options.rejectExpiredJwt !== false && bearerJwtExpired(req.headers.authorization)) {
      return sendJson(res, 401, errorBody('Provided authentication token is expired. Please try signing in again. (mock)', 'token_expired', 401));
    }
    const input = inputItems(rec.body);
    const marker = findScenarioMarker(input);
    const name = marker?.name ?? defaultScenario;
    const scenario = scenarios.get(name);
    const toolOutputs = toolOutputsOfCurrentTurn(input);
    rec.scenario = name;
    if (scenario === undefined) {
      return sendJson(res, 400, errorBody(`fake model server: unknown scenario '${name}'`, 'unknown_scenario', 400));
    }
    const steps = typeof scenario === 'function' ? scenario(marker?.arg) : scenario;
    const stepIndex = stepFor(steps, toolOutputs.length);
    rec.step = stepIndex;
    const ctx: FakeStepContext = { scenario: name, arg: marker?.arg, step: stepIndex, toolOutputs, prompt: lastUserText(input) };
    // Past the script's end (e.g. a resumed thread): finish the turn with a short message.
    const step = steps[stepIndex] ?? { items: [{ type: 'message', text: `fake model server: scenario '${name}' has no step ${stepIndex}` }] };
    responseSeq += 1;
    await respondWithStep(req, res, step, ctx, `resp_fake_${responseSeq}`, step.usage === undefined ? usage : step.usage, callIdBase(steps, stepIndex, name));
  }

  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    baseUrl: `${url}/v1`,
    port,
    requests,
    refreshCount: () => refreshes,
    registerScenario: (name, scenario) => { scenarios.set(name, scenario); },
    setOAuth: (behaviour) => { oauth = { ...oauth, ...behaviour }; },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Stalled streams never end by themselves; drop them so close() returns.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

// ------------------------------------------------------------------------------------------------
// Responses: request analysis
// ------------------------------------------------------------------------------------------------

type InputItem = Record<string, unknown>;

function inputItems(body: unknown): InputItem[] {
  const input = body !== null && typeof body === 'object' ? (body as { input?: unknown }).input : undefined;
  return Array.isArray(input) ? input.filter((i): i is InputItem => i !== null && typeof i === 'object') : [];
}

function isUserMessage(item: InputItem): boolean {
  return item.type === 'message' && item.role === 'user';
}

function messageText(item: InputItem): string {
  const content = item.content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) => (part !== null && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string' ? (part as { text: string }).text : ''))
    .join('');
}

function lastUserText(input: InputItem[]): string {
  for (let i = input.length - 1; i >= 0; i -= 1) {
    const item = input[i];
    if (item !== undefined && isUserMessage(item)) return messageText(item);
  }
  return '';
}

const MARKER = /\[\[scenario:([A-Za-z0-9_.-]+)(?::([^\]]*))?\]\]/g;

/** The last `[[scenario:NAME(:ARG)]]` marker in the user messages, so a resumed prompt can switch. */
function findScenarioMarker(input: InputItem[]): { name: string; arg: string | undefined } | undefined {
  let found: { name: string; arg: string | undefined } | undefined;
  for (const item of input) {
    if (!isUserMessage(item)) continue;
    for (const m of messageText(item).matchAll(MARKER)) found = { name: m[1] ?? '', arg: m[2] };
  }
  return found;
}

/** Tool results after the last user message: the calls answered so far in this turn. */
function toolOutputsOfCurrentTurn(input: InputItem[]): string[] {
  let start = 0;
  input.forEach((item, i) => { if (isUserMessage(item)) start = i + 1; });
  return input
    .slice(start)
    .filter((i) => i.type === 'function_call_output' || i.type === 'custom_tool_call_output')
    .map((i) => (typeof i.output === 'string' ? i.output : JSON.stringify(i.output)));
}

function callsIn(step: FakeScenarioStep): number {
  return (step.items ?? []).filter((i) => i.type === 'exec' || (i.type === 'raw' && typeof i.item.call_id === 'string')).length;
}

/** Step N is due once the calls of steps 0..N-1 all have results (parallel calls count each). */
function stepFor(steps: FakeScenarioStep[], answered: number): number {
  let index = 0;
  let remaining = answered;
  while (index < steps.length) {
    const calls = callsIn(steps[index] as FakeScenarioStep);
    if (calls === 0 || remaining < calls) break;
    remaining -= calls;
    index += 1;
  }
  return index;
}

function callIdBase(steps: FakeScenarioStep[], stepIndex: number, name: string): { name: string; before: number } {
  let before = 0;
  for (let i = 0; i < stepIndex && i < steps.length; i += 1) before += callsIn(steps[i] as FakeScenarioStep);
  return { name, before };
}

// ------------------------------------------------------------------------------------------------
// Responses: SSE reply
// ------------------------------------------------------------------------------------------------

function usageJson(u: FakeUsage): Record<string, unknown> {
  return {
    input_tokens: u.inputTokens,
    input_tokens_details: { cached_tokens: u.cachedTokens },
    output_tokens: u.outputTokens,
    output_tokens_details: { reasoning_tokens: u.reasoningTokens ?? 0 },
    total_tokens: u.inputTokens + u.outputTokens,
  };
}

function renderItem(item: FakeOutputItem, ctx: FakeStepContext, n: number, callId: () => string): Record<string, unknown> {
  switch (item.type) {
    case 'reasoning':
      return { type: 'reasoning', id: `rs_fake_${n}`, summary: [{ type: 'summary_text', text: item.summary }] };
    case 'message': {
      const text = typeof item.text === 'function' ? item.text(ctx) : item.text;
      return { type: 'message', id: `msg_fake_${n}`, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] };
    }
    case 'exec': {
      const args: Record<string, unknown> = { cmd: item.cmd, login: item.login ?? false };
      if (item.workdir !== undefined) args.workdir = item.workdir;
      if (item.yieldTimeMs !== undefined) args.yield_time_ms = item.yieldTimeMs;
      return { type: 'function_call', id: `fc_fake_${n}`, status: 'completed', name: 'exec_command', call_id: item.callId ?? callId(), arguments: JSON.stringify(args) };
    }
    case 'raw':
      return item.item;
  }
}

async function respondWithStep(
  req: IncomingMessage,
  res: ServerResponse,
  step: FakeScenarioStep,
  ctx: FakeStepContext,
  responseId: string,
  usage: FakeUsage | null,
  callBase: { name: string; before: number },
): Promise<void> {
  if (step.delayMs !== undefined && step.delayMs > 0) {
    await sleepUnlessGone(step.delayMs, req);
    // req.destroyed is already true once the body was read (autoDestroy); watch the socket instead.
    if (res.destroyed || req.socket.destroyed) return;
  }
  const fail = step.fail;
  if (fail?.type === 'http') {
    return sendJson(res, fail.status, fail.body ?? errorBody(fail.message ?? `mock HTTP ${fail.status}`, fail.code ?? null, fail.status));
  }
  if (fail?.type === 'stall' && fail.headers === false) return; // nothing at all, not even a status line
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.flushHeaders();
  if (fail?.type === 'stall') return; // headers only; the connection stays open until someone closes it
  const send = (event: Record<string, unknown>) => res.write(`data: ${JSON.stringify(event)}\n\n`);
  send({ type: 'response.created', response: { id: responseId, status: 'in_progress' } });
  let calls = callBase.before;
  const callId = () => { calls += 1; return `call_${callBase.name}_${calls}`; };
  const output = (step.items ?? []).map((item, i) => renderItem(item, ctx, i + 1, callId));
  output.forEach((item, index) => send({ type: 'response.output_item.done', output_index: index, item }));
  if (fail?.type === 'cut') {
    // End the body without response.completed (a clean EOF, which is what codex reports as "closed").
    res.end();
    return;
  }
  if (fail?.type === 'response_failed') {
    send({ type: 'response.failed', response: { id: responseId, status: 'failed', error: { code: fail.code ?? 'server_error', message: fail.message } } });
    res.end();
    return;
  }
  const completed: Record<string, unknown> = { id: responseId, status: 'completed' };
  if (usage !== null) completed.usage = usageJson(usage);
  send({ type: 'response.completed', response: completed });
  res.end();
}

// ------------------------------------------------------------------------------------------------
// ChatGPT-mode endpoints
// ------------------------------------------------------------------------------------------------

async function handleOAuth(res: ServerResponse, behaviour: FakeOAuthBehaviour, generation: number): Promise<void> {
  if (behaviour.delayMs !== undefined && behaviour.delayMs > 0) await new Promise((r) => setTimeout(r, behaviour.delayMs));
  if (behaviour.reject !== undefined && behaviour.reject !== false) {
    const kind = behaviour.reject === true ? 'invalidated' : behaviour.reject;
    return sendJson(res, 401, { error: { message: `mock: refresh token ${kind}`, type: 'invalid_request_error', code: `refresh_token_${kind}` } });
  }
  const expiresIn = behaviour.ttlSeconds ?? 3600;
  const tokens = makeFakeTokens({ ...DEFAULT_IDENTITY, ...behaviour.identity }, Math.floor(Date.now() / 1000) + expiresIn, { fake_generation: generation });
  return sendJson(res, 200, {
    id_token: tokens.idToken,
    access_token: tokens.accessToken,
    refresh_token: `rt_fake_refreshed_${generation}`,
    token_type: 'Bearer',
    expires_in: expiresIn,
  });
}

/** `NO_CONSTRAINT` as the backend origin keeps codex on the configured URLs (no workspace re-routing). */
function accountsCheckBody(identity: FakeIdentity | undefined): Record<string, unknown> {
  const id = { ...DEFAULT_IDENTITY, ...identity };
  return {
    accounts: [{ id: id.accountId, plan_type: id.planType, workspace_backend_origin: 'NO_CONSTRAINT', account_routing_override: 'NO_CONSTRAINT' }],
    account_ordering: [id.accountId],
    default_account_id: id.accountId,
  };
}

// ------------------------------------------------------------------------------------------------
// Small HTTP helpers
// ------------------------------------------------------------------------------------------------

function classify(method: string, path: string): FakeEndpoint {
  const p = path.split('?')[0] ?? '';
  if (method === 'POST' && p === '/v1/responses') return 'responses';
  if (method === 'POST' && p === '/oauth/token') return 'oauth_token';
  if (method === 'GET' && p === '/v1/models') return 'models';
  if (method === 'GET' && p.replace(/\/+$/, '') === '/backend-api/wham/accounts/check') return 'accounts_check';
  if (method === 'GET' && p.replace(/\/+$/, '') === '/backend-api/wham/settings/user') return 'settings_user';
  return 'other';
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function errorBody(message: string, code: string | null, status: number): Record<string, unknown> {
  const type = status === 429 ? 'rate_limit_error' : status >= 500 ? 'server_error' : 'invalid_request_error';
  return { error: { message, type, param: null, code } };
}

function bearerAccepted(expected: string | ((authorization: string | undefined) => boolean), header: string | undefined): boolean {
  return typeof expected === 'function' ? expected(header) : header === `Bearer ${expected}`;
}

function bearerJwtExpired(header: string | undefined): boolean {
  const exp = decodeJwtPayload(header?.startsWith('Bearer ') ? header.slice(7) : undefined)?.exp;
  return typeof exp === 'number' && exp * 1000 <= Date.now();
}

function sleepUnlessGone(ms: number, req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      req.socket.off('close', done);
      resolve();
    }
    req.socket.once('close', done);
  });
}

// ------------------------------------------------------------------------------------------------
// Helpers for assertions on recorded requests
// ------------------------------------------------------------------------------------------------

/** The prompt (last user message text) of a recorded `/v1/responses` request. */
export function promptOf(request: RecordedRequest): string {
  return lastUserText(inputItems(request.body));
}

/** The tool results (`function_call_output` strings) of the current turn in a recorded request. */
export function toolOutputsOf(request: RecordedRequest): string[] {
  return toolOutputsOfCurrentTurn(inputItems(request.body));
}
