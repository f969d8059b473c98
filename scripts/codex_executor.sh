#!/usr/bin/env bash
# codex_executor.sh - the thin shell half of the drop-in wrapper (codex-wrapper-contract.md
# §8.2, §9.5, §11.2).  The TypeScript layer does all the logic; this script only:
#   - saves the prompt (its stdin) to a private file and gives that file to codex as stdin;
#   - runs `codex exec --json ...` in its own process group;
#   - renders codex's stdout (JSONL) and stderr live on its own stderr (stream_view.awk) and
#     tees the raw streams and the rendered stream log into files;
#   - terminates codex's whole group on SIGTERM/SIGINT/SIGHUP and, through a watchdog, when
#     the executor or its parent dies; removes its temp files on every exit path;
#   - prints codex's --output-last-message file on stdout and exits with codex's status.
#
# Usage: codex_executor.sh [EXTRA CODEX ARGS...] < prompt
#   argv: $CODEX_BIN exec --json -C <dir> --output-last-message <file> [--skip-git-repo-check]
#         [-m M] [-c model_reasoning_effort="E"] [-p P] -s <sandbox> [EXTRA CODEX ARGS...] -
#
# Environment (empty = unset; flags compare the exact string):
#   CODEX_BIN (codex)  CODEX_MODEL  CODEX_REASONING_EFFORT  CODEX_PROFILE
#   CODEX_SANDBOX (workspace-write)  CODEX_FULL_AUTO (1 -> -s workspace-write)
#   CODEX_SKIP_GIT_REPO_CHECK (1)  TARGET_PROJECT_DIR (current directory)
#   CODEX_WRAPPER_LANG (en_US.UTF-8 -> codex's LANG and LC_ALL)
#   CODEX_RUST_BACKTRACE (0 -> codex's RUST_BACKTRACE)
#   CODEX_STREAM_LOGS (1 -> live view on stderr; otherwise the stream log is written in blocks)  CODEX_STREAM_VIEW (all|all_compact|assistant|
#   thinking)  CODEX_STREAM_EXEC_MAX_CHARS (180)
#   CODEX_EXECUTOR_STDOUT_LOG / _STDERR_LOG / _STREAM_LOG / _LAST_MESSAGE: output files
#     (truncated at start; a private temp file when unset)
#   CODEX_EXECUTOR_WORK_DIR (${TMPDIR:-/tmp}): parent of the private temp directory
#   CODEX_EXECUTOR_KILL_GRACE_S (3): TERM -> KILL delay when the executor is signalled
#   CODEX_EXECUTOR_DRAIN_GRACE_S (2): how long to wait for codex's pipes to close after it exits
#   CODEX_EXECUTOR_WATCH_PID (parent pid at start): codex is killed when this process dies
#   CODEX_EXECUTOR_AWK (awk): the awk to run stream_view.awk with
#
# Exit status: codex's (126/127 when CODEX_BIN cannot be executed/found, 128+N when codex died
# of signal N); 143/130/129 when the executor got SIGTERM/SIGINT/SIGHUP; 125 when the executor
# itself could not set up (temp dir, fifos, output files).
set -u

readonly SELF=$$
exec {ERRFD}>&2      # the real stderr: the live view and our own messages go here

die() { printf 'codex_executor: %s\n' "$*" >&"$ERRFD"; exit 125; }

