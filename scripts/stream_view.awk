# stream_view.awk - render `codex exec --json` output as the drop-in's live stream views
# (codex-wrapper-contract.md §9.4/§9.5).  POSIX awk: tested with mawk, gawk and BSD awk.
#
# Run it with LC_ALL=C: strings are handled as bytes, `\uXXXX` escapes are turned into UTF-8
# bytes by this script, and code points are counted by hand.
#
#   LC_ALL=C awk -f stream_view.awk [-v name=value ...] [events.jsonl ...]
#
# -v variables (all optional):
#   view         all (default; also any unknown value) | all_compact | assistant | thinking
#   max          all_compact: longest body line, in code points, of exec/codex/tool sections;
#                longer lines are cut to `max` code points + "...".  Default 180.  Anything that
#                is not a base-10 integer ([+-]digits), or is <= 0, disables truncation.
#   display      1 (default): print the view on stdout.  0: print nothing (stream log only).
#   stream_log   file that receives every rendered line that came from codex, untruncated and
#                unfolded, whatever the view (user section excluded).  Default: none.
#                Env SV_STREAM_LOG is used when the variable is empty (env values are not
#                subject to awk's backslash processing of -v values, so paths stay exact).
#   prompt_file  render this file first as the `user` section.  Default: none.  Env fallback:
#                SV_PROMPT_FILE.
#   flush        1: flush the outputs after every input line (live view).  Default: 1 in the
#                tagged and text modes, 0 in json mode (batch use on files; set flush=1 when
#                you pipe a live codex into it).
#   mode         json (default): every input line is a line of codex's stdout.
#                text: every input line is shown verbatim (section default), e.g. codex stderr.
#                tagged: the executor's merged stream of chunk records (below).
#                chunk: encoder for `tagged`; every input line becomes records tagged with `tag`.
#   tag          chunk mode: O (codex stdout, default) or E (codex stderr).
#   fastpath     0: never use the learned-shape fast path (tests compare it with the scanner).
#
# Tagged records: one tag byte, at most 4000 data bytes, "\n"; each record is written with one
# write(2) (<= PIPE_BUF), so records of two writers sharing one pipe never interleave.
# Lower-case o/e = "more of this line follows", upper-case O/E = "last piece of the line".
#
# Rendered lines (section in brackets; header lines are never truncated):
#   [user]     user / each prompt line
#   [default]  session id: <thread_id>         (thread.started)
#   [thinking] thinking / each text line       (item.completed reasoning)
#   [codex]    codex / each text line          (item.completed agent_message)
#   [exec]     exec / <command>                (item.started command_execution)
#   [exec]      succeeded:  |  exited <N>:  / each output line   (item.completed; when other
#              lines came in between, "exec" and the command are repeated first)
#   [file]     file update / <A|D|M|?> <path> per change [/ patch: <status> unless completed]
#   [tool]     <item type> / one-line summary  (mcp_tool_call, web_search, todo_list, unknown)
#   [default]  warning: <message>              (item.completed of type error: not fatal)
#   [default]  ERROR: <message>                (error event; turn.failed error.message)
#   [default]  tokens used / <input-cached+output, with "," separators>   (turn.completed)
#   [default]  a non-JSON stdout line, a JSON value that is no event object, or a codex
#              stderr line: verbatim
# turn.started, item.updated, other item.started and unknown event types render nothing.
# Text is split on "\n"; a trailing "\r" per line and one final empty line are dropped.
#
# How a line is read (speed matters: ~100+ MB/s on mawk for codex's event mix):
#   1. Escaped backslashes/quotes become \001/\002, then one split() on '"' gives the
#      structure (odd pieces) and every string whole (even pieces).
#   2. Scanner (jparse): walks the pieces, tracks nesting, records each value by its path
#      ("item.text", "usage.input_tokens", ...).  No per-character walk over strings.
#   3. Fast path: the scanner also writes an anchored pattern of the line's shape (keys,
#      structure, event types) and where the fields sit.  A later line with the same piece
#      count and type pieces that matches the pattern is read straight from its pieces.
#      At most 256 shapes are kept, so memory stays flat.
#   4. Only strings that are shown or logged are decoded (\uXXXX, surrogate pairs -> UTF-8).

BEGIN {
    CHUNK = 4000
    if (view != "all_compact" && view != "assistant" && view != "thinking") view = "all"
    COMPACT = (view == "all_compact")
    MAX = 0
    if (max == "") max = 180
    if (max ~ /^[-+]?[0-9]+$/) MAX = max + 0     # <= 0: no truncation (see out())
    display = (display == "" || display == 1)
    LEARN = (fastpath == "" || fastpath == 1)
    GAWK = ("version" in PROCINFO)      # only gawk fills PROCINFO
    if (mode == "") mode = "json"
    MODE = (mode == "tagged") ? 1 : (mode == "chunk") ? 2 : (mode == "text") ? 3 : 0
    flush = (flush == "") ? (mode == "tagged" || mode == "text") : (flush == 1)
    if (stream_log == "" && ("SV_STREAM_LOG" in ENVIRON)) stream_log = ENVIRON["SV_STREAM_LOG"]
    if (prompt_file == "" && ("SV_PROMPT_FILE" in ENVIRON)) prompt_file = ENVIRON["SV_PROMPT_FILE"]
    SLOG = stream_log
    LOGON = (SLOG != "")
    if (mode == "chunk") {
        TAGLAST = (tag == "E") ? "E" : "O"
        TAGMORE = (TAGLAST == "E") ? "e" : "o"
        ORS = ""
    } else init_render()
}

