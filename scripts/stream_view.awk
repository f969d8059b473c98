# stream_view.awk - `codex exec --json` output as the drop-in's live stream views
# (codex-wrapper-contract.md §9.4/§9.5; keep_lines: agent-dock-head-contract.md §7).  POSIX awk
# (tested with mawk, gawk, BSD and busybox awk); run it with LC_ALL=C, text is bytes.
#
#   LC_ALL=C awk -f stream_view.awk [-v name=value ...] [file ...]     (all -v optional)
#   view        all (default, or any unknown value) | all_compact | assistant | thinking
#   max         all_compact: body lines of codex/exec/tool sections longer than `max` code
#               points are cut + "...".  Default 180; <= 0 or not an integer: no cut.
#   keep_lines  all_compact: an integer N = each exec/tool section shows its header and its
#               first N body lines (N <= 0: none), then `[all_compact] exec output omitted
#               lines=M`; empty (default), `none` or anything else: no folding.
#   display     1 (default): the view on stdout.  0: nothing shown (stream log only).
#   stream_log  every line from codex, uncut and unfolded, whatever the view (no user section,
#               no final-message repeat).  prompt_file: shown first as the user section.
#               Env fallbacks SV_STREAM_LOG / SV_PROMPT_FILE keep paths exact (no -v escapes).
#   flush       1: flush after every input line.  Default 1 in tagged and text mode.
#   mode        json (default): codex stdout lines.  text: verbatim lines.  tagged: the merged
#               chunk records.  chunk: the encoder, input lines become records tagged `tag`.
# Chunk records: tag byte, <= 4000 bytes, "\n", written at once (<= PIPE_BUF) so two writers on
# one pipe never interleave; O/E end a line of codex stdout/stderr, o/e: more follows.  A stdout
# line of <= 4000 bytes that starts with "{" (an event) goes untagged, as it is.
#
# Lines, [section] (headers never cut): [user] user, prompt.  [default] session id: <id>.
# [thinking] thinking, text.  [codex] codex, text.  [exec] exec, command; " succeeded:" or
# " exited N:", output (exec and command again if other lines came in between).  [file] file
# update, <A|D|M|?> path, [patch: <status>].  [tool] item type, one-line summary.  [default]
# warning: / ERROR: <message>; tokens used, <input-cached+output>, then (all, all_compact) the last agent
# message again as codex's plain stdout printed it (as V661's merged stream ended); other stdout and
# stderr lines verbatim.  Texts are split on "\n", a trailing "\r" per line and one final empty line dropped.

BEGIN {
    if (view != "all_compact" && view != "assistant" && view != "thinking") view = "all"
    COMPACT = (view == "all_compact")
    if (max == "") max = 180
    MAX = (max ~ /^[-+]?[0-9]+$/ && max + 0 > 0) ? max + 0 : 2147483647           # (no cut)
    KEEP = (keep_lines !~ /^[-+]?[0-9]+$/) ? -1 : (keep_lines + 0 < 0) ? 0 : keep_lines + 0    # -1: no folding
    display = (display == "" || display == 1)
    if (mode == "") mode = "json"
    flush = (flush == "") ? (mode == "tagged" || mode == "text") : (flush == 1)
    SLOG = (stream_log != "") ? stream_log : ENVIRON["SV_STREAM_LOG"]
    if (prompt_file == "") prompt_file = ENVIRON["SV_PROMPT_FILE"]
    if (mode == "chunk") { TAGLAST = (tag == "E") ? "E" : "O"; TAGMORE = tolower(TAGLAST); ORS = "" }
    SHOW["default"] = SHOW["thinking"] = SHOW["codex"] = SHOW["file"] = display
    SHOW["user"] = display && view != "thinking"
    SHOW["exec"] = SHOW["tool"] = display && view != "assistant" && view != "thinking"
    SHOW["echo"] = display && (view == "all" || COMPACT)
    CUT["codex"] = CUT["exec"] = CUT["tool"] = 1                     # all_compact cuts their bodies
    if (SLOG != "" && mode != "chunk") { printf "" > SLOG; LOGOPEN = 1 }      # created even if empty
    LOG["default"] = LOG["thinking"] = LOG["codex"] = LOG["file"] = LOG["exec"] = LOG["tool"] = LOGOPEN
    for (i = 1; i < 256; i++) CHR[i] = sprintf("%c", i)    # CHR[0] "": a decoded NUL is dropped (not portable)
    for (i = 0; i < 16; i++) HEX[substr("0123456789abcdef", i + 1, 1)] = HEX[substr("0123456789ABCDEF", i + 1, 1)] = i
    KIND["add"] = "A"; KIND["delete"] = "D"; KIND["update"] = "M"
    if (mode != "chunk" && prompt_file != "" && SHOW["user"]) {
        for (out("user", "user", 1); (getline ln < prompt_file) > 0; ) out("user", chomp(ln), 0)
        close(prompt_file); if (flush) flush_out()
    }
}