# stream_view.awk sits next to the real script, also when we are called through a symlink
src=${BASH_SOURCE[0]}
while [[ -L $src ]]; do
    link=$(readlink -- "$src") || break
    [[ $link == /* ]] || link="$(dirname -- "$src")/$link"
    src=$link
done
HERE=$(CDPATH='' cd -P -- "$(dirname -- "$src")" && pwd) || die "cannot find the script directory"
readonly VIEW_AWK="$HERE/stream_view.awk"
[[ -r $VIEW_AWK ]] || die "missing $VIEW_AWK"

# seconds ("3", "0.5") -> microseconds in the variable named $1; default $3 when invalid
to_us() {
    local v=$2
    [[ $v =~ ^([0-9]*)(\.([0-9]*))?$ && -n ${BASH_REMATCH[1]}${BASH_REMATCH[3]} ]] || v=$3
    [[ $v =~ ^([0-9]*)(\.([0-9]*))?$ ]]
    local i=${BASH_REMATCH[1]:-0} f="${BASH_REMATCH[3]}000000"
    printf -v "$1" '%d' "$((10#$i * 1000000 + 10#${f:0:6}))"
}
now_us() {  # EPOCHREALTIME (bash >= 5) has microseconds; SECONDS is the coarse fallback
    if [[ -n ${EPOCHREALTIME:-} ]]; then printf -v "$1" '%s' "${EPOCHREALTIME//[!0-9]/}"
    else printf -v "$1" '%d' "$((SECONDS * 1000000))"; fi
}

kill_grace_us=0 drain_grace_us=0 stdout_log='' stderr_log='' stream_log='' last_message=''

# --- configuration -----------------------------------------------------------------------------
codex_bin=${CODEX_BIN:-codex}
target=${TARGET_PROJECT_DIR:-$PWD}
sandbox=${CODEX_SANDBOX:-workspace-write}
[[ ${CODEX_FULL_AUTO:-0} == 1 ]] && sandbox=workspace-write   # codex 0.169 rejects --full-auto
lang=${CODEX_WRAPPER_LANG:-en_US.UTF-8}
backtrace=${CODEX_RUST_BACKTRACE:-0}
view=${CODEX_STREAM_VIEW:-all}
case $view in all_compact | assistant | thinking) ;; *) view=all ;; esac
max=${CODEX_STREAM_EXEC_MAX_CHARS:-180}
[[ $max =~ ^[-+]?[0-9]+$ ]] || max=0      # not a base-10 integer: no truncation
display=0
[[ ${CODEX_STREAM_LOGS:-1} == 1 ]] && display=1
to_us kill_grace_us "${CODEX_EXECUTOR_KILL_GRACE_S:-3}" 3
to_us drain_grace_us "${CODEX_EXECUTOR_DRAIN_GRACE_S:-2}" 2
watch_pid=${CODEX_EXECUTOR_WATCH_PID:-$PPID}
[[ $watch_pid =~ ^[1-9][0-9]*$ ]] || watch_pid=$PPID
AWK=${CODEX_EXECUTOR_AWK:-awk}
awk_flags=()
# mawk reads a pipe in whole blocks unless -W interactive: the view would not be live
case $("$AWK" -W version 2>&1 </dev/null) in *mawk*) awk_flags=(-W interactive) ;; esac

args=(exec --json -C "$target")
# (--output-last-message comes below, once its path is known)

# --- state used by cleanup and the signal handlers ---------------------------------------------
work='' cat_pid='' codex_pid='' readers_pid='' view_pid='' watchdog_pid='' napfd=''

# Polling waits back off from 1 ms to 20 ms: readers usually see EOF within a millisecond of
# codex's exit, so a flat 20 ms nap cost ~20 ms per run (docs/benchmarks.md, B1).
NAPS=(0.001 0.002 0.005 0.01 0.02)

nap() {  # sleep $1 seconds without a child process (and interruptibly by our traps)
    if [[ -n $napfd ]]; then read -r -t "$1" -u "$napfd" _ 2>/dev/null; else sleep "$1"; fi
}

# Is anything but zombies left in process group $1?  (A zombie keeps kill -0 -PGID true, and
# orphans may never be reaped when pid 1 is not an init.)
group_alive() {
    local f line pg
    kill -0 -- "-$1" 2>/dev/null || return 1
    [[ -d /proc/self ]] || return 0
    # fast path: the leader itself is alive
    if { read -r line <"/proc/$1/stat"; } 2>/dev/null; then
        line=${line##*) }
        pg=${line#* }; pg=${pg#* }; pg=${pg%% *}
        [[ ${line:0:1} != Z && $pg == "$1" ]] && return 0
    fi
    for f in /proc/[0-9]*/stat; do
        { read -r line <"$f"; } 2>/dev/null || continue
        line=${line##*) }                      # "<state> <ppid> <pgrp> ..."
        [[ ${line:0:1} == Z ]] && continue
        pg=${line#* }; pg=${pg#* }; pg=${pg%% *}
        [[ $pg == "$1" ]] && return 0
    done
    return 1
}

# TERM to group $1, wait up to $2 microseconds, then KILL; returns when the group is gone
# (or after a further second at most).
terminate_group() {
    local pg=$1 t0 t i=0
    group_alive "$pg" || return 0
    kill -TERM -- "-$pg" 2>/dev/null
    now_us t0
    while group_alive "$pg"; do
        now_us t
        if ((t - t0 >= $2)); then
            kill -KILL -- "-$pg" 2>/dev/null
            ((t - t0 >= $2 + 1000000)) && break
        fi
        nap "${NAPS[i]}"; ((i < 4)) && ((i += 1))
    done
}

# Wait up to $1 microseconds for process group $2 to end; status 1 when it is still there.
await_group() {
    local t0 t i=0
    now_us t0
    while group_alive "$2"; do
        now_us t
        ((t - t0 >= $1)) && return 1
        nap "${NAPS[i]}"; ((i < 4)) && ((i += 1))
    done
    return 0
}

# Wait up to $1 microseconds for process $2 (our child) to end; status 1 when still running.
await_pid() {
    local t0 t i=0
    now_us t0
    while kill -0 "$2" 2>/dev/null; do
        now_us t
        ((t - t0 >= $1)) && return 1
        nap "${NAPS[i]}"; ((i < 4)) && ((i += 1))
    done
    return 0
}

# After codex's leader has ended: let the readers drain what is left, but not forever ($1
# microseconds).  A grandchild that keeps codex's pipes open gets its group killed; readers
# still blocked after that (a holder outside the group) are killed too, so the view sees EOF
# and ends.  The view then gets $2 microseconds to print what it has (its reader may be slow).
drain() {
    [[ -n $readers_pid ]] || return 0
    if ! await_group "$1" "$readers_pid"; then
        terminate_group "$codex_pid" 500000
        if ! await_group 500000 "$readers_pid"; then
            terminate_group "$readers_pid" 500000
        fi
    fi
    if [[ -n $view_pid ]] && ! await_pid "$2" "$view_pid"; then
        kill -KILL "$view_pid" 2>/dev/null
    fi
    wait "$readers_pid" 2>/dev/null
    [[ -n $view_pid ]] && wait "$view_pid" 2>/dev/null
    readers_pid='' view_pid=''
}

# shellcheck disable=SC2317  # (cleanup and on_signal run from traps)
cleanup() {
    trap '' INT TERM HUP
    [[ -n $cat_pid ]] && kill -KILL "$cat_pid" 2>/dev/null
    if [[ -n $watchdog_pid ]]; then
        kill -TERM -- "-$watchdog_pid" 2>/dev/null
        wait "$watchdog_pid" 2>/dev/null
    fi
    [[ -n $readers_pid ]] && kill -KILL -- "-$readers_pid" 2>/dev/null
    [[ -n $view_pid ]] && kill -KILL "$view_pid" 2>/dev/null
    [[ -n $work ]] && rm -rf -- "$work"
    work=''
}

# shellcheck disable=SC2317
on_signal() {
    trap '' INT TERM HUP
    [[ -n $cat_pid ]] && kill -KILL "$cat_pid" 2>/dev/null
    if [[ -n $codex_pid ]]; then
        terminate_group "$codex_pid" "$kill_grace_us"
        wait "$codex_pid" 2>/dev/null
        drain 500000 1000000
    fi
    exit "$1"
}

trap cleanup EXIT
trap 'on_signal 143' TERM
trap 'on_signal 130' INT
trap 'on_signal 129' HUP

# --- private files -------------------------------------------------------------------------------
umask 077
work_base=${CODEX_EXECUTOR_WORK_DIR:-${TMPDIR:-/tmp}}
work=$(mktemp -d "$work_base/codex-executor.XXXXXX" 2>/dev/null) || { work=''; die "cannot create a temp directory in $work_base"; }
mkfifo "$work/out" "$work/err" "$work/merged" "$work/nap" 2>/dev/null || die "cannot create fifos in $work"
exec {napfd}<>"$work/nap"      # never written: read -t on it is a fork-free sleep

# Read the prompt in the background so that a signal is handled while the caller still
# holds our stdin open.
prompt="$work/prompt"
cat <&0 >"$prompt" {ERRFD}>&- &
cat_pid=$!
wait "$cat_pid" || die "cannot save the prompt"
cat_pid=''
exec 0</dev/null

# Output files: the given path (truncated now) or a private one.  Relative paths get "./" so
# awk never takes them for "-" or /dev/... specials.
outfile() {
    local p=${2:-$work/$3}
    [[ $p == /* ]] || p="./$p"
    : >"$p" 2>/dev/null || die "cannot write $p"
    printf -v "$1" '%s' "$p"
}
outfile stdout_log "${CODEX_EXECUTOR_STDOUT_LOG:-}" stdout.log
outfile stderr_log "${CODEX_EXECUTOR_STDERR_LOG:-}" stderr.log
outfile stream_log "${CODEX_EXECUTOR_STREAM_LOG:-}" stream.log
outfile last_message "${CODEX_EXECUTOR_LAST_MESSAGE:-}" last_message   # fresh and empty

args+=(--output-last-message "$last_message")
[[ ${CODEX_SKIP_GIT_REPO_CHECK:-1} == 1 ]] && args+=(--skip-git-repo-check)
[[ -n ${CODEX_MODEL:-} ]] && args+=(-m "$CODEX_MODEL")
[[ -n ${CODEX_REASONING_EFFORT:-} ]] && args+=(-c "model_reasoning_effort=\"$CODEX_REASONING_EFFORT\"")
[[ -n ${CODEX_PROFILE:-} ]] && args+=(-p "$CODEX_PROFILE")
args+=(-s "$sandbox" "$@" -)

# CODEX_WRAPPER_DEBUG=1: V661's diagnostic lines, describing what actually runs (contract §11.1).
if [[ ${CODEX_WRAPPER_DEBUG:-0} == 1 ]]; then
    printf -v cmdline '%q ' "LANG=$lang" "LC_ALL=$lang" "RUST_BACKTRACE=$backtrace" "$codex_bin" "${args[@]}"
    printf '[codex_wrapper] prompt_stdin=%s\n[codex_wrapper] cmd=%s\n' "$prompt" "$cmdline" >&"$ERRFD"
fi

# From here on bash's own stderr is /dev/null: job-status noise ("[1]+ Done", "Killed") must
# never reach the caller.  Children get explicit redirections.
exec 2>/dev/null

# --- the pipeline --------------------------------------------------------------------------------
#   codex >out 2>err   (own process group)
#   tee stdout.log <out | awk chunk O  \
#                                       >merged  (one process group: "readers")
#   tee stderr.log <err | awk chunk E  /
#   awk tagged <merged >real stderr    (the view; writes the stream log)
if ((display)); then viewfd=$ERRFD; else exec {viewfd}>/dev/null; fi
SV_STREAM_LOG=$stream_log SV_PROMPT_FILE=$prompt LC_ALL=C \
    "$AWK" "${awk_flags[@]}" -f "$VIEW_AWK" -v mode=tagged -v view="$view" -v max="$max" \
    -v display="$display" -v flush="$display" -v keep_lines="${CODEX_EXECUTOR_KEEP_LINES-}" <"$work/merged" >&"$viewfd" 2>&"$ERRFD" {ERRFD}>&- {napfd}>&- &
view_pid=$!

set -m          # background jobs below get their own process groups
{
    # If the view dies (say our stderr reader went away), the chunkers and tee get EPIPE
    # instead of SIGPIPE: tee keeps writing the raw logs and codex is never hit by SIGPIPE.
    trap '' PIPE
    tee -- "$stdout_log" <"$work/out" |
        LC_ALL=C "$AWK" "${awk_flags[@]}" -f "$VIEW_AWK" -v mode=chunk -v tag=O &
    tee -- "$stderr_log" <"$work/err" |
        LC_ALL=C "$AWK" "${awk_flags[@]}" -f "$VIEW_AWK" -v mode=chunk -v tag=E &
    wait
} >"$work/merged" 2>&"$ERRFD" </dev/null {ERRFD}>&- {napfd}>&- &
readers_pid=$!

{
    # Set in codex's environment only.  Assigning a missing locale makes bash warn: that
    # goes to our /dev/null here, not into codex's stderr.  exec keeps codex's pid = pgid.
    export LANG="$lang" LC_ALL="$lang" RUST_BACKTRACE="$backtrace"
    exec "$codex_bin" "${args[@]}" <"$prompt" >"$work/out" 2>"$work/err" {ERRFD}>&- {napfd}>&-
} &
codex_pid=$!

# Watchdog: codex must not outlive the executor (even a SIGKILLed one) or the watched
# process.  Own process group, so that a kill of the executor's group does not take it along.
alive() {   # process $1 exists and is not a zombie
    local s
    if [[ -d /proc/self ]]; then
        { read -r s <"/proc/$1/stat"; } 2>/dev/null || return 1
        s=${s##*) }
        [[ ${s:0:1} != Z ]]
    else
        kill -0 "$1" 2>/dev/null
    fi
}
{
    trap 'exit 0' TERM
    trap '' INT HUP
    while alive "$SELF" && alive "$watch_pid"; do
        kill -0 -- "-$codex_pid" 2>/dev/null || exit 0
        read -r -t 0.2 -u "$napfd" _
    done
    kill -TERM -- "-$codex_pid" 2>/dev/null
    for _ in 1 2 3 4 5; do group_alive "$codex_pid" || break; read -r -t 0.1 -u "$napfd" _; done
    kill -KILL -- "-$codex_pid" 2>/dev/null
    if ! alive "$SELF"; then
        # the executor is gone: its readers end with codex's pipes; remove its files
        for _ in 1 2 3 4 5 6 7 8 9 10; do group_alive "$readers_pid" || break; read -r -t 0.1 -u "$napfd" _; done
        kill -KILL -- "-$readers_pid" 2>/dev/null
        rm -rf -- "$work"
    fi
    exit 0
} </dev/null >/dev/null 2>&1 {ERRFD}>&- &
watchdog_pid=$!
set +m

wait "$codex_pid"
rc=$?
drain "$drain_grace_us" 10000000
# whatever codex left running in its group (with or without our pipes) ends with the run
terminate_group "$codex_pid" 500000
codex_pid=''

if [[ -s $last_message ]]; then
    cat -- "$last_message" 2>/dev/null
fi
exit "$rc"