function init_render(    i, n, names) {
    # SHOW[section]: printed in this view
    SHOW["default"] = SHOW["thinking"] = SHOW["codex"] = SHOW["file"] = display
    SHOW["user"] = display && view != "thinking"
    SHOW["exec"] = SHOW["tool"] = display && view != "assistant" && view != "thinking"
    # WANT[section]: rendered at all (shown or logged); lets hidden sections skip decoding
    WANT["default"] = WANT["thinking"] = WANT["codex"] = WANT["file"] = display || LOGON
    WANT["exec"] = SHOW["exec"] || LOGON
    WANT["tool"] = SHOW["tool"] || LOGON
    WANT["user"] = SHOW["user"]
    # SIMPLE[section]: a shown line is printed as it is (no log; all_compact never cuts or
    # folds it, as long as no fold is open)
    for (i in SHOW) SIMPLE[i] = SHOW[i] && !LOGON && (!COMPACT || (i != "codex" && i != "exec" && i != "tool"))
    for (i = 0; i < 256; i++) CHR[i] = sprintf("%c", i)
    CHR[0] = ""                  # a decoded NUL is dropped: awk strings cannot carry it portably
    for (i = 0; i < 16; i++) HEX[substr("0123456789abcdef", i + 1, 1)] = i
    for (i = 10; i < 16; i++) HEX[substr("ABCDEF", i - 9, 1)] = i
    KIND["add"] = "A"; KIND["delete"] = "D"; KIND["update"] = "M"
    # The event fields the views use ("slots"), with the JSON kind each must have:
    # s = string (kept escaped until displayed), l = number/true/false/null.
    n = split("type thread_id message item.id item.type item.text item.command " \
              "item.aggregated_output item.exit_code item.status item.message error.message " \
              "usage.input_tokens usage.cached_input_tokens usage.output_tokens item.server " \
              "item.tool item.query item.error.message", names, " ")
    for (i = 1; i <= n; i++) { SLOT[names[i]] = i; SPATH[i] = names[i]; SKIND[i] = "s" }
    NSLOT = n
    S_TYPE = 1; S_THREAD = 2; S_MSG = 3; S_ID = 4; S_ITYPE = 5; S_TEXT = 6; S_CMD = 7
    S_OUT = 8; S_EXIT = 9; S_STATUS = 10; S_IMSG = 11; S_ERRMSG = 12; S_IN = 13; S_CACHED = 14
    S_OUTTOK = 15; S_SERVER = 16; S_TOOL = 17; S_QUERY = 18; S_IERR = 19
    SKIND[S_EXIT] = SKIND[S_IN] = SKIND[S_CACHED] = SKIND[S_OUTTOK] = "l"
    LITRE = "[-+.0-9A-Za-z]+"   # structure-safe stand-in for a literal scanned before
    NTPL = 0
    FOLD = 0; FOLDN = 0; LASTSEC = ""; LASTEXEC = ""
    if (prompt_file != "" && SHOW["user"]) render_user(prompt_file)
    if (flush) flush_out()
}

# ---------------------------------------------------------------------------------------------
# json mode, the hot path: one line of codex stdout
MODE == 0 { json_line($0); if (flush) flush_out(); next }

# tagged mode: reassemble lines of codex stdout (O) and stderr (E) and render them
MODE == 1 {
    TAG = substr($0, 1, 1)
    if (TAG == "O" || TAG == "E") {
        LN = (TAG in NPART) ? acc_take(TAG, substr($0, 2)) : substr($0, 2)
        if (TAG == "O") json_line(LN); else out("default", LN, 0)
    } else if (TAG == "o") acc_add("O", substr($0, 2))
    else if (TAG == "e") acc_add("E", substr($0, 2))
    else out("default", $0, 0)
    if (flush) flush_out()
    next
}

# chunk mode: encode one input line into tagged records (see the header)
MODE == 2 {
    LEN = length($0)
    if (LEN <= CHUNK) { print TAGLAST $0 "\n"; fflush(); next }
    for (POS = 1; POS <= LEN; POS += CHUNK) {
        print ((POS + CHUNK > LEN) ? TAGLAST : TAGMORE) substr($0, POS, CHUNK) "\n"
        fflush()
    }
    next
}

# text mode
{ out("default", $0, 0); if (flush) flush_out() }

