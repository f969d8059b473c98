#!/bin/sh
# Fake `codex` for the executor tests (POSIX sh: unlike bash it does not warn about a missing
# LC_ALL locale, so its stderr holds only what a test asks for).  Driven by FAKE_CODEX_*
# variables, all optional:
#   FAKE_CODEX_ARGV_FILE    write argv here, each argument followed by a NUL byte
#   FAKE_CODEX_STDIN_FILE   copy stdin (the prompt) here; stdin is always read to EOF first,
#                           as codex does
#   FAKE_CODEX_ENV_FILE     write NAME=VALUE lines for LANG, LC_ALL, RUST_BACKTRACE and the
#                           names in FAKE_CODEX_ENV_NAMES ("<unset>" when unset)
#   FAKE_CODEX_PID_FILE     write "<pid> <pgid>" here once stdin is read
#   FAKE_CODEX_STDERR       text written to stderr first (printf %b: \n escapes work)
#   FAKE_CODEX_JSONL        file replayed on stdout
#   FAKE_CODEX_LINE_DELAY   seconds to wait after each replayed line
#   FAKE_CODEX_LAST_MESSAGE text (printf %s) written to the --output-last-message file
#   FAKE_CODEX_GRANDCHILD   group: leave a `sleep 300` behind that holds stdout/stderr open, in
#                           our process group; setsid: the same in its own session and group;
#                           detached: in our group, but with stdout/stderr on /dev/null
#   FAKE_CODEX_GRANDCHILD_PID_FILE  where to write the grandchild's pid
#   FAKE_CODEX_SLEEP        seconds to sleep (in a child, like a tool command) before exiting
#   FAKE_CODEX_IGNORE_TERM  1: ignore SIGTERM (the sleep child inherits that)
#   FAKE_CODEX_EXIT         exit status (default 0)
#   FAKE_CODEX_KILL_SELF    a signal name: die of that signal at the end instead
[ "${FAKE_CODEX_IGNORE_TERM:-}" = 1 ] && trap '' TERM

if [ -n "${FAKE_CODEX_ARGV_FILE:-}" ]; then
    : >"$FAKE_CODEX_ARGV_FILE"
    for a in "$@"; do printf '%s\000' "$a" >>"$FAKE_CODEX_ARGV_FILE"; done
fi

if [ -n "${FAKE_CODEX_STDIN_FILE:-}" ]; then cat >"$FAKE_CODEX_STDIN_FILE"; else cat >/dev/null; fi

if [ -n "${FAKE_CODEX_PID_FILE:-}" ]; then
    pgid=$(sed 's/^.*) //' "/proc/$$/stat" | cut -d' ' -f3)
    printf '%s %s\n' "$$" "$pgid" >"$FAKE_CODEX_PID_FILE.tmp"
    mv -f "$FAKE_CODEX_PID_FILE.tmp" "$FAKE_CODEX_PID_FILE"
fi

if [ -n "${FAKE_CODEX_ENV_FILE:-}" ]; then
    for name in LANG LC_ALL RUST_BACKTRACE ${FAKE_CODEX_ENV_NAMES:-}; do
        if eval "[ -n \"\${$name+x}\" ]"; then
            eval "printf '%s=%s\n' \"\$name\" \"\$$name\""
        else
            printf '%s=<unset>\n' "$name"
        fi
    done >"$FAKE_CODEX_ENV_FILE"
fi

last_message=''
prev=''
for a in "$@"; do
    [ "$prev" = --output-last-message ] && last_message=$a
    prev=$a
done

[ -n "${FAKE_CODEX_STDERR:-}" ] && printf '%b' "$FAKE_CODEX_STDERR" >&2

if [ -n "${FAKE_CODEX_JSONL:-}" ]; then
    if [ -n "${FAKE_CODEX_LINE_DELAY:-}" ]; then
        while IFS= read -r line || [ -n "$line" ]; do
            printf '%s\n' "$line"
            sleep "$FAKE_CODEX_LINE_DELAY"
        done <"$FAKE_CODEX_JSONL"
    else
        cat -- "$FAKE_CODEX_JSONL"
    fi
fi

if [ -n "${FAKE_CODEX_LAST_MESSAGE+x}" ] && [ -n "$last_message" ]; then
    printf '%s' "$FAKE_CODEX_LAST_MESSAGE" >"$last_message"
fi

gc=''
case ${FAKE_CODEX_GRANDCHILD:-} in
    # 300 s outlasts every test's deadline: a run that waited for the grandchild times out.
    group) sleep 300 & gc=$! ;;
    setsid) setsid sleep 300 & gc=$! ;;
    detached) sleep 300 >/dev/null 2>&1 & gc=$! ;;
esac
if [ -n "$gc" ] && [ -n "${FAKE_CODEX_GRANDCHILD_PID_FILE:-}" ]; then
    echo "$gc" >"$FAKE_CODEX_GRANDCHILD_PID_FILE"
fi

if [ -n "${FAKE_CODEX_SLEEP:-}" ]; then
    sleep "$FAKE_CODEX_SLEEP" &
    wait $!
    # an ignored TERM still interrupts wait: keep waiting for the child
    while [ "${FAKE_CODEX_IGNORE_TERM:-}" = 1 ] && kill -0 $! 2>/dev/null; do wait $!; done
fi

if [ -n "${FAKE_CODEX_KILL_SELF:-}" ]; then
    trap - "$FAKE_CODEX_KILL_SELF"
    kill -s "$FAKE_CODEX_KILL_SELF" $$
fi
exit "${FAKE_CODEX_EXIT:-0}"
