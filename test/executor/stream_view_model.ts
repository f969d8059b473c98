// The reference model of the stream views (codex-wrapper-contract.md §9.4/§9.5, the final-message
// repeat of issue 10, keep_lines of agent-dock-head-contract.md §7), written from the specs
// independently of scripts/stream_view.awk, which the tests check against it.

/** One rendered line: its section, its text and its role (0 body, 1 header, 2 exec status line). */
export type Tagged = [sec: string, text: string, role: 0 | 1 | 2];

/** A parsed codex event, or a line that is not one (shown verbatim). */
export type StreamItem = Record<string, any> | string;

/** Text split on "\n", a trailing "\r" per line and one final empty line dropped. */
export function splitText(s: string): string[] {
  const l = s.split('\n');
  if (l[l.length - 1] === '') l.pop();
  return l.map((x) => (x.endsWith('\r') ? x.slice(0, -1) : x));
}

/** 2068 -> "2,068". */
export function commas(n: number): string {
  const s = String(Math.abs(Math.trunc(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${s}` : s;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const KIND: Record<string, string> = { add: 'A', delete: 'D', update: 'M' };

/** What the renderer turns a stream into (sections as in the §9.5 table), in order. */
export function modelTag(events: StreamItem[], prompt?: string): Tagged[] {
  const out: Tagged[] = [];
  let lastSec = '';
  let lastExec = '';
  let lastMsg = '';
  const emit = (sec: string, text: string, role: 0 | 1 | 2 = 0) => { out.push([sec, text, role]); lastSec = sec; };
  const emitText = (sec: string, s: string, prefix = '') => {
    const l = splitText(s);
    if (l.length === 0) { if (prefix !== '') emit(sec, prefix); return; }
    l.forEach((x, i) => emit(sec, i === 0 ? prefix + x : x));
  };
  if (prompt !== undefined) {
    emit('user', 'user', 1);
    for (const x of splitText(prompt)) emit('user', x);
  }
  const execHead = (it: any) => { emit('exec', 'exec', 1); emitText('exec', it.command); lastExec = it.id; };
  for (const e of events) {
    if (typeof e === 'string') { emit('default', e); continue; }
    const it = e.item;
    if (e.type === 'thread.started') emit('default', `session id: ${e.thread_id}`);
    else if (e.type === 'item.started' && it.type === 'command_execution') execHead(it);
    else if (e.type === 'item.completed') {
      if (it.type === 'agent_message') { emit('codex', 'codex', 1); lastMsg = str(it.text); emitText('codex', lastMsg); }
      else if (it.type === 'reasoning') { emit('thinking', 'thinking', 1); emitText('thinking', it.text); }
      else if (it.type === 'error') emitText('default', it.message, 'warning: ');
      else if (it.type === 'command_execution') {
        if (lastSec !== 'exec' || lastExec !== it.id || it.id === '') execHead(it);
        emit('exec', Number.isInteger(it.exit_code) ? (it.exit_code === 0 ? ' succeeded:' : ` exited ${it.exit_code}:`) : ` ${it.status}:`, 2);
        emitText('exec', it.aggregated_output);
        lastExec = '';
      } else if (it.type === 'file_change') {
        emit('file', 'file update', 1);
        for (const c of it.changes) emit('file', `${KIND[c.kind] ?? '?'} ${c.path}`);
        if (it.status !== 'completed') emit('file', `patch: ${it.status}`);
      } else {
        let s: string;
        if (it.type === 'mcp_tool_call') {
          s = `${str(it.server)}/${str(it.tool)}${typeof it.status === 'string' ? ` (${it.status})` : ''}`
            + (typeof it.error?.message === 'string' ? `: ${it.error.message}` : '');
        } else if (it.type === 'web_search') s = str(it.query);
        else if (it.type === 'todo_list') {
          const items: any[] = it.items ?? [];
          const next = items.filter((x) => x.completed !== true).map((x) => str(x.text)).find((t) => t !== '');
          s = `${items.filter((x) => x.completed === true).length}/${items.length} done${next ? `; next: ${next}` : ''}`;
        } else s = str([it.text, it.message, it.command, it.query, it.status].find((v) => typeof v === 'string'));
        s = s.split('\n')[0]!.replace(/\r$/, '');
        emit('tool', typeof it.type === 'string' ? it.type : 'item', 1);
        emit('tool', s === '' ? '(no details)' : s);
      }
    } else if (e.type === 'turn.completed') {
      emit('default', 'tokens used', 1);
      emit('default', commas(e.usage.input_tokens - e.usage.cached_input_tokens + e.usage.output_tokens));
      // codex's plain stdout: the last agent message plus "\n" (V661 merged it into the stream)
      if (lastMsg !== '') for (const x of lastMsg.split('\n')) emit('echo', x);
      lastMsg = '';
    } else if (e.type === 'turn.failed') emitText('default', e.error?.message ?? 'turn failed', 'ERROR: ');
    else if (e.type === 'error') emitText('default', e.message, 'ERROR: ');
  }
  return out;
}

/** The stream log: every line from codex (no user section, no final-message repeat), raw. */
export function modelLog(tagged: Tagged[]): string {
  return tagged.filter(([s]) => s !== 'user' && s !== 'echo').map(([, t]) => `${t}\n`).join('');
}

function foldKey(t: string): string {
  return t.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/^[ \t\r\f\v]+|[ \t\r\f\v]+$/g, '').replace(/[A-Z]/g, (c) => c.toLowerCase());
}
const isInt = (v: string) => /^[-+]?[0-9]+$/.test(v);

/**
 * A view of the tagged lines (§9.5 rule 3; all_compact: §9.4 fold and cut, keep_lines per HEAD §7).
 * `max` and `keepLines` are the awk's -v values ("" = unset).
 */
export function modelView(tagged: Tagged[], view: string, max = '', keepLines = ''): string {
  const compact = view === 'all_compact';
  const m = max === '' ? 180 : isInt(max) ? Number(max) : 0;
  const keep = isInt(keepLines) ? Math.max(0, Number(keepLines)) : -1;
  const full = !['assistant', 'thinking'].includes(view);
  const shown = (sec: string) => (sec !== 'echo' || full) && !(sec === 'user' && view === 'thinking')
    && !((sec === 'exec' || sec === 'tool') && (view === 'assistant' || view === 'thinking'));
  const out: string[] = [];
  let fold = 0;
  let section: { sec: string; body: number; hidden: number } | null = null;
  const endSection = () => {
    if (section && section.hidden > 0) out.push(`[all_compact] exec output omitted lines=${section.hidden}`);
    section = null;
  };
  for (const [sec, text0, role] of tagged) {
    let text = text0;
    if (!shown(sec)) continue;
    if (compact) {
      if (fold) {
        const k = foldKey(text);
        if (sec === 'codex' && role === 0 && !(k === 'tokens used' || /^(result|summary|changed_files|checks):/.test(k))) { fold++; continue; }
        out.push(`[all_compact] codex diff omitted lines=${fold}`);
        fold = 0;
      }
      if (section && (role === 1 || sec !== section.sec)) endSection();
      if (role === 1) {
        if (keep >= 0 && (sec === 'exec' || sec === 'tool')) section = { sec, body: 0, hidden: 0 };
      } else if (section) {
        section.body++;
        if (section.body > keep) { section.hidden++; continue; }
      }
      if (role === 0 && ['codex', 'exec', 'tool'].includes(sec)) {
        const k = foldKey(text);
        if (sec === 'codex' && (k.startsWith('file update:') || k.startsWith('diff --git '))) { fold = 1; continue; }
        const cps = [...text];
        if (m > 0 && cps.length > m) text = `${cps.slice(0, m).join('')}...`;
      }
    }
    out.push(text);
  }
  if (fold) out.push(`[all_compact] codex diff omitted lines=${fold}`);
  endSection();
  return out.map((x) => `${x}\n`).join('');
}