mode == "tagged" {
    if ((t = substr($0, 1, 1)) == "{") json_line($0)
    else if (t == "O") json_line(("O" in NPART) ? acc_take("O", substr($0, 2)) : substr($0, 2))
    else if (t == "E") out("default", ("E" in NPART) ? acc_take("E", substr($0, 2)) : substr($0, 2), 0)
    else if (t == "o" || t == "e") { acc_add(toupper(t), substr($0, 2)); next }
    else out("default", $0, 0)
    if (flush) flush_out()
    next
}
mode == "chunk" {
    if (TAGLAST == "O" && substr($0, 1, 1) == "{" && length($0) <= 4000) { print $0 "\n"; fflush(); next }
    for (p = 1; p == 1 || p <= length($0); p += 4000) { print ((p + 4000 > length($0)) ? TAGLAST : TAGMORE) substr($0, p, 4000) "\n"; fflush() }
    next
}
mode == "text" { out("default", $0, 0); if (flush) flush_out(); next }
{ json_line($0); if (flush) flush_out() }

END {
    if (mode == "chunk") exit
    # a writer that died mid-line leaves a partial line: show what arrived
    if ("O" in NPART) json_line(acc_take("O", ""))
    if ("E" in NPART) out("default", acc_take("E", ""), 0)
    close_sections(); flush_out()
    if (LOGOPEN) close(SLOG)
}

# The pieces of a long line, merged like a binary counter: O(n log n) copying, not O(n^2).
function acc_add(t, d,    k) {
    for (k = 0; ((t, k) in ACC); k++) { d = ACC[t, k] d; delete ACC[t, k] }
    ACC[t, k] = d
    if (!(t in NPART) || k + 1 > NPART[t]) NPART[t] = k + 1
}
function acc_take(t, last,    k, s) {
    for (k = NPART[t] - 1; k >= 0; k--) if ((t, k) in ACC) { s = s ACC[t, k]; delete ACC[t, k] }
    delete NPART[t]
    return s last
}

# View lines leave in one write per input record (mawk -W interactive writes every print at once);
# a long text in 8 KiB steps, so the buffer never grows with the input.
function emit(t) { OB = OB t "\n"; if (length(OB) > 8192) { printf "%s", OB; OB = ""; fflush() } }
function flush_out() {
    if (OB != "") { printf "%s", OB; OB = ""; fflush() }
    if (++LOGRECS == 64) { LOGRECS = 0; if (LOGOPEN) fflush(SLOG) }    # read after the run: live enough
}

