/**
 * The fixed text of the plan and execute prompts, as data: V661's (codex-wrapper-contract.md
 * §6.1, §6.2) and agent-dock HEAD's (agent-dock-head-contract.md §3, §4.1). The prompt builder
 * renders any of them the same way; only the lines listed here differ between the contracts.
 */
import type { CompatMode } from './compat_mode.js';
import { JUDGMENT_PLACEHOLDER_LINE, RESULT_KEYS, RESULT_PLACEHOLDERS } from './result_parser.js';

/** Plan prompt = intro, '', task lines, '', `Constraints:`, constraints, '', output lines. */
export interface PlanTemplate {
  readonly constraints: readonly string[];
  readonly output: readonly string[];
}

/**
 * Execute prompt = intro, '', task lines, progress lines, '', `Constraints:`, constraints,
 * `gap` empty lines, then the output contract.
 */
export interface ExecuteTemplate {
  readonly constraints: readonly string[];
  /** Empty lines between the constraints and the output contract. */
  readonly gap: number;
  readonly output: readonly string[];
}

/** The prompts of one contract. HEAD's execute prompt depends on the payload phase's kind. */
export interface PromptTemplates {
  readonly plan: PlanTemplate;
  /** `work`: no phase or `implement`; `decision`: `review`, `spec_check`, `test`. */
  readonly execute: Readonly<Record<'work' | 'decision', ExecuteTemplate>>;
}

/** HEAD's extra constraint line, in both prompts (86 characters). */
const DENO_TEST_LINE = '- For `deno test`, use `--allow-read --allow-write --allow-env --allow-run` by default';

/** The 4 result lines with the placeholders the result parsers refuse as answers (§13 d). */
const RESULT_LINES = RESULT_KEYS.map((key) => `${key}: ${RESULT_PLACEHOLDERS[key]}`);

const PLAN_OUTPUT = ['Output format:', '1) Acceptance criteria', '2) Implementation steps', '3) Files to edit', '4) Local checks', 'Keep total output within 12 lines.'];

const V661_PLAN_CONSTRAINTS = [
  '- Do not propose edits outside target_paths',
  '- Do not read/reference/edit .env or .env.*',
  '- Keep steps short and concrete',
  '- Include local verification commands at the end',
];

const V661_EXECUTE: ExecuteTemplate = {
  constraints: ['- Do not edit outside target_paths', '- Do not read/reference/edit .env or .env.*', '- Run required local checks', '- If failed, provide a short root cause'],
  gap: 1,
  output: ['Final output must be exactly these 4 lines:', ...RESULT_LINES],
};

const HEAD_WORK_CONSTRAINTS = [
  '- Do not edit outside target_paths',
  '- Do not read/reference/edit .env or .env.*',
  '- Run required local checks',
  DENO_TEST_LINE,
  '- If failed, provide a short root cause',
];

/** V661's prompts (one execute prompt for every payload). */
export const V661_TEMPLATES: PromptTemplates = {
  plan: { constraints: V661_PLAN_CONSTRAINTS, output: PLAN_OUTPUT },
  execute: { work: V661_EXECUTE, decision: V661_EXECUTE },
};

/** agent-dock HEAD's prompts: the deno line, two empty lines, and in decision phases 5 lines. */
export const HEAD_TEMPLATES: PromptTemplates = {
  plan: { constraints: [...V661_PLAN_CONSTRAINTS, DENO_TEST_LINE], output: PLAN_OUTPUT },
  execute: {
    work: { constraints: HEAD_WORK_CONSTRAINTS, gap: 2, output: ['Final output must be exactly these 4 lines:', ...RESULT_LINES] },
    decision: {
      constraints: [...HEAD_WORK_CONSTRAINTS, '- In non-implement phases, CHANGED_FILES must be (none)'],
      gap: 2,
      output: ['Final output must be exactly these 5 lines:', ...RESULT_LINES, JUDGMENT_PLACEHOLDER_LINE],
    },
  },
};

/** The templates of a contract. */
export function promptTemplates(compat: CompatMode): PromptTemplates {
  return compat === 'agent-dock-head' ? HEAD_TEMPLATES : V661_TEMPLATES;
}