END {
    if (mode == "chunk") exit
    # a writer that died mid-line leaves a partial line: show what arrived
    if ("O" in NPART) json_line(acc_take("O", ""))
    if ("E" in NPART) out("default", acc_take("E", ""), 0)
    close_fold()
    flush_out()
    if (LOGOPEN) fflush(SLOG)
}

# ---------------------------------------------------------------------------------------------
# Accumulating the pieces of a long line.  Binary-counter merging keeps the copying at
# O(n log n) instead of the O(n^2) of appending each 4 KB piece to a growing string.
function acc_add(t, d,    k) {
    for (k = 0; ((t, k) in ACC); k++) { d = ACC[t, k] d; delete ACC[t, k] }
    ACC[t, k] = d
    if (!(t in NPART) || k + 1 > NPART[t]) NPART[t] = k + 1
}

function acc_take(t, last,    k, s) {
    s = ""
    for (k = NPART[t] - 1; k >= 0; k--) if ((t, k) in ACC) { s = s ACC[t, k]; delete ACC[t, k] }
    delete NPART[t]
    return s last
}

# View lines collect in OB and leave in one write per input record: with mawk's -W interactive
# stdout is unbuffered, and a write per line (two, text and newline) halved throughput (B2).
function flush_out() {
    if (OB != "") { printf "%s", OB; OB = "" }
    if (display) fflush()
    # The stream log is read after the run: flushing it every 64 records is live enough, and
    # per-record flushing cost ~25% of throughput (B2).  END flushes the rest.
    if (LOGOPEN && ++LOGRECS % 64 == 0) fflush(SLOG)
}

# One view line into OB. OB leaves early once it passes 8 KiB: awk copies a string on every
# concatenation, so a long text (a 1 MB command output) must not grow it without bound.
function emit(t) {
    OB = OB t "\n"
    if (length(OB) > 8192) { printf "%s", OB; OB = "" }
}

# ---------------------------------------------------------------------------------------------
# Output.  out() takes one tagged line: the stream log gets it raw (all sections but user),
# the view prints it if its section is shown (all_compact: fold and truncation).
function out(sec, txt, hdr) {
    LASTSEC = sec
    if (SIMPLE[sec] && !FOLD) { emit(txt); return }
    if (LOGON && sec != "user") { print txt > SLOG; LOGOPEN = 1 }
    if (!SHOW[sec]) return
    if (COMPACT) {
        if (FOLD) {
            if (sec == "codex" && !hdr && !fold_end(txt)) { FOLDN++; return }
            close_fold()
        }
        if (!hdr && (sec == "exec" || sec == "codex" || sec == "tool")) {
            if (sec == "codex" && fold_start(txt)) { FOLD = 1; FOLDN = 1; return }
            if (MAX > 0 && length(txt) > MAX) txt = trunc(txt)
        }
    }
    emit(txt)
}

# Every line of a decoded text (split on \n, trailing \r dropped, no final empty line); the
# first line gets `prefix`.
function out_text(sec, s, prefix,    n, i, ln, cr, cut) {
    if (!WANT[sec]) return
    if (index(s, "\n") == 0) {
        if (index(s, "\r") && substr(s, length(s)) == "\r") s = substr(s, 1, length(s) - 1)
        if (s != "" || prefix != "") out(sec, prefix s, 0)
        return
    }
    n = split(s, TL, "\n")
    if (TL[n] == "") n--
    cr = index(s, "\r")
    if (SIMPLE[sec] && !cr && !FOLD) {
        # plain view of a shown section: no log, no fold, no truncation, no \r to drop
        LASTSEC = sec
        emit(prefix TL[1])
        for (i = 2; i <= n; i++) emit(TL[i])
        return
    }
    if (COMPACT && SHOW[sec] && !LOGON && !cr) {
        # all_compact: out()'s fold and cut, inlined for the lines of one text
        LASTSEC = sec
        cut = (MAX > 0 && (sec == "codex" || sec == "exec" || sec == "tool"))
        for (i = 1; i <= n; i++) {
            ln = (i == 1) ? prefix TL[1] : TL[i]
            if (FOLD) {
                if (sec == "codex" && !fold_end(ln)) { FOLDN++; continue }
                close_fold()
            }
            if (sec == "codex" && fold_start(ln)) { FOLD = 1; FOLDN = 1; continue }
            if (cut && length(ln) > MAX) ln = trunc(ln)
            emit(ln)
        }
        return
    }
    for (i = 1; i <= n; i++) {
        ln = TL[i]
        if (cr && substr(ln, length(ln)) == "\r") ln = substr(ln, 1, length(ln) - 1)
        out(sec, (i == 1) ? prefix ln : ln, 0)
    }
    if (n <= 0 && prefix != "") out(sec, prefix, 0)
}

function close_fold() {
    if (FOLD) { emit("[all_compact] codex diff omitted lines=" FOLDN); FOLD = 0; FOLDN = 0 }
}

