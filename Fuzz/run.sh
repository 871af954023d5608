#!/usr/bin/env bash
# Builds the libFuzzer targets with AddressSanitizer and runs each for a bounded time (docs/fuzzing.md).
#   Fuzz/run.sh [SECONDS] [TARGET...]     default: 600 seconds, every target, one after another
# A crash, a hang (-timeout) or an allocation over the limit (-rss_limit_mb, -malloc_limit_mb) stops the
# target and leaves its input in Fuzz/Findings/TARGET/; turn it into a regression test before fixing it.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(FuzzSurveyCSV FuzzMailbox FuzzChatJSON FuzzChatText FuzzFeeds FuzzForumHTML FuzzSearchLog FuzzTokenizer FuzzLexicon FuzzRedactor)

# -sanitize=fuzzer would link libFuzzer's own main, which clashes with SwiftPM's; instrument for coverage
# instead and link the driver without main (FuzzSupport calls LLVMFuzzerRunDriver).
runtime=$(dirname "$(readlink -f "$(command -v swiftc)")")/../lib/clang
runtime=$(ls -d "$runtime"/*/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a | head -n 1)
swift build --scratch-path ../.build-fuzz -c release \
    -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table \
    -Xlinker "$runtime" -Xlinker -lstdc++ 2>&1 | grep -v "Cannot export local symbol" | tail -n 3

# Seeds: the hand-written ones in Seeds/ plus the first 8 KB of each sample-corpus file of the channel.
sample=../corpora/sample
declare -A samples=(
    [FuzzSurveyCSV]="$sample/surveys/*.csv" [FuzzMailbox]="$sample/email/*.mbox" [FuzzChatJSON]="$sample/chat/*.jsonl"
    [FuzzFeeds]="$sample/community/*.atom" [FuzzForumHTML]="$sample/community/*.html" [FuzzSearchLog]="$sample/search/*.csv"
)
mkdir -p ../.build-fuzz/logs
# Swift's own crash backtracer and ASan's report fight over a crashing process; keep ASan's.
export SWIFT_BACKTRACE=enable=no
for target in "${targets[@]}"; do
    corpus=../.build-fuzz/corpus/$target
    mkdir -p "$corpus" "Findings/$target"
    cp Seeds/"$target"/* "$corpus"/ 2>/dev/null || true
    for file in ${samples[$target]:-}; do head -c 8192 "$file" > "$corpus/sample-$(basename "$file")"; done
    log=../.build-fuzz/logs/$target.log
    status=0
    started=$SECONDS
    ../.build-fuzz/release/"$target" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -malloc_limit_mb=1024 -max_len=65536 -artifact_prefix="Findings/$target/" -print_final_stats=1 \
        > "$log" 2>&1 || status=$?
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 || true)
    echo "$target: exit $status, $runs executions in $((SECONDS - started))s, $cov, log $log"
done
