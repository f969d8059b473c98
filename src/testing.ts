/**
 * `codex-child/testing`: run the REAL codex binary offline in your own tests. A loopback fake
 * model server (the OpenAI Responses API over SSE, scripted turns, recorded requests) and hermetic
 * codex homes (fresh HOME / CODEX_HOME / TMPDIR, a config.toml that talks to 127.0.0.1 only).
 * Needs `@openai/codex` installed in your project (it is resolved from the current directory).
 */
export {
  startFakeModelServer,
  scriptedTurn,
  promptOf,
  toolOutputsOf,
  makeFakeJwt,
  decodeJwtPayload,
  makeFakeTokens,
  makeChatGptAuthJson,
  DEMO_RESULT_TEXT,
  DEMO_COMMAND,
  DEFAULT_USAGE,
  FAKE_ERROR_MESSAGES,
  BUILT_IN_SCENARIOS,
} from './devtools/fake_model_server.js';
export type {
  FakeModelServer,
  FakeModelServerOptions,
  FakeScenario,
  FakeScenarioStep,
  FakeStepContext,
  FakeStepFailure,
  FakeOutputItem,
  FakeUsage,
  FakeEndpoint,
  FakeIdentity,
  FakeOAuthBehaviour,
  RecordedRequest,
  ScriptedTurnOptions,
  ChatGptAuthJson,
  ChatGptAuthJsonOptions,
} from './devtools/fake_model_server.js';
export {
  createHermeticCodexHome,
  hermeticWrapperEnv,
  hermeticCodexArgs,
  renderHermeticConfig,
  mockModelCatalog,
  resolveCodexBinary,
  resolveCodexLauncher,
  codexTargetTriple,
} from './devtools/hermetic_codex.js';
export type { HermeticCodexHome, HermeticCodexOptions } from './devtools/hermetic_codex.js';