# One rendered line.  hdr: 0 body, 1 section header, 2 exec status line (never cut, but body
# for keep_lines).  The stream log gets it raw; the view shows it if its section is shown.
function out(sec, txt, hdr) {
    LASTSEC = sec
    if (LOG[sec]) print txt > SLOG
    if (!SHOW[sec]) return
    if (COMPACT) {
        if (FOLD) {
            if (sec == "codex" && !hdr && !fold_end(txt)) { FOLD++; return }
            emit("[all_compact] codex diff omitted lines=" FOLD); FOLD = 0
        }
        if (KEEP >= 0) {
            if (XSEC != "" && (hdr == 1 || sec != XSEC)) close_sections()
            if (hdr == 1) { if (sec == "exec" || sec == "tool") { XSEC = sec; XN = XHID = 0 } }
            else if (XSEC != "" && ++XN > KEEP) { XHID++; return }
        }
        if (!hdr && CUT[sec]) {
            if (sec == "codex" && txt ~ /^[ \t\r\f\013]*(\033\[[0-9;]*[A-Za-z])*[ \t\r\f\013]*[fFdD]/ && fold_start(txt)) { FOLD = 1; return }
            if (length(txt) > MAX) txt = trunc(txt)
        }
    }
    emit(txt)
}
function close_sections() {
    if (FOLD) emit("[all_compact] codex diff omitted lines=" FOLD)
    if (XHID) emit("[all_compact] exec output omitted lines=" XHID)
    FOLD = XHID = 0; XSEC = ""
}
# Every line of a text; the first one gets `prefix`.
function out_text(sec, s, prefix,    n, i) {
    if (!index(s, "\n")) { if (s != "" || prefix != "") out(sec, prefix chomp(s), 0); return }
    n = split(s, TL, "\n")
    if (TL[n] == "") n--                                      # (n >= 2: s has a "\n")
    for (i = 1; i <= n; i++) out(sec, (i == 1 ? prefix : "") chomp(TL[i]), 0)
}
function chomp(s) { return (substr(s, length(s)) == "\r") ? substr(s, 1, length(s) - 1) : s }

# §9.4 fold classification: ANSI sequences removed, trimmed, lower-cased.
function fold_norm(t) { gsub(/\033\[[0-9;]*[A-Za-z]/, "", t); sub(/^[ \t\r\f\013]+/, "", t); sub(/[ \t\r\f\013]+$/, "", t); return tolower(t) }
function fold_start(t) { t = fold_norm(t); return (substr(t, 1, 12) == "file update:" || substr(t, 1, 11) == "diff --git ") }
function fold_end(t) { t = fold_norm(t); return (t == "tokens used" || t ~ /^(result|summary|changed_files|checks):/) }

# Cut to MAX code points + "...".  Code points = bytes that are not UTF-8 continuation bytes
# (0x80-0xBF); each byte is counted once, so hostile bytes cannot make it quadratic.
function trunc(t,    L, s, c, k) {
    s = t
    if (length(t) - gsub(/[\200-\277]/, "", s) <= MAX) return t
    for (L = c = 0; c < MAX; ) { s = substr(t, L + 1, MAX - c); k = length(s); L += k; c += k - gsub(/[\200-\277]/, "", s) }
    if (match(substr(t, L + 1), /^[\200-\277]+/)) L += RLENGTH
    return substr(t, 1, L) "..."
}

# One line of codex stdout: a JSON event object, else shown verbatim.  t, it: values as parsed,
# so with their type byte ("s" = a string).
function json_line(line,    t, it, x) {
    if (line == "{\"type\":\"turn.started\"}") return                 # the most common no-op
    if (!jparse(line)) { out("default", line, 0); return }
    if ((t = V["type"]) == "sitem.completed") {
        if ((it = V["item.type"]) == "sagent_message") { out("codex", "codex", 1); LASTMSG = str("item.text"); out_text("codex", LASTMSG, "") }
        else if (it == "sreasoning") { out("thinking", "thinking", 1); out_text("thinking", str("item.text"), "") }
        else if (it == "scommand_execution") exec_done()
        else if (it == "serror") out_text("default", str("item.message"), "warning: ")
        else if (it == "sfile_change") file_change()
        else tool_item((substr(it, 1, 1) == "s") ? substr(it, 2) : "")
    } else if (t == "sitem.started" && V["item.type"] == "scommand_execution") exec_head()
    else if (t == "sthread.started") out("default", "session id: " str("thread_id"), 0)
    else if (t == "sturn.completed") {
        out("default", "tokens used", 1)
        out("default", commas(num("usage.input_tokens") - num("usage.cached_input_tokens") + num("usage.output_tokens")), 0)
        # codex's plain stdout: the last message and a newline, so every "\n" ends a line
        if (LASTMSG != "") { x = split(LASTMSG, TL, "\n"); for (it = 1; it <= x; it++) out("echo", TL[it], 0) }
        LASTMSG = ""
    }
    else if (t == "sturn.failed") out_text("default", isstr("error.message") ? str("error.message") : "turn failed", "ERROR: ")
    else if (t == "serror") out_text("default", str("message"), "ERROR: ")
    else if (substr(t, 1, 1) != "s") out("default", line, 0)           # no string "type": verbatim
}
function exec_head() { out("exec", "exec", 1); out_text("exec", str("item.command"), ""); LASTEXEC = V["item.id"] }
function exec_done(    x) {
    if (LASTSEC != "exec" || LASTEXEC != (x = V["item.id"]) || x == "" || x == "s") exec_head()
    x = (substr(x = V["item.exit_code"], 1, 1) == "l") ? substr(x, 2) : ""
    if (x ~ /^-?[0-9]+$/) out("exec", (x + 0 == 0) ? " succeeded:" : " exited " x ":", 2)
    else out("exec", " " (isstr("item.status") ? str("item.status") : "finished") ":", 2)
    out_text("exec", str("item.aggregated_output"), ""); LASTEXEC = ""
}
function file_change(    n, i, k) {
    out("file", "file update", 1)
    for (i = 0; i < alen("item.changes"); i++) { k = str("item.changes." i ".kind"); out("file", ((k in KIND) ? KIND[k] : "?") " " str("item.changes." i ".path"), 0) }
    if (isstr("item.status") && V["item.status"] != "scompleted") out("file", "patch: " str("item.status"), 0)
}
function tool_item(it,    s, n, i, done, nxt) {
    if (it == "mcp_tool_call") {
        s = str("item.server") "/" str("item.tool")
        if (isstr("item.status")) s = s " (" str("item.status") ")"
        if (isstr("item.error.message")) s = s ": " str("item.error.message")
    } else if (it == "web_search") s = str("item.query")
    else if (it == "todo_list") {
        for (i = done = 0; i < (n = alen("item.items")); i++)
            if (V["item.items." i ".completed"] == "ltrue") done++; else if (nxt == "") nxt = str("item.items." i ".text")
        s = done "/" n " done" (nxt != "" ? "; next: " nxt : "")
    } else s = str(isstr("item.text") ? "item.text" : isstr("item.message") ? "item.message" : \
                   isstr("item.command") ? "item.command" : isstr("item.query") ? "item.query" : "item.status")
    out("tool", (it == "") ? "item" : str("item.type"), 1)
    s = chomp((i = index(s, "\n")) ? substr(s, 1, i - 1) : s)
    out("tool", (s == "") ? "(no details)" : s, 0)
}
function commas(n,    r) {     # 2068 -> "2,068"
    if ((n = int(n)) < 0) return "-" commas(-n)
    for (r = ""; n >= 1000; n = int(n / 1000)) r = sprintf(",%03d", n % 1000) r
    return n r
}
function num(p,    x) { return (substr(x = V[p], 1, 1) == "l") ? substr(x, 2) + 0 : 0 }
function str(p,    x) { return (substr(x = V[p], 1, 1) != "s") ? "" : BSL ? jdec(substr(x, 2)) : substr(x, 2) }
function isstr(p) { return substr(V[p], 1, 1) == "s" }
function alen(p,    x) { return (substr(x = V[p], 1, 1) == "a") ? substr(x, 2) + 0 : 0 }

# JSON scanner.  Escaped backslashes and quotes become \001 and \002, so every '"' left delimits
# a string and one split() gives structure (odd pieces) and strings (even pieces): only short
# structure pieces are walked byte by byte.  Fills V[path] ("item.text", "item.changes.0.path")
# = a type byte (s string, l literal, o object, a array) + the string still escaped, the literal
# as written or the array's length: one insert per value.  1 = one JSON object.
function jparse(s,    n, i, p, path) {
    delete V
    if (BSL = index(s, "\\")) { gsub(/\\\\/, "\001", s); gsub(/\\"/, "\002", s) }
    if ((n = split(s, P, "\"")) % 2 == 0) return 0
    if (P[1] == "{") D = OBJ[1] = E = 1                          # (PRE[1] is always "")
    else { D = E = DONE = 0; if (!walk(P[1]) || D == 0) return DONE && n == 1 }
    for (i = 2; i < n; i += 2) {
        if (E) {                                       # a key
            if ((p = P[i + 1]) == ":") {               # "key":"value": both strings at once
                V[PRE[D] P[i]] = "s" P[i + 2]
                if ((p = P[(i += 2) + 1]) == ",") continue
                E = 0
                if (p == "}" || (p == "}}" && OBJ[D - 1])) { if ((D -= length(p)) == 0) return i + 1 == n; continue }
            } else if (p ~ /^:(-?[0-9][0-9.eE+-]*|true|false|null),$/) { V[PRE[D] P[i]] = "l" substr(p, 2, length(p) - 2); continue }
            else { KEY[D] = P[i]; E = 0 }              # "key":literal, above: one token at once
        } else { path = PRE[D] (OBJ[D] ? KEY[D] : IX[D]); V[path] = "s" P[i]; HAS[D] = 1; p = P[i + 1] }
        if (p == ",") { if (OBJ[D]) E = 1; else IX[D]++ }
        else if (p == ":{") { V[PRE[D] KEY[D]] = "o"; PRE[D + 1] = PRE[D] KEY[D] "."; D++; OBJ[D] = E = 1 }
        else if (p != ":") { if (!walk(p)) return 0; if (D == 0) return i + 1 == n }
    }
    return 0
}
# The structure between two strings, byte by byte: brackets, commas and literals.
function walk(p,    k, L, x, path, lit) {
    L = length(p)
    for (k = 1; k <= L; k++) {
        if ((x = index(",}]{[: \t\r", substr(p, k, 1))) > 5) continue
        if (D == 0 && (DONE || x != 4)) return 0
        if (x == 1) { if (OBJ[D]) E = 1; else IX[D]++; continue }
        if (x == 2 || x == 3) {
            if (OBJ[D] != (x == 2)) return 0
            if (x == 3) V[CUR[D]] = "a" (HAS[D] ? IX[D] + 1 : 0)
            DONE = (--D == 0); E = 0; continue
        }
        path = (D == 0) ? "" : PRE[D] (OBJ[D] ? KEY[D] : IX[D]); if (D) HAS[D] = 1
        if (x == 4) { if (D++) V[path] = "o"; PRE[D] = (D == 1) ? "" : path "."; OBJ[D] = E = 1; continue }
        if (x) { if (D++) V[path] = "a"; PRE[D] = (D == 1) ? "" : path "."; OBJ[D] = E = IX[D] = HAS[D] = 0; CUR[D] = path; continue }
        lit = substr(p, k); if (match(lit, /[],}: \t\r]/)) lit = substr(lit, 1, RSTART - 1)
        if (lit !~ /^(-?[0-9][0-9.eE+-]*|true|false|null)$/) return 0; V[path] = "l" lit; k += length(lit) - 1
    }
    return 1
}

# JSON string contents (after jparse's \001/\002) -> bytes.  Only gsub passes, each linear.
function jdec(s,    e, cp, lo, r) {     # (str() calls it only for a line with a backslash)
    if (index(s, "\\")) {
        gsub(/\\n/, "\n", s); gsub(/\\t/, "\t", s); gsub(/\\r/, "\r", s); gsub(/\\\//, "/", s)
        gsub(/\\b/, "\b", s); gsub(/\\f/, "\f", s)
        # surrogate pairs first, then single escapes; one gsub per distinct escape
        while (match(s, /\\u[dD][89abAB][0-9a-fA-F][0-9a-fA-F]\\u[dD][c-fC-F][0-9a-fA-F][0-9a-fA-F]/)) {
            e = substr(s, RSTART, 12); cp = hex4(substr(e, 3, 4)); lo = hex4(substr(e, 9, 4))
            gsub("\\\\" substr(e, 2, 5) "\\\\" substr(e, 8, 5), utf8(65536 + (cp - 55296) * 1024 + (lo - 56320)), s)
        }
        while (match(s, /\\u[0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F]/)) {
            e = substr(s, RSTART, 6); cp = hex4(substr(e, 3, 4))
            r = utf8((cp >= 55296 && cp <= 57343) ? 65533 : cp)      # a lone surrogate: U+FFFD
            if (r == "&") r = "\\&"; else if (r == "\\") r = "\001"    # gsub specials
            gsub("\\\\" substr(e, 2, 5), r, s)
        }
    }
    if (index(s, "\002")) gsub(/\002/, "\"", s)
    if (index(s, "\001")) gsub(/\001/, "\\", s)
    return s
}
function hex4(h) { return ((HEX[substr(h, 1, 1)] * 16 + HEX[substr(h, 2, 1)]) * 16 + HEX[substr(h, 3, 1)]) * 16 + HEX[substr(h, 4, 1)] }
function utf8(cp) {
    if (cp < 128) return CHR[cp]
    if (cp < 2048) return CHR[192 + int(cp / 64)] CHR[128 + cp % 64]
    if (cp < 65536) return CHR[224 + int(cp / 4096)] CHR[128 + int(cp / 64) % 64] CHR[128 + cp % 64]
    return CHR[240 + int(cp / 262144)] CHR[128 + int(cp / 4096) % 64] CHR[128 + int(cp / 64) % 64] CHR[128 + cp % 64]
}
