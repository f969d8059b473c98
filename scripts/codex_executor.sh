#!/usr/bin/env bash
# codex_executor.sh - the thin shell half of the drop-in wrapper (codex-wrapper-contract.md §8.2,
# §9.5, §11.2). TypeScript does the logic and owns process-tree teardown (src/infrastructure/process/);
# this runs `codex exec --json` in its own process group (in a PID namespace when asked) with the
# prompt as stdin, tees the raw streams, renders the view (stream_view.awk), forwards signals,
# watches for a dead parent, prints the last message and exits with codex's status.
# Usage: codex_executor.sh [EXTRA CODEX ARGS...] < prompt     (argv: see `args` below)
# Environment (empty = unset): CODEX_BIN (codex) CODEX_MODEL CODEX_REASONING_EFFORT CODEX_PROFILE
#   TARGET_PROJECT_DIR ($PWD) CODEX_SANDBOX (workspace-write) CODEX_FULL_AUTO (1: workspace-write)
#   CODEX_SKIP_GIT_REPO_CHECK (1) CODEX_WRAPPER_LANG (en_US.UTF-8) CODEX_RUST_BACKTRACE (0)
#   CODEX_WRAPPER_DEBUG CODEX_STREAM_LOGS (1) CODEX_STREAM_VIEW (all) CODEX_STREAM_EXEC_MAX_CHARS (180);
#   CODEX_EXECUTOR_: KEEP_LINES (the view's keep_lines), STDOUT_LOG STDERR_LOG STREAM_LOG LAST_MESSAGE
#   (output files, truncated), WORK_DIR ($TMPDIR), KILL_GRACE_S (3), DRAIN_GRACE_S (2: pipes held
#   after codex ended), WATCH_PID (parent), AWK (awk), CONTAIN (tracking | pidns | userns),
#   RUN_ID (random), ORPHAN_DIR (removed when WATCH_PID died). README "Reliability" explains CONTAIN.
# Exit: codex's (126/127: CODEX_BIN not executable/found; 128+N: codex died of signal N); 143/130/129
# on SIGTERM/SIGINT/SIGHUP; 125 when the executor itself could not set up.
set -u
readonly SELF=$$
exec {ERRFD}>&2 # the real stderr: the live view and our own messages
die() { printf 'codex_executor: %s\n' "$*" >&"$ERRFD"; exit 125; }
src=${BASH_SOURCE[0]} && [[ $src == */* ]] || src=./$src # (no dirname: a fork less per run)
while [[ -L $src ]]; do l=$(readlink -- "$src") || break; [[ $l == /* ]] || l=${src%/*}/$l; src=$l; done
VIEW_AWK=${src%/*}/stream_view.awk # stream_view.awk sits next to the real script
[[ -r $VIEW_AWK ]] || die "missing $VIEW_AWK"
secs() { [[ $2 =~ ^[0-9]*\.?[0-9]+$ ]] && printf -v "$1" %s "$2" || printf -v "$1" %s "$3"; } # (no $(): no fork)
codex_bin=${CODEX_BIN:-codex} sandbox=${CODEX_SANDBOX:-workspace-write} lang=${CODEX_WRAPPER_LANG:-en_US.UTF-8}
[[ ${CODEX_FULL_AUTO:-0} == 1 ]] && sandbox=workspace-write # codex 0.169 rejects --full-auto
view=${CODEX_STREAM_VIEW:-all} max=${CODEX_STREAM_EXEC_MAX_CHARS:-180} display=0 && [[ ${CODEX_STREAM_LOGS:-1} == 1 ]] && display=1
case $view in all_compact | assistant | thinking) ;; *) view=all ;; esac
[[ $max =~ ^[-+]?[0-9]+$ ]] || max=0 # not a base-10 integer: no truncation
secs grace "${CODEX_EXECUTOR_KILL_GRACE_S:-}" 3 && secs drain "${CODEX_EXECUTOR_DRAIN_GRACE_S:-}" 2
watch_pid=${CODEX_EXECUTOR_WATCH_PID:-$PPID} run_id=${CODEX_EXECUTOR_RUN_ID:-} orphan=${CODEX_EXECUTOR_ORPHAN_DIR:-}
[[ $watch_pid =~ ^[1-9][0-9]*$ ]] || watch_pid=$PPID
[[ $run_id =~ ^[A-Za-z0-9_.-]+$ ]] || run_id="$SELF-$RANDOM$RANDOM$RANDOM$RANDOM"
contain=${CODEX_EXECUTOR_CONTAIN:-tracking} jail=()
case $contain in # the init runs codex as its child: a namespace's init ignores un-handled signals
    pidns) jail=(unshare --pid --fork --kill-child --mount-proc) ;;
    userns) jail=(unshare --user --map-root-user --pid --fork --kill-child --mount-proc) ;;
    *) contain=tracking ;;
esac
# The locale goes to codex only: a bash init started with a missing one would warn into the view.
((${#jail[@]})) && jail+=("$BASH" -c 'LANG=$1 LC_ALL=$1 "${@:2}" <&0 & wait $!' codex-init "$lang")
AWK=${CODEX_EXECUTOR_AWK:-awk} awk_flags=() # mawk needs -W interactive for a live view
case $("$AWK" -W version 2>&1 </dev/null) in *mawk*) awk_flags=(-W interactive) ;; esac
work='' cat_pid='' codex_pid='' readers_pid='' view_pid='' watchdog_pid='' timer=''

# Ends what the run started, with signal $1: codex's process group (in a PID namespace the kernel
# ends every other process once its init is gone) and, when tracking, every process whose
# environment holds the run's marker. Mirrors src/infrastructure/process/run_teardown.ts.
stop_tree() {
    [[ -n $codex_pid ]] || return 0 # not started, or already ended and swept
    kill -"$1" -- "-$codex_pid" 2>/dev/null
    [[ $contain == tracking ]] || return 0
    local f n i # rescan while a scan hits something: a process forked during the last one
    for i in 1 2 3; do
        n=0 && for f in $(grep -lsxzF "CODEX_CHILD_RUN_ID=$run_id" /proc/[0-9]*/environ 2>/dev/null); do
            f=${f#/proc/} && kill -"$1" "${f%%/*}" 2>/dev/null && n=1
        done; ((n)) || break
    done
    return 0
}
later() { # run "$@" after $1 seconds in its own group (so that `cancel` also ends its sleep)
    local s=$1 && shift && set -m
    { sleep "$s" && "$@"; } </dev/null >/dev/null 2>&1 {ERRFD}>&- &
    timer=$! && set +m
}
cancel() { [[ -n $timer ]] && kill -KILL -- "-$timer" 2>/dev/null; timer=''; }
finish() { # codex has ended: end what it left, let the readers and the view see EOF
    stop_tree KILL
    [[ -n $view_pid ]] || return 0
    later "$drain" kill -KILL -- "-$readers_pid" # a pipe holder that escaped: the view still ends
    wait "$view_pid" 2>/dev/null
    cancel && view_pid=''
}
hush() { trap '' INT TERM HUP && [[ -n $cat_pid ]] && kill -KILL "$cat_pid" 2>/dev/null; return 0; }
cleanup() {
    hush && stop_tree KILL && cancel
    [[ -n $watchdog_pid ]] && kill -KILL -- "-$watchdog_pid" 2>/dev/null
    [[ -n $readers_pid ]] && kill -KILL -- "-$readers_pid" 2>/dev/null
    [[ -n $view_pid ]] && kill -KILL "$view_pid" 2>/dev/null
    [[ -n $work ]] && rm -rf -- "$work"
    kill -0 "$watch_pid" 2>/dev/null || [[ -z $orphan ]] || rm -rf -- "$orphan" # nobody else will
}
on_signal() {
    hush
    if [[ -n $codex_pid ]]; then
        stop_tree TERM && later "$grace" stop_tree KILL
        wait "$codex_pid" 2>/dev/null # (no view drain: `wait` for it can hang inside a trap)
    fi
    exit "$1"
}
trap cleanup EXIT && trap 'on_signal 143' TERM && trap 'on_signal 130' INT && trap 'on_signal 129' HUP

umask 077
work_base=${CODEX_EXECUTOR_WORK_DIR:-${TMPDIR:-/tmp}}
work=$(mktemp -d "$work_base/codex-executor.XXXXXX" 2>/dev/null) || { work=''; die "cannot create a temp directory in $work_base"; }
mkfifo "$work/out" "$work/err" "$work/merged" 2>/dev/null || die "cannot create fifos in $work"
prompt="$work/prompt" # read in the background: a signal is handled while the caller holds stdin
cat <&0 >"$prompt" {ERRFD}>&- & cat_pid=$!
wait "$cat_pid" || die "cannot save the prompt"; cat_pid='' && exec 0</dev/null
outfile() { # the given path (truncated; "./" so awk never takes it for a special) or a private one
    local p=${2:-$work/$3} && [[ $p == /* ]] || p="./$p"
    : >"$p" 2>/dev/null && printf -v "$1" '%s' "$p" || die "cannot write $p"
}
outfile stdout_log "${CODEX_EXECUTOR_STDOUT_LOG:-}" stdout.log && outfile stderr_log "${CODEX_EXECUTOR_STDERR_LOG:-}" stderr.log
outfile stream_log "${CODEX_EXECUTOR_STREAM_LOG:-}" stream.log && outfile last_message "${CODEX_EXECUTOR_LAST_MESSAGE:-}" last_message

args=(exec --json -C "${TARGET_PROJECT_DIR:-$PWD}" --output-last-message "$last_message")
[[ ${CODEX_SKIP_GIT_REPO_CHECK:-1} == 1 ]] && args+=(--skip-git-repo-check)
[[ -n ${CODEX_MODEL:-} ]] && args+=(-m "$CODEX_MODEL")
[[ -n ${CODEX_REASONING_EFFORT:-} ]] && args+=(-c "model_reasoning_effort=\"$CODEX_REASONING_EFFORT\"")
[[ -n ${CODEX_PROFILE:-} ]] && args+=(-p "$CODEX_PROFILE")
args+=(-s "$sandbox" "$@" -)
backtrace=${CODEX_RUST_BACKTRACE:-0}
if [[ ${CODEX_WRAPPER_DEBUG:-0} == 1 ]]; then # V661's lines (contract §11.1), then the containment
    printf -v cmd '%q ' "LANG=$lang" "LC_ALL=$lang" "RUST_BACKTRACE=$backtrace" "$codex_bin" "${args[@]}"
    printf '[codex_wrapper] %s\n' "prompt_stdin=$prompt" "cmd=$cmd" "containment=$contain run_id=$run_id" >&"$ERRFD"
fi
exec 2>/dev/null # job-status noise must never reach the caller; children redirect explicitly

#   codex >out 2>err (own group) | tee stdout.log <out | awk chunk O \ >merged (group "readers")
#                                | tee stderr.log <err | awk chunk E /  awk tagged <merged (view)
if ((display)); then viewfd=$ERRFD; else exec {viewfd}>/dev/null; fi
SV_STREAM_LOG=$stream_log SV_PROMPT_FILE=$prompt LC_ALL=C \
    "$AWK" "${awk_flags[@]}" -f "$VIEW_AWK" -v mode=tagged -v view="$view" -v max="$max" \
    -v display="$display" -v flush="$display" -v keep_lines="${CODEX_EXECUTOR_KEEP_LINES-}" \
    <"$work/merged" >&"$viewfd" 2>&"$ERRFD" {ERRFD}>&- &
view_pid=$!
set -m # the jobs below get their own process groups
{
    trap '' PIPE # a dead view gives tee EPIPE, not SIGPIPE: the raw logs are still written
    tee -- "$stdout_log" <"$work/out" | LC_ALL=C "$AWK" "${awk_flags[@]}" -f "$VIEW_AWK" -v mode=chunk -v tag=O &
    tee -- "$stderr_log" <"$work/err" | LC_ALL=C "$AWK" "${awk_flags[@]}" -f "$VIEW_AWK" -v mode=chunk -v tag=E &
    wait
} >"$work/merged" 2>&"$ERRFD" </dev/null {ERRFD}>&- &
readers_pid=$!
{   # codex's environment only; exec keeps codex's pid = its group's id
    export RUST_BACKTRACE="$backtrace" CODEX_CHILD_RUN_ID="$run_id"
    if ((${#jail[@]})); then unset LANG LC_ALL; else export LANG="$lang" LC_ALL="$lang"; fi
    exec "${jail[@]}" "$codex_bin" "${args[@]}" <"$prompt" >"$work/out" 2>"$work/err" {ERRFD}>&-
} &
codex_pid=$!
{   # watchdog: the run must not outlive the executor (even a SIGKILLed one) or the watched process
    trap '' INT TERM HUP
    while kill -0 "$SELF" && kill -0 "$watch_pid"; do sleep 0.5; done
    stop_tree TERM && timeout "$grace" "$BASH" -c 'while kill -0 -- "-$1"; do sleep 0.1; done' _ "$codex_pid"
    stop_tree KILL
    kill -0 "$SELF" && exit 0 # the executor ends the rest itself; else nobody else will:
    kill -KILL -- "-$readers_pid" "$view_pid"; rm -rf -- "$work"
    kill -0 "$watch_pid" || [[ -z $orphan ]] || rm -rf -- "$orphan"
} </dev/null >/dev/null 2>&1 {ERRFD}>&- &
watchdog_pid=$!
set +m

wait "$codex_pid"
rc=$? && finish && codex_pid=''
[[ -s $last_message ]] && cat -- "$last_message" 2>/dev/null
exit "$rc"
