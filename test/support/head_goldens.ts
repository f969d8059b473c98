/** The payloads of agent-dock-head-contract.md §9 (G1–G6), exactly as the spec prints them. */
/** G1: plan. */
export const G1_PAYLOAD =
  '{"mode":"plan","teammate_id":"teammate-a","task":{"id":"T-001","title":"Define interface contracts","description":"Create shared contracts before coding.","target_paths":["src/contracts/*"],"depends_on":[],"requires_plan":true}}';
/** G2, G4, G6: review phase from current_phase_index. */
export const G2_PAYLOAD =
  '{"mode":"execute","teammate_id":"spec-reviewer","task":{"id":"1.1","title":"Review the proposal","description":"Check proposal.md against the requirements.","target_paths":["openspec/changes/add-polish/proposal.md"],"depends_on":[],"requires_plan":false,"progress_log":[{"source":"system","text":"execution started persona=spec-reviewer phase=review","timestamp":1739200001.5}],"persona_policy":{"phase_order":["implement","review"]},"current_phase_index":1}}';
/** G3, G5, G6: no phase in the payload. */
export const G3_PAYLOAD =
  '{"mode":"execute","teammate_id":"teammate-a","task":{"id":"T-003","title":"Add telemetry output","description":"Emit run summary for operators.","target_paths":["src/logging/*"],"depends_on":["T-002"],"requires_plan":false,"progress_log":[]}}';