# §9.4 classification: ANSI sequences removed, trimmed, lower-cased.
function fold_norm(t) {
    if (index(t, "\033")) gsub(/\033\[[0-9;]*[A-Za-z]/, "", t)
    sub(/^[ \t\r\f\013]+/, "", t)
    sub(/[ \t\r\f\013]+$/, "", t)
    return tolower(t)
}

function fold_start(t) {
    # cheap first-character test: most lines start with nothing that could open a fold
    if (!index("fFdD \t\r\f\013\033", substr(t, 1, 1))) return 0
    if (t !~ /^[ \t\r\f\013]*(\033\[[0-9;]*[A-Za-z])*[ \t\r\f\013]*[fFdD]/) return 0
    t = fold_norm(t)
    return (substr(t, 1, 12) == "file update:" || substr(t, 1, 11) == "diff --git ")
}

function fold_end(t) {
    t = fold_norm(t)
    return (t == "tokens used" || t ~ /^(result|summary|changed_files|checks):/)
}

# Cut to MAX code points + "..." when longer.  Code points = bytes that are not UTF-8
# continuation bytes (0x80-0xBF); only a prefix of at most 4*MAX+4 bytes is ever counted.
function trunc(t,    L, s, n, c) {
    L = length(t)
    if (L <= 4 * MAX) { s = t; n = gsub(/[\200-\277]/, "", s); if (L - n <= MAX) return t }
    L = MAX
    while (1) {
        s = substr(t, 1, L); n = gsub(/[\200-\277]/, "", s); c = L - n
        if (c >= MAX) break
        L += MAX - c
        if (L >= length(t)) return t
    }
    while (substr(t, L + 1, 1) ~ /^[\200-\277]/) L++
    return substr(t, 1, L) "..."
}

function render_user(f,    ln) {
    out("user", "user", 1)
    while ((getline ln < f) > 0) {
        if (substr(ln, length(ln)) == "\r") ln = substr(ln, 1, length(ln) - 1)
        out("user", ln, 0)
    }
    close(f)
    if (flush) flush_out()
}

# ---------------------------------------------------------------------------------------------
# One line of codex stdout: find its slots (fast path or scanner), then render the event.
function json_line(line,    orig, n, K, t) {
    if (substr(line, 1, 1) != "{" && line !~ /^[ \t\r]*\{/) { out("default", line, 0); return }
    if (line == "{\"type\":\"turn.started\"}") return      # the most common no-op event
    orig = line
    # Escaped backslashes and quotes become \001 and \002, so every remaining '"' delimits a
    # string and one split() yields structure (odd pieces) and whole strings (even pieces).
    if (index(line, "\\\"")) {
        if (index(line, "\\\\")) gsub(/\\\\/, "\001", line)
        gsub(/\\"/, "\002", line)
    }
    NP = n = split(line, P, "\"")
    # Fast path: a line shape seen before (same piece count and 4th/14th pieces) whose
    # anchored pattern, generated by the scanner from that earlier line, matches this whole
    # line has the same structure, keys and event type, so its slots sit in the same pieces.
    K = P[4] "|" P[14]
    if ((K in TID) && TN[t = TID[K]] == n && (GAWK ? verify(t, line) : line ~ TRE[t])) {
        PARSED = JVOK = 0; TCUR = t; TB32 = t * 32
        render(TKIND[t])
        return
    }
    if (!jparse(n)) { out("default", orig, 0); return }
    PARSED = JVOK = 1
    split("", F)
    for (t = 1; t <= NSLOT; t++) if (JT[SPATH[t]] == SKIND[t]) F[t] = JV[SPATH[t]]
    if (!(S_TYPE in F)) { out("default", orig, 0); return }
    t = kind_of(F[S_TYPE], F[S_ITYPE])
    if (TPLOK && LEARN && length(K) < 300) learn(K, t)
    render(t)
}

# gawk caches a dynamic regexp per call site and recompiles it whenever the string at that
# site changes, which alternating shapes would do on every line: give each of the first 32
# shapes its own site.  (mawk and BSD awk cache by string: they use the single site.)
function verify(t, line) {
    if (t <= 8) { if (t == 1) return line ~ TRE[1]; if (t == 2) return line ~ TRE[2]; if (t == 3) return line ~ TRE[3]; if (t == 4) return line ~ TRE[4]; if (t == 5) return line ~ TRE[5]; if (t == 6) return line ~ TRE[6]; if (t == 7) return line ~ TRE[7]; if (t == 8) return line ~ TRE[8]; }
    if (t <= 16) { if (t == 9) return line ~ TRE[9]; if (t == 10) return line ~ TRE[10]; if (t == 11) return line ~ TRE[11]; if (t == 12) return line ~ TRE[12]; if (t == 13) return line ~ TRE[13]; if (t == 14) return line ~ TRE[14]; if (t == 15) return line ~ TRE[15]; if (t == 16) return line ~ TRE[16]; }
    if (t <= 24) { if (t == 17) return line ~ TRE[17]; if (t == 18) return line ~ TRE[18]; if (t == 19) return line ~ TRE[19]; if (t == 20) return line ~ TRE[20]; if (t == 21) return line ~ TRE[21]; if (t == 22) return line ~ TRE[22]; if (t == 23) return line ~ TRE[23]; if (t == 24) return line ~ TRE[24]; }
    if (t <= 32) { if (t == 25) return line ~ TRE[25]; if (t == 26) return line ~ TRE[26]; if (t == 27) return line ~ TRE[27]; if (t == 28) return line ~ TRE[28]; if (t == 29) return line ~ TRE[29]; if (t == 30) return line ~ TRE[30]; if (t == 31) return line ~ TRE[31]; if (t == 32) return line ~ TRE[32]; }
    return line ~ TRE[t]
}

# Slot value of the current line ("" when absent) and whether it is present.
function sv(s,    b, a, e) {
    if (PARSED) return F[s]
    if (!((b = TB32 + s) in TSI)) return ""
    if ((a = TSA[b]) < 0) return P[TSI[b]]
    e = P[TSI[b]]
    return substr(e, a + 1, length(e) - a - TSB[b])
}

# The same for a string slot, in two lookups.  An absent slot reads piece "" (empty); the
# TSS entry that the lookup creates stays within the shape's 32 slots.
function ss(s) { return PARSED ? F[s] : P[TSS[TB32 + s]] }

function has(s) { return PARSED ? (s in F) : ((TB32 + s) in TSI) }

# Event kinds: 1 agent_message, 2 reasoning, 3 command done, 4 warning item, 5 file change,
# 6 other item (tool), 7 command started, 8 thread.started, 9 turn.completed, 10 turn.failed,
# 11 error event, 0 renders nothing.
function kind_of(t, it) {
    if (t == "item.completed") {
        if (it == "agent_message") return 1
        if (it == "reasoning") return 2
        if (it == "command_execution") return 3
        if (it == "error") return 4
        if (it == "file_change") return 5
        return 6
    }
    if (t == "item.started") return (it == "command_execution") ? 7 : 0
    if (t == "thread.started") return 8
    if (t == "turn.completed") return 9
    if (t == "turn.failed") return 10
    if (t == "error") return 11
    return 0
}

function render(k) {
    if (!k) return
    if (k == 1) { out("codex", "codex", 1); out_text("codex", jdec(ss(S_TEXT)), "") }
    else if (k == 2) { out("thinking", "thinking", 1); out_text("thinking", jdec(ss(S_TEXT)), "") }
    else if (k == 3) exec_done()
    else if (k == 7) exec_head()
    else if (k == 8) out("default", "session id: " jdec(ss(S_THREAD)), 0)
    else if (k == 9) {
        out("default", "tokens used", 1)
        out("default", commas(sv(S_IN) - sv(S_CACHED) + sv(S_OUTTOK)), 0)
    }
    else if (k == 11) out_text("default", jdec(ss(S_MSG)), "ERROR: ")
    else if (k == 10) out_text("default", has(S_ERRMSG) ? jdec(ss(S_ERRMSG)) : "turn failed", "ERROR: ")
    else if (k == 4) out_text("default", jdec(ss(S_IMSG)), "warning: ")
    else if (k == 5) file_change()
    else if (k == 6) tool_item(ss(S_ITYPE))
}

function exec_head() {
    out("exec", "exec", 1)
    if (WANT["exec"]) out_text("exec", jdec(ss(S_CMD)), "")
    LASTEXEC = ss(S_ID)
}

function exec_done(    x) {
    if (!WANT["exec"]) return
    if (LASTSEC != "exec" || LASTEXEC != (x = ss(S_ID)) || x == "") exec_head()
    x = sv(S_EXIT)
    # the status line is structure, like a header: never cut
    if (x ~ /^-?[0-9]+$/) out("exec", (x + 0 == 0) ? " succeeded:" : " exited " x ":", 1)
    else out("exec", " " (has(S_STATUS) ? jdec(ss(S_STATUS)) : "finished") ":", 1)
    out_text("exec", jdec(ss(S_OUT)), "")
    LASTEXEC = ""
}

function file_change(    n, i, k, b) {
    b = TCUR * 64
    if (!PARSED && ((b + 1) in TFP)) {
        # fast path: the shape's change list (see learn)
        out("file", "file update", 1)
        n = TFC[TCUR]
        for (i = 1; i <= n; i++) {
            k = P[TFK[b + i]]
            out("file", ((k in KIND) ? KIND[k] : "?") " " jdec(P[TFP[b + i]]), 0)
        }
        if (has(S_STATUS) && ss(S_STATUS) != "completed") out("file", "patch: " jdec(ss(S_STATUS)), 0)
        return
    }
    need_jv()
    out("file", "file update", 1)
    n = JN["item.changes"] + 0
    for (i = 0; i < n; i++) {
        k = JV["item.changes." i ".kind"]
        out("file", ((k in KIND) ? KIND[k] : "?") " " jstr("item.changes." i ".path"), 0)
    }
    if (has(S_STATUS) && ss(S_STATUS) != "completed") out("file", "patch: " jdec(ss(S_STATUS)), 0)
}

function tool_item(it,    s, n, i, done, nxt) {
    if (!WANT["tool"]) return
    if (it == "mcp_tool_call") {
        s = jdec(ss(S_SERVER)) "/" jdec(ss(S_TOOL))
        if (has(S_STATUS)) s = s " (" jdec(ss(S_STATUS)) ")"
        if (has(S_IERR)) s = s ": " jdec(ss(S_IERR))
    } else if (it == "web_search") s = jdec(ss(S_QUERY))
    else if (it == "todo_list") {
        need_jv()
        n = JN["item.items"] + 0; done = 0; nxt = ""
        for (i = 0; i < n; i++) {
            if (JV["item.items." i ".completed"] == "true") done++
            else if (nxt == "") nxt = jstr("item.items." i ".text")
        }
        s = done "/" n " done" (nxt != "" ? "; next: " nxt : "")
    } else {
        s = has(S_TEXT) ? ss(S_TEXT) : has(S_IMSG) ? ss(S_IMSG) : has(S_CMD) ? ss(S_CMD) : \
            has(S_QUERY) ? ss(S_QUERY) : has(S_STATUS) ? ss(S_STATUS) : ""
        s = jdec(s)
    }
    out("tool", (it == "") ? "item" : jdec(it), 1)
    i = index(s, "\n"); if (i) s = substr(s, 1, i - 1)
    if (substr(s, length(s)) == "\r") s = substr(s, 1, length(s) - 1)
    out("tool", (s == "") ? "(no details)" : s, 0)
}

# 2068 -> "2,068" (integers; codex's token counts)
function commas(n,    r) {
    n = int(n)
    if (n < 0) return "-" commas(-n)
    if (n < 1000) return n ""
    r = sprintf("%03d", n % 1000); n = int(n / 1000)
    while (n >= 1000) { r = sprintf("%03d", n % 1000) "," r; n = int(n / 1000) }
    return n "," r
}

# ---------------------------------------------------------------------------------------------
# JSON scanner over the pieces P[1..n] of one line split on '"' (see json_line).  Fills
# JV[path] (string contents still escaped, or the literal's text), JT[path] ("s" string,
# "l" literal, "o" object, "a" array) and JN[path] (array length).  Paths: "type",
# "item.text", "usage.input_tokens", "item.changes.0.path", ...  Strings are never walked
# character by character: only the short structural pieces between them are.
# Returns 1 for one JSON object (leniently checked), else 0.  While scanning it also builds
# an anchored pattern of the line's shape in TB and the slot plan in TPL* (see learn()).
function jparse(n,    i, k, L, pc, c, d, path, closed, lit, m, nl) {
    split("", JV); split("", JT); split("", JN)
    if (n % 2 == 0) return 0
    d = 0; closed = 0
    TPLOK = (n <= 400); TB = "^"; NPL = 0; NQ = 0; NJ = 0
    for (i = 1; i <= n; i++) {
        pc = P[i]
        if (i % 2 == 0) {
            if (d == 0) return 0
            if (OC[d] && EK[d]) {
                KEY[d] = pc; EK[d] = 0
                if (TPLOK) { if (pc ~ /^[A-Za-z0-9_-]*$/) TB = TB "\"" pc "\""; else TPLOK = 0 }
                continue
            }
            if (OC[d]) path = PF[d] KEY[d]; else { path = PF[d] IX[d]; SEEN[d] = 1 }
            JV[path] = pc; JT[path] = "s"
            if (TPLOK) {
                # the event type values are part of the shape: the fast path knows the kind
                if (path == "type" || path == "item.type") {
                    if (pc ~ /^[A-Za-z0-9_]([A-Za-z0-9_.]*[A-Za-z0-9_])?$/) { m = pc; gsub(/[.]/, "[.]", m); TB = TB "\"" m "\"" }
                    else TPLOK = 0
                } else TB = TB "\"\005\""
                NQ++; QP[NQ] = path; QI[NQ] = i; QA[NQ] = -1
                if ((path in SLOT) && SKIND[SLOT[path]] == "s") { NPL++; PLS[NPL] = SLOT[path]; PLI[NPL] = i; PLA[NPL] = -1 }
            }
            continue
        }
        if (pc == ":" || pc == ",") {
            if (pc == ",") { if (d == 0) return 0; if (OC[d]) EK[d] = 1; else IX[d]++ }
            if (TPLOK) TB = TB pc
            continue
        }
        L = length(pc); nl = 0
        for (k = 1; k <= L; k++) {
            c = substr(pc, k, 1)
            if (c == ":") { if (TPLOK) TB = TB c; continue }
            if (c == ",") {
                if (d == 0) return 0
                if (OC[d]) EK[d] = 1; else IX[d]++
                if (TPLOK) TB = TB c
                continue
            }
            if (c == "{" || c == "[") {
                if (d == 0) {
                    if (closed || c == "[") return 0
                    path = ""
                } else {
                    if (OC[d]) path = PF[d] KEY[d]; else { path = PF[d] IX[d]; SEEN[d] = 1 }
                    JT[path] = (c == "{") ? "o" : "a"
                }
                if (TPLOK) TB = TB ((c == "{") ? "[{]" : "[[]")
                d++
                OC[d] = (c == "{"); EK[d] = 1; IX[d] = 0; SEEN[d] = 0; CP[d] = path
                PF[d] = (d == 1) ? "" : path "."
                continue
            }
            if (c == "}" || c == "]") {
                if (d == 0 || OC[d] != (c == "}")) return 0
                if (!OC[d]) {
                    JN[CP[d]] = SEEN[d] ? IX[d] + 1 : 0
                    if (TPLOK) { NJ++; QJP[NJ] = CP[d]; QJN[NJ] = JN[CP[d]] }
                }
                if (--d == 0) closed = 1
                if (TPLOK) TB = TB ((c == "}") ? "[}]" : "[]]")
                continue
            }
            if (c == " " || c == "\t" || c == "\r") { if (TPLOK) TB = TB c; continue }
            if (d == 0) return 0
            # number, true, false, null: the run up to the next delimiter
            m = substr(pc, k)
            lit = match(m, /[],}: \t\r]/) ? substr(m, 1, RSTART - 1) : m
            if (lit !~ /^(-?[0-9][0-9.eE+-]*|true|false|null)$/) return 0
            if (OC[d]) path = PF[d] KEY[d]; else { path = PF[d] IX[d]; SEEN[d] = 1 }
            JV[path] = lit; JT[path] = "l"
            if (TPLOK) {
                TB = TB LITRE
                if (++nl > 1) TPLOK = 0
                else {
                    NQ++; QP[NQ] = path; QI[NQ] = i; QA[NQ] = k - 1; QB[NQ] = L - (k - 1) - length(lit)
                    if ((path in SLOT) && SKIND[SLOT[path]] == "l") {
                        NPL++; PLS[NPL] = SLOT[path]; PLI[NPL] = i; PLA[NPL] = QA[NQ]; PLB[NPL] = QB[NQ]
                    }
                }
            }
            k += length(lit) - 1
        }
    }
    TB = TB "$"
    return closed && d == 0
}

# Remember the shape of the line just scanned under key K for the fast path: its pattern TB,
# its event kind, where each slot sits (TSI piece, TSA/TSB characters to trim around a
# literal; TSA < 0 for a string) and the full plan (Q*) for need_jv().  At most 256 shapes
# are kept; then the table starts afresh, so memory stays flat whatever the input.
function learn(K, kind,    t, j, b) {
    if (NPL > 31 || NQ > 255 || NJ > 63) return
    if (K in TID) { t = TID[K]; b = t * 32; for (j = 1; j <= 32; j++) { delete TSI[b + j]; delete TSA[b + j]; delete TSB[b + j]; delete TSS[b + j] } }
    else {
        if (NTPL >= 256) {
            split("", TID); split("", TRE); split("", TN); split("", TKIND); split("", TSI); split("", TSA); split("", TSS)
            split("", TSB); split("", TQC); split("", TQP); split("", TQI); split("", TQA)
            split("", TFC); split("", TFP); split("", TFK)
            split("", TQB); split("", TJC); split("", TJP); split("", TJN)
            NTPL = 0
        }
        t = ++NTPL; TID[K] = t
    }
    # A value is matched by .* (mawk runs it far faster than [^"]*).  That stays exact: the
    # piece count equals the learned line's, so the line has exactly the pattern's quotes and
    # no value can swallow one.  Many values: [^"]* keeps failing matches from backtracking.
    gsub(/\005/, (NQ <= 8) ? ".*" : "[^\"]*", TB)
    TRE[t] = TB; TN[t] = NP; TKIND[t] = kind; TQC[t] = NQ; TJC[t] = NJ
    b = t * 32
    for (j = 1; j <= NPL; j++) {
        TSI[b + PLS[j]] = PLI[j]; TSA[b + PLS[j]] = PLA[j]; TSB[b + PLS[j]] = PLB[j]
        if (PLA[j] < 0) TSS[b + PLS[j]] = PLI[j]
    }
    b = t * 64
    for (j = 1; j <= NJ; j++) { TJP[b + j] = QJP[j]; TJN[b + j] = QJN[j] }
    b = t * 256
    for (j = 1; j <= NQ; j++) { TQP[b + j] = QP[j]; TQI[b + j] = QI[j]; TQA[b + j] = QA[j]; TQB[b + j] = QB[j] }
    # file changes: piece of each change's path and kind, when every change has both strings
    b = t * 64
    for (j = 1; j <= 63; j++) { delete TFP[b + j]; delete TFK[b + j] }
    TFC[t] = 0
    if (kind == 5 && JN["item.changes"] + 0 <= 63) {
        TFC[t] = JN["item.changes"] + 0
        for (j = 1; j <= NQ; j++) if (QP[j] ~ /^item[.]changes[.][0-9]+[.](path|kind)$/ && QA[j] < 0) {
            split(QP[j], QS, ".")
            if (QS[4] == "path") TFP[b + QS[3] + 1] = QI[j]; else TFK[b + QS[3] + 1] = QI[j]
        }
        for (j = 1; j <= TFC[t]; j++) if (!((b + j) in TFP) || !((b + j) in TFK)) { for (j = 1; j <= 63; j++) { delete TFP[b + j]; delete TFK[b + j] }; TFC[t] = 0; break }
    }
}

# JV/JT/JN for a line taken by the fast path, from its shape's full plan (only for the few
# renderers that need more than the slots: file changes, todo items).
function need_jv(    t, b, c, j, a, e) {
    if (JVOK) return
    JVOK = 1
    split("", JV); split("", JT); split("", JN)
    t = TCUR; b = t * 256; c = b + TQC[t]
    for (j = b + 1; j <= c; j++) {
        e = P[TQI[j]]
        if ((a = TQA[j]) < 0) { JV[TQP[j]] = e; JT[TQP[j]] = "s" }
        else { JV[TQP[j]] = substr(e, a + 1, length(e) - a - TQB[j]); JT[TQP[j]] = "l" }
    }
    b = t * 64; c = b + TJC[t]
    for (j = b + 1; j <= c; j++) JN[TJP[j]] = TJN[j]
}

# Decoded string value at a path of the scanned line ("" when absent or not a string).
function jstr(path) {
    if (JT[path] != "s") return ""
    return jdec(JV[path])
}

# JSON string contents -> bytes.  Only gsub() passes, each linear in the length.
function jdec(s,    cp, lo, e, r) {
    if (!index(s, "\\") && !index(s, "\001") && !index(s, "\002")) return s
    if (index(s, "\\")) {
        if (index(s, "\\\\")) gsub(/\\\\/, "\001", s)
        if (index(s, "\\\"")) gsub(/\\"/, "\002", s)
        if (index(s, "\\n")) gsub(/\\n/, "\n", s)
    }
    # the rarer escapes, only while a backslash is left
    if (index(s, "\\")) {
        if (index(s, "\\t")) gsub(/\\t/, "\t", s)
        if (index(s, "\\r")) gsub(/\\r/, "\r", s)
        if (index(s, "\\/")) gsub(/\\\//, "/", s)
        if (index(s, "\\b")) gsub(/\\b/, "\b", s)
        if (index(s, "\\f")) gsub(/\\f/, "\f", s)
        if (index(s, "\\u")) {
            # surrogate pairs first, then single escapes; one gsub per distinct escape
            while (match(s, /\\u[dD][89abAB][0-9a-fA-F][0-9a-fA-F]\\u[dD][c-fC-F][0-9a-fA-F][0-9a-fA-F]/)) {
                e = substr(s, RSTART, 12)
                cp = hex4(substr(e, 3, 4)); lo = hex4(substr(e, 9, 4))
                gsub("\\\\" substr(e, 2, 5) "\\\\" substr(e, 8, 5), utf8(65536 + (cp - 55296) * 1024 + (lo - 56320)), s)
            }
            while (match(s, /\\u[0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F]/)) {
                e = substr(s, RSTART, 6)
                cp = hex4(substr(e, 3, 4))
                if (cp >= 55296 && cp <= 57343) cp = 65533     # lone surrogate
                r = utf8(cp)
                if (r == "&") r = "\\&"                         # gsub's "matched text"
                else if (r == "\\") r = "\001"                  # restored below
                gsub("\\\\" substr(e, 2, 5), r, s)
            }
        }
    }
    if (index(s, "\002")) gsub(/\002/, "\"", s)
    if (index(s, "\001")) gsub(/\001/, "\\", s)
    return s
}

function hex4(h) {
    return ((HEX[substr(h, 1, 1)] * 16 + HEX[substr(h, 2, 1)]) * 16 + HEX[substr(h, 3, 1)]) * 16 + HEX[substr(h, 4, 1)]
}

function utf8(cp) {
    if (cp < 128) return CHR[cp]
    if (cp < 2048) return CHR[192 + int(cp / 64)] CHR[128 + cp % 64]
    if (cp < 65536) return CHR[224 + int(cp / 4096)] CHR[128 + int(cp / 64) % 64] CHR[128 + cp % 64]
    return CHR[240 + int(cp / 262144)] CHR[128 + int(cp / 4096) % 64] CHR[128 + int(cp / 64) % 64] CHR[128 + cp % 64]
}
